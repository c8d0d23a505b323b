//! A unit's own figures for the open round, filled in by its secretary (usually on a
//! phone) or by committee staff: staff, youth and league members.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::auth::extract::{ClientAddr, Reporter, Require};
use crate::db::{self, audit::Event, survey::SurveyRow};
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::UnitId;
use crate::domain::text::parse_count;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::respond::invalid;

#[derive(Debug, Default, Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    staff: String,
    #[serde(default)]
    youth: String,
    #[serde(default)]
    members: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "units/report.html")]
pub struct ReportPage {
    ctx: PageContext,
    unit_id: UnitId,
    unit_name: String,
    round: Option<SurveyRow>,
    form: ReportForm,
    errors: Vec<String>,
    reported_at: Option<String>,
}

impl ReportForm {
    /// Whole, non-negative numbers with members ≤ youth ≤ staff.
    fn check(&self) -> std::result::Result<(i32, i32, i32), Vec<String>> {
        let mut errors = Vec::new();
        let mut read = |label: &str, text: &str| match parse_count(text) {
            Ok(Some(n)) if n <= i32::MAX as i64 => Some(n as i32),
            Ok(Some(_)) => {
                errors.push(format!("{label}：数值过大"));
                None
            }
            Ok(None) => {
                errors.push(format!("{label}：不能为空，没有请填0"));
                None
            }
            Err(reason) => {
                errors.push(format!("{label}：{reason}"));
                None
            }
        };
        let staff = read("职工总数", &self.staff);
        let youth = read("青年职工数", &self.youth);
        let members = read("团员数", &self.members);
        if let (Some(y), Some(m)) = (youth, members)
            && m > y
        {
            errors.push(format!("团员数：团员数（{m}）多于青年职工数（{y}）"));
        }
        if let (Some(s), Some(y)) = (staff, youth)
            && y > s
        {
            errors.push(format!("青年职工数：青年职工数（{y}）多于职工总数（{s}）"));
        }
        match (staff, youth, members, errors.is_empty()) {
            (Some(s), Some(y), Some(m), true) => Ok((s, y, m)),
            _ => Err(errors),
        }
    }
}

async fn context(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: i64,
) -> Result<(db::unit::Unit, Option<SurveyRow>)> {
    let unit = db::unit::get(&state.db, UnitId(id), &user.scope)
        .await?
        .ok_or(AppError::NotFound)?;
    let round = db::survey::open_for_reporting(&state.db, state.clock.now().date_naive()).await?;
    Ok((unit, round))
}

pub async fn show_report_form(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    PathOr404(id): PathOr404<i64>,
) -> Result<ReportPage> {
    let (unit, round) = context(&state, &user, id).await?;
    let entry = match &round {
        Some(r) => db::survey::entry(&state.db, r.survey_id, unit.unit_id).await?,
        None => None,
    };
    let form = entry
        .as_ref()
        .map_or_else(ReportForm::default, |e| ReportForm {
            staff: e.staff.map(|n| n.to_string()).unwrap_or_default(),
            youth: e.youth.to_string(),
            members: e.members.to_string(),
        });
    Ok(ReportPage {
        ctx,
        unit_id: unit.unit_id,
        unit_name: unit.name,
        round,
        form,
        errors: Vec::new(),
        reported_at: entry
            .and_then(|e| e.reported_at)
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string()),
    })
}

pub async fn submit_report(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
    Form(form): Form<ReportForm>,
) -> Result<Response> {
    let (unit, round) = context(&state, &user, id).await?;
    let Some(round) = round else {
        return Ok(flash::error(
            &state.settings,
            &format!("/units/{id}/report"),
            "当前没有开放填报的摸排轮次，未保存。",
        ));
    };
    if unit.closed_on.is_some() {
        return Ok(flash::error(
            &state.settings,
            &format!("/units/{id}"),
            "该单位已注销，不能填报。",
        ));
    }
    let figures = match form.check() {
        Ok(f) => f,
        Err(errors) => {
            let page = ReportPage {
                ctx,
                unit_id: unit.unit_id,
                unit_name: unit.name,
                round: Some(round),
                form,
                errors,
                reported_at: None,
            };
            return Ok(invalid(page));
        }
    };
    let before = db::survey::entry(&state.db, round.survey_id, unit.unit_id).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if let Err(e) = db::survey::report(
        &mut tx,
        round.survey_id,
        unit.unit_id,
        figures,
        user.account_id,
        now,
    )
    .await
    {
        if e.as_database_error().and_then(|d| d.code()).as_deref() == Some("55000") {
            return Ok(flash::error(
                &state.settings,
                &format!("/units/{id}"),
                "本轮摸排已锁定，不能再修改。",
            ));
        }
        return Err(e.into());
    }
    db::audit::record(
        &mut *tx,
        now,
        &user.actor(&address),
        Event::new(AuditAction::SurveyEntryReported, "unit", unit.unit_id)
            .before(json!(before))
            .after(json!({
                "survey_id": round.survey_id,
                "staff": figures.0,
                "youth": figures.1,
                "members": figures.2,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::ok(
        &state.settings,
        &format!("/units/{id}"),
        "已保存本单位摸排数据，谢谢！",
    ))
}

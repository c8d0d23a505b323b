//! A unit's own figures for the open round, filled in by its secretary (usually on a
//! phone) or by committee staff: staff, youth and league members.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::auth::extract::{ClientAddr, Reporter, Require};
use crate::db::{self, audit::Event, survey::Figures, survey::Reported, survey::SurveyRow};
use crate::domain::audit::Action as AuditAction;
use crate::domain::form::FieldErrors;
use crate::domain::ids::UnitId;
use crate::domain::text::parse_count;
use crate::error::Result;
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

/// Whole, non-negative numbers with members ≤ youth ≤ staff.
impl TryFrom<&ReportForm> for Figures {
    type Error = FieldErrors;

    fn try_from(form: &ReportForm) -> Result<Figures, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut read = |label: &'static str, text: &str| match parse_count(text) {
            Ok(Some(n)) if n <= i32::MAX as i64 => Some(n as i32),
            Ok(Some(_)) => {
                errors.push(label, "数值过大");
                None
            }
            Ok(None) => {
                errors.push(label, "不能为空，没有请填0");
                None
            }
            Err(reason) => {
                errors.push(label, reason);
                None
            }
        };
        let staff = read("职工总数", &form.staff);
        let youth = read("青年职工数", &form.youth);
        let members = read("团员数", &form.members);
        if let (Some(y), Some(m)) = (youth, members)
            && m > y
        {
            errors.push("团员数", format!("团员数（{m}）多于青年职工数（{y}）"));
        }
        if let (Some(s), Some(y)) = (staff, youth)
            && y > s
        {
            errors.push(
                "青年职工数",
                format!("青年职工数（{y}）多于职工总数（{s}）"),
            );
        }
        match (staff, youth, members, errors.is_empty()) {
            (Some(staff), Some(youth), Some(members), true) => Ok(Figures {
                staff,
                youth,
                members,
            }),
            _ => Err(errors),
        }
    }
}

async fn context(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: UnitId,
) -> Result<(db::unit::Unit, Option<SurveyRow>)> {
    // Reported through the committee or secretary grants only: a secretary who also leads
    // reads the zone's units but reports for their own.
    let unit = crate::web::scoped::open_for::<Reporter, _, _, _>(user, |scope| async move {
        db::unit::get(&state.db, id, &scope).await
    })
    .await?;
    let round = db::survey::open_for_reporting(&state.db, state.clock.today()).await?;
    Ok((unit, round))
}

pub async fn show_report_form(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    PathOr404(id): PathOr404<UnitId>,
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
            .map(|t| state.clock.local(t).format("%Y-%m-%d %H:%M").to_string()),
    })
}

pub async fn submit_report(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404(id): PathOr404<UnitId>,
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
    let figures = match Figures::try_from(&form) {
        Ok(f) => f,
        Err(errors) => {
            let page = ReportPage {
                ctx,
                unit_id: unit.unit_id,
                unit_name: unit.name,
                round: Some(round),
                form,
                errors: errors.messages(),
                reported_at: None,
            };
            return Ok(invalid(page));
        }
    };
    let before = db::survey::entry(&state.db, round.survey_id, unit.unit_id).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let refused = match db::survey::report(
        &mut tx,
        round.survey_id,
        unit.unit_id,
        figures,
        user.account_id,
        now,
    )
    .await?
    {
        Reported::Saved => None,
        Reported::Locked => Some("本轮摸排已锁定，不能再修改。"),
        Reported::Gone => Some("本轮摸排已被删除，请刷新后查看当前轮次。"),
    };
    if let Some(message) = refused {
        return Ok(flash::error(
            &state.settings,
            &format!("/units/{id}"),
            message,
        ));
    }
    db::audit::record(
        &mut *tx,
        now,
        &user.actor(&address),
        Event::new(AuditAction::SurveyEntryReported, "unit", unit.unit_id)
            .before(json!(before))
            .after(json!({
                "survey_id": round.survey_id,
                "staff": figures.staff,
                "youth": figures.youth,
                "members": figures.members,
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

#[cfg(test)]
mod tests {
    use super::{Figures, ReportForm};

    fn form(staff: &str, youth: &str, members: &str) -> ReportForm {
        ReportForm {
            staff: staff.into(),
            youth: youth.into(),
            members: members.into(),
        }
    }

    #[test]
    fn figures_must_nest_members_in_youth_in_staff() {
        let errors = Figures::try_from(&form("10", "12", "13")).unwrap_err();

        assert_eq!(
            errors.messages(),
            [
                "团员数：团员数（13）多于青年职工数（12）",
                "青年职工数：青年职工数（12）多于职工总数（10）",
            ]
        );
        let blank = Figures::try_from(&form("", "1", "0")).unwrap_err();
        assert_eq!(blank.messages(), ["职工总数：不能为空，没有请填0"]);
        assert_eq!(
            Figures::try_from(&form("30", "12", "5")),
            Ok(Figures {
                staff: 30,
                youth: 12,
                members: 5
            })
        );
    }
}

//! The yearly evaluation (评议) of an organisation's members — 优秀 refused above 30 % — and
//! the registration (团籍注册) of those graded 基本合格 or better, after which the year's
//! grades are final.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::response::Response;
use chrono::Datelike;
use serde::Deserialize;

use super::{branch_to_change, open_branch};
use crate::auth::extract::{Business, ClientAddr, Reporter, Require};
use crate::db::member_evaluation::{self as evaluation, GRADES, Graded, excellent_cap};
use crate::db::organization::OrganizationRow;
use crate::domain::ids::{MemberId, OrganizationId};
use crate::error::{AppError, Result};
use crate::services::{Error, members};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::respond::invalid;

#[derive(Template, WebTemplate)]
#[template(path = "members/evaluation.html")]
pub struct EvaluationPage {
    ctx: PageContext,
    org: OrganizationRow,
    year: i32,
    years: Vec<i32>,
    rows: Vec<Graded>,
    can_write: bool,
    registered: bool,
    errors: Vec<String>,
}

impl EvaluationPage {
    fn grades(&self) -> &'static [&'static str] {
        &GRADES
    }

    fn count(&self, grade: &str) -> usize {
        self.rows
            .iter()
            .filter(|r| r.grade.as_deref() == Some(grade))
            .count()
    }

    fn ungraded(&self) -> usize {
        self.rows.iter().filter(|r| r.grade.is_none()).count()
    }

    fn cap(&self) -> i64 {
        excellent_cap(self.rows.len() as i64)
    }

    fn is(&self, row: &Graded, grade: &str) -> bool {
        row.grade.as_deref() == Some(grade)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    year: Option<String>,
}

/// The years one may evaluate: this one and the last.
fn years(today: chrono::NaiveDate) -> Vec<i32> {
    vec![today.year(), today.year() - 1]
}

fn chosen_year(text: Option<&str>, today: chrono::NaiveDate) -> Option<i32> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Some(today.year()),
        Some(t) => t.parse().ok().filter(|y| years(today).contains(y)),
    }
}

async fn page(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    ctx: PageContext,
    org: OrganizationRow,
    year: i32,
) -> Result<EvaluationPage> {
    let rows = evaluation::roster(&state.db, org.organization_id, year).await?;
    Ok(EvaluationPage {
        registered: rows.iter().any(|r| r.registered_at.is_some()),
        years: years(state.clock.today()),
        can_write: crate::web::scoped::may::<Reporter, _, _, _>(user, |scope| async move {
            crate::db::organization::get(&state.db, org.organization_id, &scope).await
        })
        .await?,
        errors: Vec::new(),
        rows,
        year,
        org,
        ctx,
    })
}

pub async fn show_evaluation(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    PathOr404(id): PathOr404<OrganizationId>,
    Query(query): Query<YearQuery>,
) -> Result<EvaluationPage> {
    let org = open_branch(&state, &user, id).await?;
    let year = chosen_year(query.year.as_deref(), state.clock.today()).ok_or(AppError::NotFound)?;
    page(&state, &user, ctx, org, year).await
}

/// Saves the grades (fields `grade_<member id>`); all or nothing.
pub async fn save_evaluation(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404(id): PathOr404<OrganizationId>,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response> {
    let org = branch_to_change(&state, &user, id).await?;
    let today = state.clock.today();
    let Some(year) = chosen_year(fields.get("year").map(String::as_str), today) else {
        return Err(AppError::BadRequest("评议年度只能是今年或上一年".into()));
    };
    let mut errors = Vec::new();
    let mut grades: Vec<(MemberId, Option<&str>)> = Vec::new();
    for (key, value) in &fields {
        let Some(member) = key.strip_prefix("grade_").and_then(|m| m.parse().ok()) else {
            continue;
        };
        match value.trim() {
            "" => grades.push((member, None)),
            text => match GRADES.iter().find(|g| **g == text) {
                Some(grade) => grades.push((member, Some(grade))),
                None => errors.push(format!("评议等次“{text}”无效，请从列表中选择")),
            },
        }
    }
    if errors.is_empty() {
        let now = state.clock.now();
        let actor = user.actor(&address);
        match members::grade(&state.db, &actor, (id, year), &grades, now).await {
            Ok(_) => {
                return Ok(flash::ok(
                    &state.settings,
                    &format!("/organizations/{id}/evaluation?year={year}"),
                    &format!("已保存{year}年度评议结果。"),
                ));
            }
            Err(Error::Refused(message)) => errors.push(message.into_owned()),
            Err(Error::Database(e)) => return Err(e.into()),
        }
    }
    {
        let mut page = page(&state, &user, ctx, org, year).await?;
        // Show what was chosen, so that it can be corrected.
        for row in &mut page.rows {
            if let Some((_, grade)) = grades.iter().find(|(m, _)| *m == row.member_id) {
                row.grade = grade.map(str::to_string);
            }
        }
        page.errors = errors;
        Ok(invalid(page))
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct RegistrationForm {
    #[serde(default)]
    year: String,
}

/// 团籍注册 for the year: every active member must be graded first.
pub async fn register_members(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<OrganizationId>,
    Form(form): Form<RegistrationForm>,
) -> Result<Response> {
    branch_to_change(&state, &user, id).await?;
    let today = state.clock.today();
    let Some(year) = chosen_year(Some(&form.year), today) else {
        return Err(AppError::BadRequest("注册年度只能是今年或上一年".into()));
    };
    let back = format!("/organizations/{id}/evaluation?year={year}");
    let now = state.clock.now();
    match members::register_year(&state.db, &user.actor(&address), (id, year), now).await {
        Ok((registered, failed)) => Ok(flash::ok(
            &state.settings,
            &back,
            &format!(
                "已为{registered}名团员办理{year}年度团籍注册；评为不合格的{failed}名不予注册。"
            ),
        )),
        Err(Error::Refused(message)) => Ok(flash::error(&state.settings, &back, &message)),
        Err(Error::Database(e)) => Err(e.into()),
    }
}

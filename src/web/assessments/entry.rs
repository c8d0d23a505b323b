//! One cadre's result for a year, for the committee: a score per component under its
//! weight, and optionally a lower grade with its reason; refusals (bad scores, a higher
//! grade, the 优秀 cap) show the form again with what was typed (422).

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::response::Response;

use super::assessable;
use super::table::weights_of;
use crate::auth::extract::{ClientAddr, Committee, Require};
use crate::db::assessment::{self as store, CadreRow};
use crate::domain::assessment::{EntryInput, Grade, score_text};
use crate::domain::ids::AccountId;
use crate::error::{AppError, Result};
use crate::services::{Error, assessments};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::respond::invalid;

#[derive(Template, WebTemplate)]
#[template(path = "assessments/entry.html")]
pub struct EntryPage {
    ctx: PageContext,
    year: i32,
    cadre: CadreRow,
    stored: bool,
    /// (component, weight, score as typed), in the year's order.
    rows: Vec<(String, i32, String)>,
    grade: String,
    reason: String,
    errors: Vec<String>,
}

impl EntryPage {
    fn grades(&self) -> &'static [Grade] {
        &Grade::ALL
    }
}

/// The cadre of the year, or 404: not an assessable year, or not a cadre.
async fn open(state: &AppState, year: i32, account: AccountId) -> Result<CadreRow> {
    if !assessable(year, state.clock.today()) {
        return Err(AppError::NotFound);
    }
    store::cadre(&state.db, year, account)
        .await?
        .ok_or(AppError::NotFound)
}

async fn page(
    state: &AppState,
    ctx: PageContext,
    (year, cadre): (i32, CadreRow),
    typed: Option<&HashMap<String, String>>,
    errors: Vec<String>,
) -> Result<EntryPage> {
    let (weights, stored) = weights_of(state, year).await?;
    let saved: Vec<String> = match &cadre.scores_tenths {
        Some(scores) if scores.len() == weights.components.len() => {
            scores.iter().map(|s| score_text(*s)).collect()
        }
        _ => vec![String::new(); weights.components.len()],
    };
    let typed_value = |key: &str| typed.and_then(|t| t.get(key)).cloned();
    let rows = weights
        .components
        .iter()
        .zip(&weights.weights)
        .enumerate()
        .map(|(n, (c, w))| {
            let value = typed_value(&format!("score_{n}")).unwrap_or_else(|| saved[n].clone());
            (c.clone(), *w, value)
        })
        .collect();
    let lowered = cadre.grade.filter(|g| Some(*g) != cadre.computed_grade);
    Ok(EntryPage {
        grade: typed_value("grade")
            .unwrap_or_else(|| lowered.map(|g| g.code().to_string()).unwrap_or_default()),
        reason: typed_value("grade_reason")
            .unwrap_or_else(|| cadre.grade_reason.clone().unwrap_or_default()),
        rows,
        stored,
        errors,
        cadre,
        year,
        ctx,
    })
}

pub async fn show_entry(
    State(state): State<AppState>,
    Require(..): Require<Committee>,
    ctx: PageContext,
    PathOr404((year, account)): PathOr404<(i32, AccountId)>,
) -> Result<EntryPage> {
    let cadre = open(&state, year, account).await?;
    page(&state, ctx, (year, cadre), None, Vec::new()).await
}

/// Saves the result (fields `score_N`, `grade`, `grade_reason`); all or nothing.
pub async fn save_entry(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404((year, account)): PathOr404<(i32, AccountId)>,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response> {
    let cadre = open(&state, year, account).await?;
    let (weights, _) = weights_of(&state, year).await?;
    let errors = match EntryInput::from_form(&fields, &weights.components) {
        Err(errors) => errors.messages(),
        Ok(input) => {
            let actor = user.actor(&address);
            let now = state.clock.now();
            match assessments::record(&state.db, &actor, (year, account), &input, now).await {
                Ok(done) => {
                    return Ok(flash::ok(
                        &state.settings,
                        &format!("/assessments?year={year}"),
                        &format!(
                            "已保存{}的{year}年度考核结果：{}分，{}。",
                            cadre.name,
                            score_text(done.score_tenths),
                            done.grade.label()
                        ),
                    ));
                }
                Err(Error::Refused(message)) => vec![message.into_owned()],
                Err(Error::Database(e)) => return Err(e.into()),
            }
        }
    };
    Ok(invalid(
        page(&state, ctx, (year, cadre), Some(&fields), errors).await?,
    ))
}

//! A year's components, weights (summing to 100) and 优秀 cap, for the committee: changed
//! until the year's first result, read only after it.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::response::Response;
use chrono::Datelike;
use serde::Deserialize;

use super::chosen_year;
use super::table::weights_of;
use crate::auth::extract::{ClientAddr, Committee, Require};
use crate::db::assessment as store;
use crate::domain::assessment::{MAX_COMPONENTS, Weights};
use crate::error::{AppError, Result};
use crate::services::{Error, assessments};
use crate::state::AppState;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::respond::invalid;

#[derive(Template, WebTemplate)]
#[template(path = "assessments/weights.html")]
pub struct WeightsPage {
    ctx: PageContext,
    year: i32,
    /// (component, weight) as shown, `MAX_COMPONENTS` rows.
    rows: Vec<(String, String)>,
    excellent_percent: String,
    stored: bool,
    /// Results of the year: the weights are final once there is one.
    results: i64,
    errors: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    year: Option<String>,
}

fn rows_of(weights: &Weights) -> Vec<(String, String)> {
    (0..MAX_COMPONENTS)
        .map(
            |n| match (weights.components.get(n), weights.weights.get(n)) {
                (Some(c), Some(w)) => (c.clone(), w.to_string()),
                _ => (String::new(), String::new()),
            },
        )
        .collect()
}

pub async fn show_weights(
    State(state): State<AppState>,
    Require(..): Require<Committee>,
    ctx: PageContext,
    Query(query): Query<YearQuery>,
) -> Result<WeightsPage> {
    let today = state.clock.today();
    let year = chosen_year(query.year.as_deref(), today.year(), today).ok_or(AppError::NotFound)?;
    let (weights, stored) = weights_of(&state, year).await?;
    let (results, _) = store::counts(&state.db, year).await?;
    Ok(WeightsPage {
        rows: rows_of(&weights),
        excellent_percent: weights.excellent_percent.to_string(),
        errors: Vec::new(),
        stored,
        results,
        year,
        ctx,
    })
}

/// Saves the year's weights (fields `year`, `component_N`, `weight_N`,
/// `excellent_percent`); all or nothing.
pub async fn save_weights(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    ctx: PageContext,
    address: ClientAddr,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response> {
    let today = state.clock.today();
    let year = fields
        .get("year")
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| super::assessable(*y, today));
    let Some(year) = year else {
        return Err(AppError::BadRequest(format!(
            "考核年度应为{}至{}年",
            super::FIRST_YEAR,
            today.year()
        )));
    };
    let errors = match Weights::from_form(&fields) {
        Err(errors) => errors.messages(),
        Ok(weights) => {
            let now = state.clock.now();
            match assessments::set_weights(&state.db, &user.actor(&address), year, &weights, now)
                .await
            {
                Ok(()) => {
                    return Ok(flash::ok(
                        &state.settings,
                        &format!("/assessments?year={year}"),
                        &format!("已保存{year}年度的考核项目和权重。"),
                    ));
                }
                Err(Error::Refused(message)) => vec![message.into_owned()],
                Err(Error::Database(e)) => return Err(e.into()),
            }
        }
    };
    let (_, stored) = weights_of(&state, year).await?;
    let (results, _) = store::counts(&state.db, year).await?;
    let typed = |key: String| fields.get(&key).cloned().unwrap_or_default();
    Ok(invalid(WeightsPage {
        rows: (0..MAX_COMPONENTS)
            .map(|n| {
                (
                    typed(format!("component_{n}")),
                    typed(format!("weight_{n}")),
                )
            })
            .collect(),
        excellent_percent: typed("excellent_percent".into()),
        errors,
        stored,
        results,
        year,
        ctx,
    }))
}

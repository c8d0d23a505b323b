//! A cadre's own results (我的考核结果): every year they were assessed, with each
//! component's weight and score. Only the signed-in account's own results are read.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use crate::auth::extract::{Reporter, Require};
use crate::db::assessment::{self as store, OwnResult};
use crate::domain::assessment::score_text;
use crate::error::Result;
use crate::state::AppState;
use crate::web::layout::PageContext;

/// One year's result as the page shows it.
pub struct Year {
    pub result: OwnResult,
    /// (component, weight, score).
    pub parts: Vec<(String, i32, String)>,
    pub score: String,
    pub lowered: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "assessments/mine.html")]
pub struct MinePage {
    ctx: PageContext,
    years: Vec<Year>,
}

pub async fn show_mine(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
) -> Result<MinePage> {
    let years = store::own(&state.db, user.account_id)
        .await?
        .into_iter()
        .map(|result| Year {
            parts: result
                .components
                .iter()
                .zip(&result.weights)
                .zip(&result.scores_tenths)
                .map(|((c, w), s)| (c.clone(), *w, score_text(*s)))
                .collect(),
            score: score_text(result.score_tenths),
            lowered: result.grade != result.computed_grade,
            result,
        })
        .collect();
    Ok(MinePage { ctx, years })
}

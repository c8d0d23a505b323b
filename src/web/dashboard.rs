//! The dashboard, home of committee staff and leaders: the figures of a survey round,
//! computed from its entries in one query, with the member ratio, organisation coverage
//! and the days left before the formation deadline.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;

use crate::auth::extract::{Require, Staff};
use crate::db;
use crate::db::survey::{Summary, SurveyRow};
use crate::domain::ids::SurveyId;
use crate::error::{AppError, Result};
use crate::startup::AppState;
use crate::web::layout::PageContext;

#[derive(Deserialize)]
pub struct RoundQuery {
    /// Kept as text so that a mangled value reads as "no such round", not a 400.
    survey: Option<String>,
}

impl RoundQuery {
    fn id(&self) -> Result<Option<SurveyId>> {
        match self.survey.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) => s
                .parse()
                .map(|n| Some(SurveyId(n)))
                .map_err(|_| AppError::NotFound),
        }
    }
}

pub struct Figure {
    pub label: &'static str,
    pub value: String,
    pub key: &'static str,
}

pub struct Deadline {
    pub date: String,
    /// Negative once the deadline has passed.
    pub days_left: i64,
}

impl Deadline {
    pub fn days_late(&self) -> i64 {
        -self.days_left
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard/index.html")]
pub struct DashboardPage {
    ctx: PageContext,
    rounds: Vec<SurveyRow>,
    current: Option<SurveyRow>,
    figures: Vec<Figure>,
    ratios: Vec<Figure>,
    deadline: Option<Deadline>,
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{v:.1}%"))
}

pub async fn show_dashboard(
    State(state): State<AppState>,
    _user: Require<Staff>,
    ctx: PageContext,
    Query(query): Query<RoundQuery>,
) -> Result<DashboardPage> {
    let requested = query.id()?;
    let rounds = db::survey::list(&state.db).await?;
    let current = db::survey::get_or_latest(&state.db, requested).await?;
    if requested.is_some() && current.is_none() {
        return Err(AppError::NotFound);
    }
    let (figures, ratios, deadline) = match &current {
        Some(round) => {
            let summary = db::survey::summary(&state.db, round.survey_id).await?;
            let figures = summary
                .figures()
                .into_iter()
                .map(|(key, label, value)| Figure {
                    label,
                    value: value.to_string(),
                    key,
                })
                .collect();
            let ratios = vec![
                Figure {
                    label: "团青比（团员数÷青年数）",
                    value: percent(summary.member_ratio()),
                    key: "member_ratio",
                },
                Figure {
                    label: "建团覆盖率（3名以上团员的单位中已建团的比例）",
                    value: percent(summary.coverage()),
                    key: "coverage",
                },
            ];
            let today = state.clock.now().date_naive();
            let deadline = round.formation_deadline.map(|d| Deadline {
                date: d.format("%Y年%-m月%-d日").to_string(),
                days_left: (d - today).num_days(),
            });
            (figures, ratios, deadline)
        }
        None => (Vec::new(), Vec::new(), None),
    };
    Ok(DashboardPage {
        ctx,
        rounds,
        current,
        figures,
        ratios,
        deadline,
    })
}

/// `GET /api/v1/survey/summary[?survey=ID]`: the dashboard's figures with the keys of
/// DESIGN.md §6.
pub async fn summary_json(
    State(state): State<AppState>,
    _user: Require<Staff>,
    Query(query): Query<RoundQuery>,
) -> Result<Json<Summary>> {
    let round = db::survey::get_or_latest(&state.db, query.id()?)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(db::survey::summary(&state.db, round.survey_id).await?))
}

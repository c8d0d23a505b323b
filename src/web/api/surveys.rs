//! `GET /api/v1/surveys`: the survey rounds, newest first, with how many units each holds
//! and how many reported — of the whole zone for its readers, of their own units for a
//! secretary; the cursor is the last round's as-of date.

use axum::Json;
use axum::extract::{Query, State};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{PAGE_SIZE, Page};
use crate::auth::extract::{Business, Require};
use crate::db;
use crate::db::survey::RoundDetail;
use crate::domain::ids::SurveyId;
use crate::domain::role::Scope;
use crate::error::{AppError, Result};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct SurveysQuery {
    after: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SurveyItem {
    pub id: SurveyId,
    pub title: String,
    pub as_of: NaiveDate,
    pub opens_on: Option<NaiveDate>,
    pub closes_on: Option<NaiveDate>,
    pub formation_deadline: Option<NaiveDate>,
    pub locked: bool,
    pub entries: i64,
    pub reported: i64,
}

impl From<RoundDetail> for SurveyItem {
    fn from(r: RoundDetail) -> SurveyItem {
        SurveyItem {
            id: r.survey_id,
            title: r.title,
            as_of: r.as_of,
            opens_on: r.opens_on,
            closes_on: r.closes_on,
            formation_deadline: r.formation_deadline,
            locked: r.locked,
            entries: r.entries,
            reported: r.reported,
        }
    }
}

pub async fn list_rounds(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    Query(query): Query<SurveysQuery>,
) -> Result<Json<Page<SurveyItem>>> {
    let before = match query.after.as_deref() {
        None | Some("") => None,
        Some(s) => Some(
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| AppError::BadRequest("after 应为 YYYY-MM-DD 格式的日期".into()))?,
        ),
    };
    let mut rounds = db::survey::rounds(&state.db, before, PAGE_SIZE + 1).await?;
    match &user.scope {
        Scope::Zone => {}
        scope => {
            let units = match scope {
                Scope::Units(units) => units.as_slice(),
                _ => &[],
            };
            let ids: Vec<SurveyId> = rounds.iter().map(|r| r.survey_id).collect();
            let counted = db::survey::progress_in_scope(&state.db, &ids, units).await?;
            for round in &mut rounds {
                let (entries, reported) = counted
                    .iter()
                    .find(|(id, ..)| *id == round.survey_id)
                    .map_or((0, 0), |(_, e, r)| (*e, *r));
                (round.entries, round.reported) = (entries, reported);
            }
        }
    }
    Ok(Json(Page::of(rounds, |r| r.as_of.to_string())))
}

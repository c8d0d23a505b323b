//! `GET /api/v1/survey/summary[?survey=ID]`: a round's figures for the dashboard, with the
//! keys of DESIGN.md §6.

use axum::Json;
use axum::extract::{Query, State};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::auth::extract::{Require, Staff};
use crate::db;
use crate::db::survey::Summary;
use crate::error::{AppError, Result};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct SummaryQuery {
    /// Kept as text so that a mangled value reads as "no such round", not a 400.
    survey: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SummaryItem {
    pub as_of: NaiveDate,
    pub enterprises_operating: i64,
    pub enterprises_total: i64,
    pub departments: i64,
    pub communities: i64,
    pub members: i64,
    pub youth: i64,
    pub enterprises_with_members: i64,
    pub enterprises_with_organization: i64,
    pub departments_communities_approved: i64,
    pub departments_communities_pending: i64,
    pub eligible_without_organization: i64,
}

impl From<Summary> for SummaryItem {
    fn from(s: Summary) -> SummaryItem {
        SummaryItem {
            as_of: s.as_of,
            enterprises_operating: s.enterprises_operating,
            enterprises_total: s.enterprises_total,
            departments: s.departments,
            communities: s.communities,
            members: s.members,
            youth: s.youth,
            enterprises_with_members: s.enterprises_with_members,
            enterprises_with_organization: s.enterprises_with_organization,
            departments_communities_approved: s.departments_communities_approved,
            departments_communities_pending: s.departments_communities_pending,
            eligible_without_organization: s.eligible_without_organization,
        }
    }
}

/// The latest round's figures, or the asked one's; no such round (or none yet) is a 404.
pub async fn show_summary(
    State(state): State<AppState>,
    _user: Require<Staff>,
    Query(query): Query<SummaryQuery>,
) -> Result<Json<SummaryItem>> {
    let asked = super::survey_param(query.survey.as_deref())?;
    let round = db::survey::get_or_latest(&state.db, asked)
        .await?
        .ok_or(AppError::NotFound)?;
    let summary = db::survey::summary(&state.db, round.survey_id).await?;
    Ok(Json(summary.into()))
}

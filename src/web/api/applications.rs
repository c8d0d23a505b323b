//! `GET /api/v1/applications?state=`: the formation applications in scope, newest first;
//! the cursor is the last id.

use axum::Json;
use axum::extract::{Query, State};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{PAGE_SIZE, Page};
use crate::auth::extract::{Business, Require};
use crate::db;
use crate::db::application::Application;
use crate::domain::application::State as ApplicationState;
use crate::domain::ids::{ApplicationId, UnitId};
use crate::error::{AppError, Result};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct ApplicationsQuery {
    after: Option<String>,
    state: Option<String>,
}

impl ApplicationsQuery {
    /// The state asked for; an unknown one is refused rather than ignored.
    fn state(&self) -> Result<Option<ApplicationState>> {
        match self.state.as_deref() {
            None | Some("") => Ok(None),
            Some(s) => ApplicationState::from_code(s).map(Some).ok_or_else(|| {
                AppError::BadRequest(
                    "state 应为 draft、submitted、returned、resubmitted、approved 或 rejected"
                        .into(),
                )
            }),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ApplicationItem {
    pub id: ApplicationId,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub state: ApplicationState,
    pub proposed_name: String,
    pub proposed_kind: crate::domain::organization::Kind,
    pub member_count: i32,
    pub youth_count: i32,
    pub submitted_at: Option<DateTime<Utc>>,
    pub approval_number: Option<String>,
    pub approved_on: Option<NaiveDate>,
}

impl From<Application> for ApplicationItem {
    fn from(a: Application) -> ApplicationItem {
        ApplicationItem {
            id: a.formation_application_id,
            unit_id: a.unit_id,
            unit_name: a.unit_name,
            state: a.state,
            proposed_name: a.proposed_name,
            proposed_kind: a.proposed_kind,
            member_count: a.member_count,
            youth_count: a.youth_count,
            submitted_at: a.submitted_at,
            approval_number: a.approval_number,
            approved_on: a.approved_on,
        }
    }
}

pub async fn list_applications(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    Query(query): Query<ApplicationsQuery>,
) -> Result<Json<Page<ApplicationItem>>> {
    let filter = query.state()?;
    let before = super::id_cursor(query.after.as_deref())?;
    let rows = db::application::list(&state.db, &user.scope, filter, before, PAGE_SIZE + 1).await?;
    Ok(Json(Page::of(rows, |a| {
        a.formation_application_id.to_string()
    })))
}

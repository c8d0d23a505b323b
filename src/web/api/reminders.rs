//! `GET /api/v1/reminders`: the units of the latest round with 3+ members, no organisation
//! and no pending application, by name; the cursor is the last name.

use axum::Json;
use axum::extract::{Query, State};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{PAGE_SIZE, Page};
use crate::auth::extract::{Require, Staff};
use crate::db;
use crate::db::formation::Eligible;
use crate::domain::ids::UnitId;
use crate::error::Result;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct RemindersQuery {
    after: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ReminderItem {
    pub unit_id: UnitId,
    pub name: String,
    pub kind: crate::domain::unit::UnitKind,
    pub members: i32,
    pub youth: i32,
    /// Reminders sent so far, and when the last one went.
    pub reminders: i64,
    pub last_reminded: Option<DateTime<Utc>>,
    /// The round's deadline for forming the organisation.
    pub formation_deadline: Option<NaiveDate>,
}

/// A unit of the list with its round's formation deadline.
impl From<(Eligible, Option<NaiveDate>)> for ReminderItem {
    fn from((u, formation_deadline): (Eligible, Option<NaiveDate>)) -> ReminderItem {
        ReminderItem {
            unit_id: u.unit_id,
            name: u.name,
            kind: u.kind,
            members: u.members,
            youth: u.youth,
            reminders: u.reminders,
            last_reminded: u.last_reminded,
            formation_deadline,
        }
    }
}

/// Without any round the list is empty.
pub async fn list_reminders(
    State(state): State<AppState>,
    _user: Require<Staff>,
    Query(query): Query<RemindersQuery>,
) -> Result<Json<Page<ReminderItem>>> {
    let Some(round) = db::survey::get_or_latest(&state.db, None).await? else {
        return Ok(Json(Page {
            items: Vec::new(),
            next: None,
        }));
    };
    let rows = db::formation::reminder_list(
        &state.db,
        round.survey_id,
        query.after.as_deref().filter(|s| !s.is_empty()),
        PAGE_SIZE + 1,
    )
    .await?;
    let rows: Vec<_> = rows
        .into_iter()
        .map(|u| (u, round.formation_deadline))
        .collect();
    Ok(Json(Page::of(rows, |(u, _)| u.name.clone())))
}

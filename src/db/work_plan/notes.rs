//! An item's progress notes (`work_plan_note`): dated, with the actor and the state change
//! a note made, if any.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use crate::domain::actor::Actor;
use crate::domain::ids::WorkPlanItemId;
use crate::domain::work_plan::{NoteInput, State};

/// One note as the item's page shows it.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct NoteRow {
    pub work_plan_note_id: i64,
    pub noted_on: NaiveDate,
    pub text: String,
    pub state_from: Option<State>,
    pub state_to: Option<State>,
    pub actor_name: String,
    pub created_at: DateTime<Utc>,
}

/// An item's notes, the latest day first (the latest written first within a day).
pub async fn notes(db: &PgPool, id: WorkPlanItemId) -> sqlx::Result<Vec<NoteRow>> {
    sqlx::query_as(
        "select work_plan_note_id, noted_on, text, state_from, state_to, actor_name, created_at
           from work_plan_note where work_plan_item_id = $1
          order by noted_on desc, work_plan_note_id desc limit 1000",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

/// Adds a note by `actor` at `at`, with the state change (from, to) it records.
pub async fn add_note(
    tx: &mut PgConnection,
    id: WorkPlanItemId,
    note: &NoteInput,
    change: Option<(State, State)>,
    (actor, at): (&Actor, DateTime<Utc>),
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "insert into work_plan_note (work_plan_item_id, noted_on, text, state_from, state_to,
                                     account_id, actor_name, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning work_plan_note_id",
    )
    .bind(id)
    .bind(note.noted_on)
    .bind(&note.text)
    .bind(change.map(|c| c.0))
    .bind(change.map(|c| c.1))
    .bind(actor.account_id)
    .bind(&actor.name)
    .bind(at)
    .fetch_one(tx)
    .await
}

//! A post's history (`award_step`): every step with its date, who recorded it and why, in
//! the order they were recorded.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use crate::domain::actor::Actor;
use crate::domain::award::{Level, State, Step};
use crate::domain::ids::AwardId;

/// One step as the post's page shows it.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct StepRow {
    pub award_step_id: i64,
    pub step: Step,
    pub from_state: Option<State>,
    pub to_state: State,
    pub dated_on: NaiveDate,
    pub note: String,
    pub level: Option<Level>,
    pub document_number: Option<String>,
    pub actor_name: String,
    pub recorded_at: DateTime<Utc>,
}

/// What one step recorded: the step, the move, its date and note, and for 认定 the level
/// and 文号.
pub struct NewStep<'a> {
    pub step: Step,
    pub from: Option<State>,
    pub to: State,
    pub dated_on: NaiveDate,
    pub note: &'a str,
    pub recognition: Option<&'a (Level, String)>,
}

/// Records a step of post `id` by `actor` at `now`.
pub async fn add_step(
    tx: &mut PgConnection,
    id: AwardId,
    step: &NewStep<'_>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into award_step (award_id, step, from_state, to_state, dated_on, note, level,
                                 document_number, account_id, actor_name, recorded_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id)
    .bind(step.step)
    .bind(step.from)
    .bind(step.to)
    .bind(step.dated_on)
    .bind(step.note)
    .bind(step.recognition.map(|r| r.0))
    .bind(step.recognition.map(|r| r.1.as_str()))
    .bind(actor.account_id)
    .bind(&actor.name)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}

/// The post's steps, first first.
pub async fn history(db: &PgPool, id: AwardId) -> sqlx::Result<Vec<StepRow>> {
    sqlx::query_as(
        "select award_step_id, step, from_state, to_state, dated_on, note, level, document_number,
                actor_name, recorded_at
           from award_step where award_id = $1
          order by dated_on, award_step_id",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

/// The date of the post's latest step: a new one may not be dated before it.
pub async fn last_dated_on(tx: &mut PgConnection, id: AwardId) -> sqlx::Result<Option<NaiveDate>> {
    sqlx::query_scalar("select max(dated_on) from award_step where award_id = $1")
        .bind(id)
        .fetch_one(tx)
        .await
}

//! A unit's entry in a round: reading it and the unit's own report, and the reminders to the
//! units whose entry is not reported yet.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use crate::domain::ids::SurveyId;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingUnit {
    pub unit_id: crate::domain::ids::UnitId,
    pub name: String,
    pub kind: String,
    pub reminders: i64,
    pub last_reminded: Option<DateTime<Utc>>,
}

/// Units of the round that have not reported yet, by name.
pub async fn not_reported(db: &PgPool, id: SurveyId, limit: i64) -> sqlx::Result<Vec<PendingUnit>> {
    sqlx::query_as(
        "select u.unit_id, u.name, u.kind, count(r.survey_reminder_id) as reminders,
                max(r.sent_at) as last_reminded
           from survey_entry e
           join unit u using (unit_id)
           left join survey_reminder r on r.survey_id = e.survey_id and r.unit_id = e.unit_id
          where e.survey_id = $1 and e.reported_at is null
          group by u.unit_id
          order by u.name
          limit $2",
    )
    .bind(id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Records reminders to the units of the round that have not reported (all of them, or
/// the one given). Returns the units reminded; the caller tells their secretaries.
pub async fn record_reminders(
    db: &mut PgConnection,
    id: SurveyId,
    unit: Option<crate::domain::ids::UnitId>,
    sender: Option<crate::domain::ids::AccountId>,
    at: DateTime<Utc>,
) -> sqlx::Result<Vec<crate::domain::ids::UnitId>> {
    sqlx::query_scalar(
        "insert into survey_reminder (survey_id, unit_id, sender_account_id, sent_at)
         select $1, unit_id, $3, $4 from survey_entry
          where survey_id = $1 and reported_at is null and ($2::bigint is null or unit_id = $2)
         returning unit_id",
    )
    .bind(id)
    .bind(unit)
    .bind(sender)
    .bind(at)
    .fetch_all(&mut *db)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct EntryRow {
    pub staff: Option<i32>,
    pub youth: i32,
    pub members: i32,
    pub reported_at: Option<DateTime<Utc>>,
}

pub async fn entry(
    db: &PgPool,
    id: SurveyId,
    unit: crate::domain::ids::UnitId,
) -> sqlx::Result<Option<EntryRow>> {
    sqlx::query_as("select staff, youth, members, reported_at from survey_entry where survey_id = $1 and unit_id = $2")
        .bind(id)
        .bind(unit)
        .fetch_optional(db)
        .await
}

/// A unit's own figures for a round, checked: members ≤ youth ≤ staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figures {
    pub staff: i32,
    pub youth: i32,
    pub members: i32,
}

/// Whether a report was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reported {
    Saved,
    /// The round is locked: its figures are final.
    Locked,
    /// The round was discarded meanwhile.
    Gone,
}

/// A unit's own report for the round: creates or replaces its entry. The round's row is
/// held shared until the caller commits, so that the round is neither locked nor discarded
/// under a report in flight.
pub async fn report(
    db: &mut PgConnection,
    id: SurveyId,
    unit: crate::domain::ids::UnitId,
    figures: Figures,
    by: crate::domain::ids::AccountId,
    at: DateTime<Utc>,
) -> sqlx::Result<Reported> {
    let locked: Option<bool> =
        sqlx::query_scalar("select locked from survey where survey_id = $1 for share")
            .bind(id)
            .fetch_optional(&mut *db)
            .await?;
    match locked {
        None => return Ok(Reported::Gone),
        Some(true) => return Ok(Reported::Locked),
        Some(false) => {}
    }
    sqlx::query(
        "insert into survey_entry (survey_id, unit_id, status, staff, youth, members, reported_by, reported_at)
         select $1, $2, u.status, $3, $4, $5, $6, $7 from unit u where u.unit_id = $2
         on conflict (survey_id, unit_id) do update
            set staff = excluded.staff, youth = excluded.youth, members = excluded.members,
                reported_by = excluded.reported_by, reported_at = excluded.reported_at",
    )
    .bind(id)
    .bind(unit)
    .bind(figures.staff)
    .bind(figures.youth)
    .bind(figures.members)
    .bind(by)
    .bind(at)
    .execute(db)
    .await?;
    Ok(Reported::Saved)
}

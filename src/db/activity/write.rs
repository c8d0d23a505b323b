//! The changes the services make to activities: the activity itself, its state, its
//! units. Each takes the caller's transaction; the services check scope and audit.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::domain::activity::{ActivityInput, State, UnitRole};
use crate::domain::ids::{AccountId, ActivityId, OrganizationId, UnitId};

/// An activity's times as instants, for storing.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// Stores a new activity; returns its id.
pub async fn create(
    tx: &mut PgConnection,
    input: &ActivityInput,
    span: Span,
    organizer: OrganizationId,
    created_by: Option<AccountId>,
) -> sqlx::Result<ActivityId> {
    sqlx::query_scalar(
        "insert into activity (kind, title, starts_at, ends_at, place, organization_id, series,
                               edition, description, created_by, volunteer_team_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning activity_id",
    )
    .bind(input.kind)
    .bind(&input.title)
    .bind(span.starts_at)
    .bind(span.ends_at)
    .bind(&input.place)
    .bind(organizer)
    .bind(&input.series)
    .bind(input.edition)
    .bind(&input.description)
    .bind(created_by)
    .bind(input.volunteer_team)
    .fetch_one(tx)
    .await
}

/// Changes an activity's fields (not its organiser or state); false when it is gone.
pub async fn update(
    tx: &mut PgConnection,
    id: ActivityId,
    input: &ActivityInput,
    span: Span,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update activity set kind = $2, title = $3, starts_at = $4, ends_at = $5, place = $6,
                series = $7, edition = $8, description = $9, volunteer_team_id = $10
          where activity_id = $1",
    )
    .bind(id)
    .bind(input.kind)
    .bind(&input.title)
    .bind(span.starts_at)
    .bind(span.ends_at)
    .bind(&input.place)
    .bind(&input.series)
    .bind(input.edition)
    .bind(&input.description)
    .bind(input.volunteer_team)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves an activity from `from` to `to`; false when it is no longer in `from` (someone
/// moved it meanwhile).
pub async fn set_state(
    tx: &mut PgConnection,
    id: ActivityId,
    from: State,
    to: State,
) -> sqlx::Result<bool> {
    let done = sqlx::query("update activity set state = $3 where activity_id = $1 and state = $2")
        .bind(id)
        .bind(from)
        .bind(to)
        .execute(tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Adds a unit to an activity, or changes its role; false when it had that role already.
pub async fn put_unit(
    tx: &mut PgConnection,
    id: ActivityId,
    unit: UnitId,
    role: UnitRole,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "insert into activity_unit (activity_id, unit_id, role) values ($1, $2, $3)
         on conflict (activity_id, unit_id) do update set role = excluded.role
          where activity_unit.role <> excluded.role",
    )
    .bind(id)
    .bind(unit)
    .bind(role)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes a unit off an activity; false when it was not on it.
pub async fn remove_unit(
    tx: &mut PgConnection,
    id: ActivityId,
    unit: UnitId,
) -> sqlx::Result<bool> {
    let done = sqlx::query("delete from activity_unit where activity_id = $1 and unit_id = $2")
        .bind(id)
        .bind(unit)
        .execute(tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

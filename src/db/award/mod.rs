//! 青年文明号 (`award`, `award_step`): one post, the list in scope with its filters (state,
//! level, unit, review due by a day), the units holding posts, and the changes the service
//! makes; the history is `steps`, the figures of a period for the yearly report `report`.
//!
//! Who reads a post: the zone's readers all; a secretary the posts of their own units.

mod report;
mod steps;

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use crate::domain::award::{AwardInput, Collective, Level, State, StepInput};
use crate::domain::ids::{AccountId, AwardId, UnitId};
use crate::domain::role::Scope;
use crate::domain::unit::UnitKind;

pub use report::{Period, Recognition, period};
pub use steps::{NewStep, StepRow, add_step, history, last_dated_on};

/// One post as the list, its page and the export show it.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct AwardRow {
    pub award_id: AwardId,
    pub name: String,
    pub collective: Collective,
    pub unit_id: UnitId,
    /// The unit's name.
    pub unit_name: String,
    pub leader_name: String,
    pub description: String,
    pub state: State,
    pub registered_on: NaiveDate,
    pub level: Option<Level>,
    pub document_number: Option<String>,
    pub recognized_on: Option<NaiveDate>,
    pub reviewed_on: Option<NaiveDate>,
    pub review_due_on: Option<NaiveDate>,
}

/// What the list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub state: Option<State>,
    pub level: Option<Level>,
    pub unit: Option<UnitId>,
    /// Only posts holding the title whose review falls due on or before this day.
    pub due_by: Option<NaiveDate>,
}

/// The constraint that keeps one live record per collective of a unit.
pub const COLLECTIVE_UNIQUE: &str = "award_collective_unique";

const COLUMNS: &str = "a.award_id, a.name, a.collective, a.unit_id, u.name as unit_name,
    a.leader_name, a.description, a.state, a.registered_on, a.level, a.document_number,
    a.recognized_on, a.reviewed_on, a.review_due_on";

/// The read condition (`$1` the scope's units, null for the zone), then the filter's
/// (`$2`–`$5`).
const WHERE: &str = "($1::bigint[] is null or a.unit_id = any($1))
    and ($2::text is null or a.state = $2)
    and ($3::text is null or a.level = $3)
    and ($4::bigint is null or a.unit_id = $4)
    and ($5::date is null or (a.state in ('recognized', 'warned') and a.review_due_on <= $5))";

/// The post if the scope may read it.
pub async fn get(db: &PgPool, id: AwardId, scope: &Scope) -> sqlx::Result<Option<AwardRow>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from award a join unit u using (unit_id)
          where a.award_id = $2 and ($1::bigint[] is null or a.unit_id = any($1))"
    ))
    .bind(scope.unit_filter())
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Posts in scope that pass `filter`, by name, after the cursor (name, id).
pub async fn list(
    db: &PgPool,
    scope: &Scope,
    filter: &Filter,
    after: Option<(String, AwardId)>,
    limit: i64,
) -> sqlx::Result<Vec<AwardRow>> {
    let (after_name, after_id) = after.unzip();
    sqlx::query_as(&format!(
        "select {COLUMNS} from award a join unit u using (unit_id)
          where {WHERE} and ($6::text is null or (a.name, a.award_id) > ($6, $7))
          order by a.name, a.award_id limit $8"
    ))
    .bind(scope.unit_filter())
    .bind(filter.state)
    .bind(filter.level)
    .bind(filter.unit)
    .bind(filter.due_by)
    .bind(after_name)
    .bind(after_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// How many posts in scope pass `filter`.
pub async fn count(db: &PgPool, scope: &Scope, filter: &Filter) -> sqlx::Result<i64> {
    sqlx::query_scalar(&format!("select count(*) from award a where {WHERE}"))
        .bind(scope.unit_filter())
        .bind(filter.state)
        .bind(filter.level)
        .bind(filter.unit)
        .bind(filter.due_by)
        .fetch_one(db)
        .await
}

/// The units in scope that have posts, as (id, name), for the list's unit filter.
pub async fn units(db: &PgPool, scope: &Scope) -> sqlx::Result<Vec<(UnitId, String)>> {
    sqlx::query_as(
        "select u.unit_id, u.name from unit u
          where ($1::bigint[] is null or u.unit_id = any($1))
            and exists (select 1 from award a where a.unit_id = u.unit_id)
          order by u.name limit 500",
    )
    .bind(scope.unit_filter())
    .fetch_all(db)
    .await
}

/// Stores a newly registered post of `unit`; returns its id.
pub async fn create(
    tx: &mut PgConnection,
    input: &AwardInput,
    unit: UnitId,
    created_by: Option<AccountId>,
) -> sqlx::Result<AwardId> {
    sqlx::query_scalar(
        "insert into award (name, collective, unit_id, leader_name, description, registered_on, created_by)
         values ($1, $2, $3, $4, $5, $6, $7) returning award_id",
    )
    .bind(&input.name)
    .bind(input.collective)
    .bind(unit)
    .bind(&input.leader_name)
    .bind(&input.description)
    .bind(input.registered_on)
    .bind(created_by)
    .fetch_one(tx)
    .await
}

/// Moves the post from `from` to `to` by `step`: a recognition keeps its level, 文号 and
/// date, a review its date; both set the next review's day (`due`). False when the post is
/// no longer in `from` (someone else moved it meanwhile).
pub async fn advance(
    tx: &mut PgConnection,
    id: AwardId,
    (from, to): (State, State),
    step: &StepInput,
    due: Option<NaiveDate>,
) -> sqlx::Result<bool> {
    let (level, number) = step.recognition.clone().unzip();
    let done = sqlx::query(
        "update award set state = $3,
                level = coalesce($4, level),
                document_number = coalesce($5, document_number),
                recognized_on = case when $6::text = 'recognize' then $7::date else recognized_on end,
                reviewed_on = case when $6::text = 'review' then $7::date else reviewed_on end,
                review_due_on = coalesce($8::date, review_due_on)
          where award_id = $1 and state = $2",
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(level)
    .bind(number)
    .bind(step.step)
    .bind(step.dated_on)
    .bind(due)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Recognised posts in scope by level (levels without one left out), for a small figure.
pub async fn recognized_by_level(db: &PgPool, scope: &Scope) -> sqlx::Result<Vec<(Level, i64)>> {
    sqlx::query_as(
        "select a.level, count(*) from award a
          where ($1::bigint[] is null or a.unit_id = any($1))
            and a.state in ('recognized', 'warned')
          group by a.level",
    )
    .bind(scope.unit_filter())
    .fetch_all(db)
    .await
}

/// The unit of that full name, with its kind.
pub async fn find_unit(db: &PgPool, name: &str) -> sqlx::Result<Option<(UnitId, UnitKind)>> {
    sqlx::query_as("select unit_id, kind from unit where name = $1")
        .bind(name.trim())
        .fetch_optional(db)
        .await
}

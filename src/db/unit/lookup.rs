//! Finding units: by name, in a scope, the names to choose from, one unit with its detail,
//! and its figures across rounds.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgExecutor, PgPool};

use super::{Unit, UnitRow};
use crate::domain::ids::{SurveyId, UnitId};
use crate::domain::role::Scope;

pub async fn find_id_by_name(db: impl PgExecutor<'_>, name: &str) -> sqlx::Result<Option<UnitId>> {
    sqlx::query_scalar("select unit_id from unit where name = $1")
        .bind(name.trim())
        .fetch_optional(db)
        .await
}

/// The units in scope, by name; a secretary's own.
pub async fn list_scoped(db: &PgPool, scope: &Scope, limit: i64) -> sqlx::Result<Vec<UnitRow>> {
    sqlx::query_as(
        "select unit_id, kind, name, credit_code, status, contact_person
           from unit
          where ($1::bigint[] is null or unit_id = any($1))
          order by name limit $2",
    )
    .bind(scope.unit_filter())
    .bind(limit)
    .fetch_all(db)
    .await
}

/// All unit names, for choosing a secretary's unit.
pub async fn names(db: &PgPool) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("select name from unit where closed_on is null order by name")
        .fetch_all(db)
        .await
}

/// The unit if it lies in `scope`; out of scope reads as absent.
pub async fn get(db: impl PgExecutor<'_>, id: UnitId, scope: &Scope) -> sqlx::Result<Option<Unit>> {
    sqlx::query_as(
        "select unit_id, kind, name, credit_code, status, industry, staff, contact_person,
                contact_phone, closed_on
           from unit
          where unit_id = $1 and ($2::bigint[] is null or unit_id = any($2))",
    )
    .bind(id)
    .bind(scope.unit_filter())
    .fetch_optional(db)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryRow {
    pub survey_id: SurveyId,
    pub as_of: NaiveDate,
    pub locked: bool,
    pub status: Option<super::Status>,
    pub staff: Option<i32>,
    pub youth: i32,
    pub members: i32,
    pub reported_at: Option<DateTime<Utc>>,
    pub reported_by: Option<String>,
}

/// The unit's figures in every round, newest first.
pub async fn history(db: &PgPool, id: UnitId) -> sqlx::Result<Vec<HistoryRow>> {
    sqlx::query_as(
        "select s.survey_id, s.as_of, s.locked, e.status, e.staff, e.youth, e.members, e.reported_at,
                nullif(coalesce(nullif(a.display_name, ''), a.username), '') as reported_by
           from survey_entry e
           join survey s using (survey_id)
           left join account a on a.account_id = e.reported_by
          where e.unit_id = $1
          order by s.as_of desc",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

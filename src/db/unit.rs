//! Units of the zone, as far as accounts and scopes need them.

use sqlx::{PgConnection, PgExecutor, PgPool};

use crate::domain::ids::UnitId;
use crate::domain::role::Scope;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct UnitRow {
    pub unit_id: UnitId,
    pub kind: String,
    pub name: String,
    pub credit_code: Option<String>,
    pub status: Option<String>,
    pub contact_person: Option<String>,
}

impl UnitRow {
    pub fn kind_label(&self) -> &'static str {
        kind_label(&self.kind)
    }
}

pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "department" => "部门",
        "community" => "社区",
        "enterprise" => "企业",
        _ => "其他",
    }
}

pub async fn find_id_by_name(db: impl PgExecutor<'_>, name: &str) -> sqlx::Result<Option<UnitId>> {
    sqlx::query_scalar("select unit_id from unit where name = $1")
        .bind(name.trim())
        .fetch_optional(db)
        .await
}

/// The unit if it lies in `scope`; out of scope reads as absent.
pub async fn get_scoped(db: &PgPool, id: UnitId, scope: &Scope) -> sqlx::Result<Option<UnitRow>> {
    sqlx::query_as(
        "select unit_id, kind, name, credit_code, status, contact_person
           from unit
          where unit_id = $1 and ($2::bigint[] is null or unit_id = any($2))",
    )
    .bind(id)
    .bind(scope.unit_filter())
    .fetch_optional(db)
    .await
}

/// Units in scope, by name; the secretary's home lists theirs.
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

/// The unit of that name, created with only a name and kind if it does not exist yet.
pub async fn ensure_named(db: &mut PgConnection, name: &str, kind: &str) -> sqlx::Result<UnitId> {
    if let Some(id) = find_id_by_name(&mut *db, name).await? {
        return Ok(id);
    }
    sqlx::query_scalar("insert into unit (kind, name) values ($1, $2) returning unit_id")
        .bind(kind)
        .bind(name)
        .fetch_one(db)
        .await
}

/// All unit names, for choosing a secretary's unit.
pub async fn names(db: &PgPool) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("select name from unit order by name")
        .fetch_all(db)
        .await
}

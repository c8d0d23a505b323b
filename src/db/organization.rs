//! League organisations, as far as the unit pages show them.

use chrono::NaiveDate;
use sqlx::PgPool;

use crate::domain::ids::UnitId;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrganizationRow {
    pub organization_id: i64,
    pub name: String,
    pub kind: String,
    pub approved_on: Option<NaiveDate>,
    pub approval_number: Option<String>,
    pub secretary_name: Option<String>,
}

pub async fn for_unit(db: &PgPool, unit: UnitId) -> sqlx::Result<Option<OrganizationRow>> {
    sqlx::query_as(
        "select organization_id, name, kind, approved_on, approval_number, secretary_name
           from organization where unit_id = $1",
    )
    .bind(unit)
    .fetch_optional(db)
    .await
}

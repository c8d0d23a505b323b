//! Writing units: creating one by name when missing, creating and updating one from a
//! checked form, and closing it.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::PgConnection;

use super::find_id_by_name;
use crate::domain::ids::UnitId;

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

/// A checked unit, ready to be written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitInput {
    pub kind: super::UnitKind,
    pub name: String,
    pub credit_code: Option<String>,
    pub status: Option<super::Status>,
    pub industry: Option<String>,
    pub staff: Option<i32>,
    pub contact_person: Option<String>,
    pub contact_phone: Option<String>,
}

pub async fn create(db: &mut PgConnection, unit: &UnitInput) -> sqlx::Result<UnitId> {
    sqlx::query_scalar(
        "insert into unit (kind, name, credit_code, status, industry, staff, contact_person, contact_phone)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning unit_id",
    )
    .bind(unit.kind)
    .bind(&unit.name)
    .bind(&unit.credit_code)
    .bind(unit.status)
    .bind(&unit.industry)
    .bind(unit.staff)
    .bind(&unit.contact_person)
    .bind(&unit.contact_phone)
    .fetch_one(db)
    .await
}

pub async fn update(db: &mut PgConnection, id: UnitId, unit: &UnitInput) -> sqlx::Result<()> {
    sqlx::query(
        "update unit set kind = $2, name = $3, credit_code = $4, status = $5, industry = $6,
                         staff = $7, contact_person = $8, contact_phone = $9
          where unit_id = $1",
    )
    .bind(id)
    .bind(unit.kind)
    .bind(&unit.name)
    .bind(&unit.credit_code)
    .bind(unit.status)
    .bind(&unit.industry)
    .bind(unit.staff)
    .bind(&unit.contact_person)
    .bind(&unit.contact_phone)
    .execute(db)
    .await?;
    Ok(())
}

/// Closes (注销) a unit: it leaves the lists; an enterprise's status becomes 注销.
pub async fn close(db: &mut PgConnection, id: UnitId, on: NaiveDate) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update unit set closed_on = $2, status = case when kind = $3 then $4 else status end
          where unit_id = $1 and closed_on is null",
    )
    .bind(id)
    .bind(on)
    .bind(super::UnitKind::Enterprise)
    .bind(super::Status::Closed)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

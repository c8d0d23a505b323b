//! Units as use cases (committee only): creating one, changing one while it is open, and
//! closing it (注销), each with its audit event. A name or credit code that another unit
//! holds is refused with the message for the form.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::PgPool;

use crate::db::audit::Event;
use crate::db::unit::{Unit, UnitInput};
use crate::db::{self, ResultExt};
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::UnitId;
use crate::services::{Error, Outcome};

fn name_taken() -> Error {
    Error::refused("单位名称：已有同名单位")
}

fn credit_code_taken() -> Error {
    Error::refused("统一社会信用代码：已有单位使用该代码")
}

/// Creates the unit; refused when its name or credit code belongs to another unit.
pub async fn create(
    db: &PgPool,
    actor: &Actor,
    input: &UnitInput,
    now: DateTime<Utc>,
) -> Outcome<UnitId> {
    let mut tx = db.begin().await?;
    let id = db::unit::create(&mut tx, input)
        .await
        .on_constraint(db::unit::NAME_UNIQUE, name_taken)
        .on_constraint(db::unit::CREDIT_CODE_UNIQUE, credit_code_taken)?;
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::UnitCreated, "unit", id).after(json!(input)),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes the unit; refused as `create` is.
pub async fn update(
    db: &PgPool,
    actor: &Actor,
    before: &Unit,
    input: &UnitInput,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let mut tx = db.begin().await?;
    db::unit::update(&mut tx, before.unit_id, input)
        .await
        .on_constraint(db::unit::NAME_UNIQUE, name_taken)
        .on_constraint(db::unit::CREDIT_CODE_UNIQUE, credit_code_taken)?;
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::UnitUpdated, "unit", before.unit_id)
            .before(json!(before))
            .after(json!(input)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Closes the unit as of `today` (the zone's date); refused when it is closed already.
pub async fn close(
    db: &PgPool,
    actor: &Actor,
    unit: &Unit,
    (now, today): (DateTime<Utc>, NaiveDate),
) -> Outcome<()> {
    let mut tx = db.begin().await?;
    if !db::unit::close(&mut tx, unit.unit_id, today).await? {
        return Err(Error::refused("该单位已注销。"));
    }
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::UnitClosed, "unit", unit.unit_id)
            .before(json!({ "closed_on": null, "status": unit.status }))
            .after(json!({ "closed_on": today })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

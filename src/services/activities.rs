//! Activities as use cases: record one, change it, move it through its states, and list
//! the units that co-organise it or take part; each with its audit event.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;

use crate::db::activity::{ActivityRow, Span};
use crate::db::audit::Event;
use crate::domain::activity::{ActivityInput, State, UnitRole};
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::{ActivityId, OrganizationId, UnitId};
use crate::services::{Error, Outcome};

/// The refusal when an activity moved meanwhile or may not move so.
pub const STATE_MOVED: &str = "活动状态已变化，请刷新后再操作。";

/// Records an activity organised by `organizer`; returns its id.
pub async fn create(
    db: &PgPool,
    actor: &Actor,
    input: &ActivityInput,
    span: Span,
    organizer: OrganizationId,
    now: DateTime<Utc>,
) -> Outcome<ActivityId> {
    let mut tx = db.begin().await?;
    let id = crate::db::activity::create(&mut tx, input, span, organizer, actor.account_id).await?;
    super::commit_audited(
        tx,
        now,
        actor,
        Event::new(AuditAction::ActivityCreated, "activity", id)
            .after(json!({ "activity": input, "organization_id": organizer })),
    )
    .await?;
    Ok(id)
}

/// Changes an activity's fields.
pub async fn update(
    db: &PgPool,
    actor: &Actor,
    before: &ActivityRow,
    input: &ActivityInput,
    span: Span,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let mut tx = db.begin().await?;
    if !crate::db::activity::update(&mut tx, before.activity_id, input, span).await? {
        return Err(Error::refused("该活动已不存在"));
    }
    super::commit_audited(
        tx,
        now,
        actor,
        Event::new(AuditAction::ActivityUpdated, "activity", before.activity_id)
            .before(json!(before))
            .after(json!(input)),
    )
    .await?;
    Ok(())
}

/// Moves an activity to `to`, which its present state must allow (`State::next`).
pub async fn set_state(
    db: &PgPool,
    actor: &Actor,
    activity: &ActivityRow,
    to: State,
    now: DateTime<Utc>,
) -> Outcome<()> {
    if !activity.state.next().contains(&to) {
        return Err(Error::refused(STATE_MOVED));
    }
    let mut tx = db.begin().await?;
    if !crate::db::activity::set_state(&mut tx, activity.activity_id, activity.state, to).await? {
        return Err(Error::refused(STATE_MOVED));
    }
    super::commit_audited(
        tx,
        now,
        actor,
        Event::new(
            AuditAction::ActivityStateChanged,
            "activity",
            activity.activity_id,
        )
        .before(json!({ "state": activity.state }))
        .after(json!({ "state": to })),
    )
    .await?;
    Ok(())
}

/// Lists a unit on an activity with its role (or changes the role).
pub async fn put_unit(
    db: &PgPool,
    actor: &Actor,
    activity: ActivityId,
    unit: UnitId,
    role: UnitRole,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let mut tx = db.begin().await?;
    if !crate::db::activity::put_unit(&mut tx, activity, unit, role).await? {
        return Err(Error::refused("该单位已在本活动中"));
    }
    super::commit_audited(
        tx,
        now,
        actor,
        Event::new(AuditAction::ActivityUnitAdded, "activity", activity)
            .after(json!({ "unit_id": unit, "role": role })),
    )
    .await?;
    Ok(())
}

/// Takes a unit off an activity.
pub async fn remove_unit(
    db: &PgPool,
    actor: &Actor,
    activity: ActivityId,
    unit: UnitId,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let mut tx = db.begin().await?;
    if !crate::db::activity::remove_unit(&mut tx, activity, unit).await? {
        return Err(Error::refused("该单位不在本活动中"));
    }
    super::commit_audited(
        tx,
        now,
        actor,
        Event::new(AuditAction::ActivityUnitRemoved, "activity", activity)
            .before(json!({ "unit_id": unit })),
    )
    .await?;
    Ok(())
}

//! Survey rounds (摸排轮次) as use cases: open one (carrying the units of the last round
//! over), change its settings while it is open, discard one opened by mistake, and lock
//! it for good. A locked round never
//! changes; the database refuses it too (migration 0006).

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;

use crate::clock::Clock;
use crate::db::audit::Event;
use crate::db::survey::{RoundDetail, RoundSettings};
use crate::db::{self, ResultExt};
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::SurveyId;
use crate::services::{Error, Outcome};

/// The refusal for a change to a locked round.
pub const LOCKED: &str = "本轮摸排已锁定，不能再修改。";

/// The round was locked: a refusal of its own, because the page answers it differently
/// from the other refusals (back to the round rather than the form again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locked;

fn date_taken(settings: &RoundSettings) -> Error {
    Error::refused(format!(
        "统计截止日期：已有截止{}的摸排轮次",
        settings.as_of
    ))
}

/// Opens a round; with `carry_over`, the units of the latest round are listed in it to
/// report again. Refused when a round with the same as-of date exists. Returns the new
/// round and how many units were carried over.
pub async fn open(
    db: &PgPool,
    actor: &Actor,
    settings: &RoundSettings,
    carry_over: bool,
    now: DateTime<Utc>,
) -> Outcome<(SurveyId, u64)> {
    let mut tx = db.begin().await?;
    let (id, carried) = db::survey::open_round(&mut tx, settings, carry_over)
        .await
        .on_constraint(db::survey::AS_OF_UNIQUE, || date_taken(settings))?;
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::SurveyOpened, "survey", id)
            .after(json!({ "settings": settings, "carried_over": carried })),
    )
    .await?;
    tx.commit().await?;
    Ok((id, carried))
}

/// Changes an open round's settings. `Ok(Err(Locked))` when the round is locked; refused
/// when the as-of date belongs to another round.
pub async fn update(
    db: &PgPool,
    actor: &Actor,
    round: &RoundDetail,
    settings: &RoundSettings,
    now: DateTime<Utc>,
) -> Outcome<Result<(), Locked>> {
    let mut tx = db.begin().await?;
    let open = db::survey::update_settings(&mut tx, round.survey_id, settings)
        .await
        .on_constraint(db::survey::AS_OF_UNIQUE, || date_taken(settings))?;
    if !open {
        return Ok(Err(Locked));
    }
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::SurveyUpdated, "survey", round.survey_id)
            .before(json!(round))
            .after(json!(settings)),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Ends and locks a round as of its date (or `clock`'s today, if earlier); refused when it
/// is locked already.
pub async fn lock(db: &PgPool, actor: &Actor, survey: SurveyId, clock: &Clock) -> Outcome<()> {
    let now = clock.now();
    let mut tx = db.begin().await?;
    if !db::survey::lock(&mut tx, survey, clock.zone(), clock.today()).await? {
        return Err(Error::refused(LOCKED));
    }
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::SurveyLocked, "survey", survey)
            .before(json!({ "locked": false }))
            .after(json!({ "locked": true })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The refusal to discard a round someone has reported to, or a locked one.
pub const NOT_DISCARDABLE: &str =
    "只能删除尚无单位填报、未锁定的摸排轮次；本轮已有单位填报或已锁定，不能删除。";

/// Deletes a round opened by mistake: only while it is open and nobody has reported to it.
pub async fn discard(
    db: &PgPool,
    actor: &Actor,
    round: &RoundDetail,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let mut tx = db.begin().await?;
    if !db::survey::discard(&mut tx, round.survey_id).await? {
        return Err(Error::refused(NOT_DISCARDABLE));
    }
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::SurveyDiscarded, "survey", round.survey_id).before(json!(round)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Locks every open round whose reporting window has closed (`closes_on` before `clock`'s
/// local today), each as of its own date like [`lock`], with `actor` (the hourly job) in
/// its audit event: a round nobody remembered to lock stops changing the day after it
/// closes. Rounds without a window (imported ones) are left to the committee. Returns the
/// rounds locked, oldest first.
pub async fn lock_closed(db: &PgPool, actor: &Actor, clock: &Clock) -> Outcome<Vec<SurveyId>> {
    let closed: Vec<SurveyId> = sqlx::query_scalar(
        "select survey_id from survey where not locked and closes_on < $1 order by as_of",
    )
    .bind(clock.today())
    .fetch_all(db)
    .await?;
    let mut locked = Vec::with_capacity(closed.len());
    for survey in closed {
        match lock(db, actor, survey, clock).await {
            Ok(()) => locked.push(survey),
            // Locked by the committee in the meantime.
            Err(Error::Refused(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(locked)
}

//! Contests as use cases (issue 16 item 6): enter a unit or a person with their work, record
//! a judge's score or a typed rank, choose how scores become results, give awards by hand
//! or by rank, and give units 优秀组织奖 — each one transaction with its audit event, only
//! on activities of kind contest. The caller opened the activity for writing
//! (`db::activity::get_for_write`); the results as pages show them are in `results`.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::db::activity::ActivityRow;
use crate::db::audit::Event;
use crate::db::contest::NewEntry;
use crate::domain::activity::Kind;
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::contest::{self, Method};
use crate::domain::ids::UnitId;
use crate::services::{Error, Outcome};

mod awards;
mod results;

pub use awards::{add_organizing, award_by_rank, remove_organizing, set_award};
pub use results::{AwardGroup, ResultLine, Results, results};

/// The refusal on an activity that is not a contest.
pub const NOT_A_CONTEST: &str = "只有“竞赛/评比”类活动可以登记参赛作品和评分";
/// The refusal when the entry named is not (or no longer) in the contest.
pub const NO_SUCH_ENTRY: &str = "该参赛作品已不存在，请刷新后再操作";

fn contest_only(activity: &ActivityRow) -> Outcome<()> {
    if activity.kind == Kind::Contest {
        Ok(())
    } else {
        Err(Error::refused(NOT_A_CONTEST))
    }
}

/// Ends a contest use case: its audit event (on the activity) recorded and the transaction
/// committed together.
async fn commit(
    tx: sqlx::Transaction<'_, sqlx::Postgres>,
    now: DateTime<Utc>,
    actor: &Actor,
    action: AuditAction,
    activity: &ActivityRow,
    before: Option<Value>,
    after: Value,
) -> Outcome<()> {
    let mut event = Event::new(action, "activity", activity.activity_id).after(after);
    if let Some(before) = before {
        event = event.before(before);
    }
    super::commit_audited(tx, now, actor, event).await
}

/// The unit named exactly (full name, as the activity's units form asks for it).
async fn unit_named(db: &PgPool, typed: &str) -> Outcome<(UnitId, String)> {
    let name = crate::domain::name::normalize_name(typed);
    if name.is_empty() {
        return Err(Error::refused("单位：请填写单位全称"));
    }
    match crate::db::unit::find_id_by_name(db, &name).await? {
        Some(id) => Ok((id, name)),
        None => Err(Error::refused(format!(
            "找不到名为“{name}”的单位，请填写单位的全称"
        ))),
    }
}

/// Who enters, as the form gives them.
pub enum Entrant<'a> {
    /// A unit of the zone, by its full name.
    Unit(&'a str),
    /// A person: a participant of the activity (found by name) or a name typed, with their
    /// unit's full name when given.
    Person { name: &'a str, unit: &'a str },
}

/// Adds an entry titled `title` (1–100 characters); returns its id. A unit enters once; a
/// person's entry is linked to the participant of that name when there is exactly one.
pub async fn add_entry(
    db: &PgPool,
    actor: &Actor,
    activity: &ActivityRow,
    entrant: &Entrant<'_>,
    title: &str,
    now: DateTime<Utc>,
) -> Outcome<i64> {
    contest_only(activity)?;
    let title = contest::parse_title(title).map_err(Error::refused)?;
    let (unit, person, participation) = match entrant {
        Entrant::Unit(typed) => (Some(unit_named(db, typed).await?), None, None),
        Entrant::Person { name, unit } => {
            let name = crate::domain::name::normalize_name(name);
            if name.is_empty() || name.chars().count() > 40 {
                return Err(Error::refused("姓名：请填写参赛者姓名（不超过40个字）"));
            }
            let unit = if unit.trim().is_empty() {
                None
            } else {
                Some(unit_named(db, unit).await?)
            };
            let participants = crate::db::participation::list(db, activity.activity_id).await?;
            let mut named = participants.iter().filter(|p| p.name == name);
            let participation = match (named.next(), named.next()) {
                (Some(one), None) => Some(one.participation_id),
                _ => None,
            };
            (unit, Some(name), participation)
        }
    };
    let mut tx = db.begin().await?;
    let new = NewEntry {
        unit: unit.as_ref().map(|(id, _)| *id),
        person_name: person.as_deref(),
        participation,
        title: &title,
    };
    let Some(id) = crate::db::contest::add_entry(&mut tx, activity.activity_id, &new).await? else {
        let unit = unit.map(|(_, name)| name).unwrap_or_default();
        return Err(Error::refused(format!("“{unit}”已有参赛作品")));
    };
    let after = json!({ "contest_entry_id": id, "unit_id": new.unit, "person": person,
                        "participation_id": participation, "title": title });
    commit(
        tx,
        now,
        actor,
        AuditAction::ContestEntryAdded,
        activity,
        None,
        after,
    )
    .await?;
    Ok(id)
}

/// Removes an entry with its scores.
pub async fn remove_entry(
    db: &PgPool,
    actor: &Actor,
    activity: &ActivityRow,
    entry: i64,
    now: DateTime<Utc>,
) -> Outcome<()> {
    contest_only(activity)?;
    let mut tx = db.begin().await?;
    let before = crate::db::contest::entry(&mut *tx, activity.activity_id, entry)
        .await?
        .ok_or_else(|| Error::refused(NO_SUCH_ENTRY))?;
    crate::db::contest::remove_entry(&mut tx, activity.activity_id, entry).await?;
    let before = json!(before);
    let after = json!({ "contest_entry_id": entry, "removed": true });
    commit(
        tx,
        now,
        actor,
        AuditAction::ContestEntryRemoved,
        activity,
        Some(before),
        after,
    )
    .await?;
    Ok(())
}

/// Records judge `judge`'s score of an entry (0–100 to one decimal), replacing theirs.
pub async fn record_score(
    db: &PgPool,
    actor: &Actor,
    activity: &ActivityRow,
    entry: i64,
    judge: &str,
    score: &str,
    now: DateTime<Utc>,
) -> Outcome<()> {
    contest_only(activity)?;
    let judge = contest::parse_judge(judge).map_err(Error::refused)?;
    let tenths = contest::parse_score(score).map_err(Error::refused)?;
    let mut tx = db.begin().await?;
    crate::db::contest::entry(&mut *tx, activity.activity_id, entry)
        .await?
        .ok_or_else(|| Error::refused(NO_SUCH_ENTRY))?;
    let before = crate::db::contest::put_score(&mut tx, entry, &judge, tenths).await?;
    let after = json!({ "contest_entry_id": entry, "judge": judge, "score_tenths": tenths });
    let before = before.map(|b| json!({ "score_tenths": b }));
    commit(
        tx,
        now,
        actor,
        AuditAction::ContestScored,
        activity,
        before,
        after,
    )
    .await?;
    Ok(())
}

/// Removes judge `judge`'s score of an entry.
pub async fn remove_score(
    db: &PgPool,
    actor: &Actor,
    activity: &ActivityRow,
    entry: i64,
    judge: &str,
    now: DateTime<Utc>,
) -> Outcome<()> {
    contest_only(activity)?;
    let mut tx = db.begin().await?;
    crate::db::contest::entry(&mut *tx, activity.activity_id, entry)
        .await?
        .ok_or_else(|| Error::refused(NO_SUCH_ENTRY))?;
    if !crate::db::contest::remove_score(&mut tx, entry, judge).await? {
        return Err(Error::refused(format!("评委“{judge}”没有给该作品打分")));
    }
    let after = json!({ "contest_entry_id": entry, "judge": judge, "score_tenths": null });
    commit(
        tx,
        now,
        actor,
        AuditAction::ContestScored,
        activity,
        None,
        after,
    )
    .await?;
    Ok(())
}

/// Sets an entry's typed rank (a whole number from 1), or clears it when `rank` is empty.
pub async fn set_rank(
    db: &PgPool,
    actor: &Actor,
    activity: &ActivityRow,
    entry: i64,
    rank: &str,
    now: DateTime<Utc>,
) -> Outcome<()> {
    contest_only(activity)?;
    let rank = contest::parse_rank(rank).map_err(Error::refused)?;
    let mut tx = db.begin().await?;
    if !crate::db::contest::set_rank(&mut tx, activity.activity_id, entry, rank).await? {
        return Err(Error::refused(NO_SUCH_ENTRY));
    }
    let after = json!({ "contest_entry_id": entry, "typed_rank": rank });
    commit(
        tx,
        now,
        actor,
        AuditAction::ContestScored,
        activity,
        None,
        after,
    )
    .await?;
    Ok(())
}

/// Chooses how the contest's scores become its results.
pub async fn set_method(
    db: &PgPool,
    actor: &Actor,
    activity: &ActivityRow,
    method: Method,
    now: DateTime<Utc>,
) -> Outcome<()> {
    contest_only(activity)?;
    let mut tx = db.begin().await?;
    let before = crate::db::contest::set_method(&mut tx, activity.activity_id, method).await?;
    let (before, after) = (json!({ "method": before }), json!({ "method": method }));
    commit(
        tx,
        now,
        actor,
        AuditAction::ContestMethodChanged,
        activity,
        Some(before),
        after,
    )
    .await?;
    Ok(())
}

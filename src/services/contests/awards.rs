//! Awards of a contest as use cases: one entry's award by hand, every entry's by place
//! (the helper), and 优秀组织奖 for units; each one transaction with its audit event.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;

use super::{NO_SUCH_ENTRY, commit, contest_only, results, unit_named};
use crate::db::activity::ActivityRow;
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::contest::{self, Award, AwardCounts};
use crate::domain::ids::UnitId;
use crate::services::{Error, Outcome};

/// Gives an entry an award (一等奖 … 优秀奖), or none when `award` is empty; an entry has at
/// most one, so this replaces its award.
pub async fn set_award(
    db: &PgPool,
    actor: &Actor,
    activity: &ActivityRow,
    entry: i64,
    award: &str,
    now: DateTime<Utc>,
) -> Outcome<Option<Award>> {
    contest_only(activity)?;
    let award = Award::parse_for_entry(award).map_err(Error::refused)?;
    let mut tx = db.begin().await?;
    let before = crate::db::contest::entry(&mut *tx, activity.activity_id, entry)
        .await?
        .ok_or_else(|| Error::refused(NO_SUCH_ENTRY))?;
    crate::db::contest::set_awards(&mut tx, activity.activity_id, &[(entry, award)]).await?;
    let before = json!({ "contest_entry_id": entry, "award": before.award });
    let after = json!({ "contest_entry_id": entry, "award": award });
    commit(
        tx,
        now,
        actor,
        AuditAction::ContestAwarded,
        activity,
        Some(before),
        after,
    )
    .await?;
    Ok(award)
}

/// Gives every entry its award by place (`contest::award_by_rank`), replacing the awards
/// given by hand; returns how many entries' awards changed. Refused when a count is not a
/// whole number from 0 to `AwardCounts::MAX` or all are 0.
pub async fn award_by_rank(
    db: &PgPool,
    actor: &Actor,
    activity: &ActivityRow,
    counts: AwardCounts,
    now: DateTime<Utc>,
) -> Outcome<u64> {
    contest_only(activity)?;
    let all = [counts.first, counts.second, counts.third, counts.excellent];
    if all.iter().any(|c| !(0..=AwardCounts::MAX).contains(c)) || all.iter().all(|c| *c == 0) {
        return Err(Error::refused(
            "获奖数量：请至少为一个奖项填写0到999之间的整数",
        ));
    }
    let standing = results(db, activity.activity_id).await?;
    if standing.lines.iter().all(|l| l.placed.place.is_none()) {
        return Err(Error::refused("还没有作品有成绩或名次，无法按名次评奖"));
    }
    let placed: Vec<_> = standing.lines.iter().map(|l| l.placed).collect();
    let awards: Vec<(i64, Option<Award>)> = standing
        .lines
        .iter()
        .zip(contest::award_by_rank(&placed, counts))
        .map(|(l, a)| (l.entry.contest_entry_id, a))
        .collect();
    let mut tx = db.begin().await?;
    let changed = crate::db::contest::set_awards(&mut tx, activity.activity_id, &awards).await?;
    let after = json!({ "by_rank": [counts.first, counts.second, counts.third, counts.excellent],
                        "awards": awards });
    commit(
        tx,
        now,
        actor,
        AuditAction::ContestAwarded,
        activity,
        None,
        after,
    )
    .await?;
    Ok(changed)
}

/// Gives the unit named exactly 优秀组织奖; returns its name.
pub async fn add_organizing(
    db: &PgPool,
    actor: &Actor,
    activity: &ActivityRow,
    unit: &str,
    now: DateTime<Utc>,
) -> Outcome<String> {
    contest_only(activity)?;
    let (unit, name) = unit_named(db, unit).await?;
    let mut tx = db.begin().await?;
    if !crate::db::contest::add_organizing(&mut tx, activity.activity_id, unit).await? {
        return Err(Error::refused(format!("“{name}”已获优秀组织奖")));
    }
    let after = json!({ "organizing_award": unit });
    commit(
        tx,
        now,
        actor,
        AuditAction::ContestAwarded,
        activity,
        None,
        after,
    )
    .await?;
    Ok(name)
}

/// Takes 优秀组织奖 from a unit.
pub async fn remove_organizing(
    db: &PgPool,
    actor: &Actor,
    activity: &ActivityRow,
    unit: UnitId,
    now: DateTime<Utc>,
) -> Outcome<()> {
    contest_only(activity)?;
    let mut tx = db.begin().await?;
    if !crate::db::contest::remove_organizing(&mut tx, activity.activity_id, unit).await? {
        return Err(Error::refused("该单位没有优秀组织奖"));
    }
    let before = json!({ "organizing_award": unit });
    let after = json!({ "organizing_award": null });
    commit(
        tx,
        now,
        actor,
        AuditAction::ContestAwarded,
        activity,
        Some(before),
        after,
    )
    .await?;
    Ok(())
}

//! Names stored before the one name normaliser (`domain::name::normalize_name`) existed are
//! rewritten through it once, so that what is stored, matched and searched agree for old
//! rows too: a unit named `五彩湾 社区` or a member named `艾力・吐尔逊` is found by a search
//! for `五彩湾社区` or `艾力·吐尔逊`, and a new round's workbook matches them.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;

use crate::db::audit::Event;
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::name::normalize_name;

/// The record of the rewrite in `maintenance_task`.
const TASK: &str = "names_normalized_v1";

/// The longest unit name (`domain::unit`'s rule).
const UNIT_NAME_MAX: usize = 100;

/// What the rewrite changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rewritten {
    /// Units renamed to their normalised name.
    pub units: u64,
    /// Units whose normalised name another unit already had: each is renamed to that name
    /// with `（重名待核，编号N）` after it, N its id, for the committee to merge or rename.
    pub duplicates: Vec<String>,
    /// Members whose name changed.
    pub members: u64,
}

/// The name a unit gets when its normalised name is taken: that name, cut to fit, and a
/// mark with the unit's id, which no other unit can have.
fn duplicate_name(normal: &str, unit_id: i64) -> String {
    let mark = format!("（重名待核，编号{unit_id}）");
    let keep = UNIT_NAME_MAX.saturating_sub(mark.chars().count());
    normal.chars().take(keep).collect::<String>() + &mark
}

/// Rewrites every unit's and member's name through `normalize_name`, once: in one
/// transaction, recorded in `maintenance_task` and in the audit log (one `unit.updated`
/// event per unit renamed; one `member.updated` event with the count of members). Returns
/// `None` when it was done before. Members whose name is only Chinese characters and the
/// middle dot are left unread: the normaliser leaves such names as they are.
pub async fn normalize_stored(db: &PgPool, at: DateTime<Utc>) -> sqlx::Result<Option<Rewritten>> {
    let mut tx = db.begin().await?;
    sqlx::query("lock table maintenance_task in exclusive mode")
        .execute(&mut *tx)
        .await?;
    let done: bool =
        sqlx::query_scalar("select exists (select 1 from maintenance_task where task = $1)")
            .bind(TASK)
            .fetch_one(&mut *tx)
            .await?;
    if done {
        return Ok(None);
    }
    let actor = Actor::system("(names)", "local");
    let mut rewritten = Rewritten::default();
    let units: Vec<(i64, String)> =
        sqlx::query_as("select unit_id, name from unit order by unit_id")
            .fetch_all(&mut *tx)
            .await?;
    let mut taken: std::collections::HashSet<String> =
        units.iter().map(|(_, name)| name.clone()).collect();
    for (unit_id, name) in &units {
        let normal = normalize_name(name);
        if normal == *name || normal.is_empty() {
            continue;
        }
        let renamed = if taken.contains(&normal) {
            let marked = duplicate_name(&normal, *unit_id);
            rewritten.duplicates.push(marked.clone());
            marked
        } else {
            rewritten.units += 1;
            normal
        };
        sqlx::query("update unit set name = $2 where unit_id = $1")
            .bind(unit_id)
            .bind(&renamed)
            .execute(&mut *tx)
            .await?;
        crate::db::audit::record(
            &mut *tx,
            at,
            &actor,
            Event::new(AuditAction::UnitUpdated, "unit", unit_id)
                .before(json!({ "name": name }))
                .after(json!({ "name": renamed, "reason": "名称规范化" })),
        )
        .await?;
        taken.remove(name);
        taken.insert(renamed);
    }
    let members: Vec<(i64, String)> = sqlx::query_as(
        "select member_id, name from member where name !~ '^[\u{4e00}-\u{9fff}·]+$'",
    )
    .fetch_all(&mut *tx)
    .await?;
    let (ids, names): (Vec<i64>, Vec<String>) = members
        .into_iter()
        .filter_map(|(id, name)| {
            let normal = normalize_name(&name);
            (normal != name && !normal.is_empty()).then_some((id, normal))
        })
        .unzip();
    if !ids.is_empty() {
        rewritten.members = sqlx::query(
            "update member m set name = n.name
               from unnest($1::bigint[], $2::text[]) n(member_id, name)
              where m.member_id = n.member_id",
        )
        .bind(&ids)
        .bind(&names)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        crate::db::audit::record(
            &mut *tx,
            at,
            &actor,
            Event::new(AuditAction::MemberUpdated, "member", "")
                .after(json!({ "names_normalized": rewritten.members, "reason": "名称规范化" })),
        )
        .await?;
    }
    sqlx::query("insert into maintenance_task (task, done_at) values ($1, $2)")
        .bind(TASK)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Some(rewritten))
}

//! Who took part in an activity and their volunteer hours, as use cases: add a member from
//! the roster or a young person who is not one, remove one, and record everyone's hours at
//! once — all or nothing, each with its audit event (a non-member's phone never in it).

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;

use crate::crypto::Keys;
use crate::db::activity::ActivityRow;
use crate::db::audit::Event;
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::participation::{Role, Tenths, parse_hours, span_tenths};
use crate::domain::phone::Phone;
use crate::domain::role::Scope;
use crate::services::{Error, Outcome};

/// Adds the one active member named `name` in `scope` (the roster the user keeps).
pub async fn add_member(
    db: &PgPool,
    actor: &Actor,
    activity: &ActivityRow,
    scope: &Scope,
    name: &str,
    role: Role,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let name = crate::domain::name::normalize_name(name);
    if name.is_empty() {
        return Err(Error::refused("请填写团员姓名"));
    }
    let member = match crate::db::participation::members_named(db, scope, &name).await?[..] {
        [member] => member,
        [] => {
            return Err(Error::refused(format!(
                "您管理的团员名册中没有“{name}”；不是团员的青年请在下方按青年添加"
            )));
        }
        _ => {
            return Err(Error::refused(format!(
                "名册中有多名“{name}”，请在团员页面核对后由团工委添加"
            )));
        }
    };
    let mut tx = db.begin().await?;
    if !crate::db::participation::add_member(&mut tx, activity.activity_id, member, role).await? {
        return Err(Error::refused(format!("“{name}”已在参与人员中")));
    }
    crate::db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(
            AuditAction::ActivityParticipantAdded,
            "activity",
            activity.activity_id,
        )
        .after(json!({ "member_id": member, "role": role })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A young person who is not a member, as the form gives them.
pub struct Person<'a> {
    pub name: &'a str,
    pub phone: &'a str,
    pub unit: &'a str,
    pub role: Role,
}

/// Adds a young person who is not a member: a name of at most 40 characters, a mobile
/// number, a unit of at most 100 characters.
pub async fn add_person(
    db: &PgPool,
    keys: &Keys,
    actor: &Actor,
    activity: &ActivityRow,
    person: &Person<'_>,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let name = crate::domain::name::normalize_name(person.name);
    if name.is_empty() || name.chars().count() > 40 {
        return Err(Error::refused("姓名：请填写（不超过40个字）"));
    }
    let Some(phone) = Phone::parse(person.phone).filter(Phone::is_mobile) else {
        return Err(Error::refused("手机号：请填写11位手机号码"));
    };
    let unit = person.unit.split_whitespace().collect::<Vec<_>>().join(" ");
    if unit.chars().count() > 100 {
        return Err(Error::refused("单位：不能超过100个字"));
    }
    let mut tx = db.begin().await?;
    let added = crate::db::participation::add_person(
        &mut tx,
        keys,
        activity.activity_id,
        &name,
        &phone,
        &unit,
        person.role,
    )
    .await?;
    if !added {
        return Err(Error::refused(format!(
            "手机号{}已登记在参与人员中",
            phone.masked()
        )));
    }
    crate::db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(
            AuditAction::ActivityParticipantAdded,
            "activity",
            activity.activity_id,
        )
        .after(json!({ "name": name, "phone": phone.masked(), "unit": unit, "role": person.role })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a participant.
pub async fn remove(
    db: &PgPool,
    actor: &Actor,
    activity: &ActivityRow,
    participation: i64,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let mut tx = db.begin().await?;
    if !crate::db::participation::remove(&mut tx, activity.activity_id, participation).await? {
        return Err(Error::refused("该人员不在本活动中"));
    }
    crate::db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(
            AuditAction::ActivityParticipantRemoved,
            "activity",
            activity.activity_id,
        )
        .before(json!({ "participation_id": participation })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records the hours typed for each participant (`(participation, text)`, by the name the
/// page showed): every line read first, and on any fault nothing is written and every
/// fault is returned as `姓名：原因`. Returns how many participants' hours changed.
pub async fn set_hours(
    db: &PgPool,
    actor: &Actor,
    activity: &ActivityRow,
    typed: &[(i64, String, String)],
    now: DateTime<Utc>,
) -> Outcome<Result<u64, Vec<String>>> {
    let span = span_tenths(activity.starts_at, activity.ends_at);
    let mut hours: Vec<(i64, Option<Tenths>)> = Vec::with_capacity(typed.len());
    let mut faults = Vec::new();
    for (id, name, text) in typed {
        match parse_hours(text, span) {
            Ok(tenths) => hours.push((*id, tenths)),
            Err(reason) => faults.push(format!("{name}：{reason}")),
        }
    }
    if !faults.is_empty() {
        return Ok(Err(faults));
    }
    let mut tx = db.begin().await?;
    let changed =
        crate::db::participation::set_hours(&mut tx, activity.activity_id, &hours).await?;
    if changed > 0 {
        crate::db::audit::record(
            &mut *tx,
            now,
            actor,
            Event::new(
                AuditAction::ActivityHoursRecorded,
                "activity",
                activity.activity_id,
            )
            .after(json!({ "hours_tenths": hours })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Ok(changed))
}

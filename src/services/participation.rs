//! Who took part in an activity and their volunteer hours, as use cases: add a member from
//! the roster or a young person who is not one, remove one, and record everyone's hours at
//! once — all or nothing, each with its audit event (a non-member's phone never in it).

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use crate::crypto::Keys;
use crate::db::activity::ActivityRow;
use crate::db::audit::Event;
use crate::db::participation::{Entry, Existing, Named, Who, put};
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::{ActivityId, MemberId};
use crate::domain::participation::{Role, Tenths, parse_hours, span_tenths};
use crate::domain::phone::Phone;
use crate::domain::role::Scope;
use crate::services::{Error, Outcome};

/// Adds the one active member named `name` in `scope` (the roster the user keeps).
pub async fn add_member(
    db: &PgPool,
    keys: &Keys,
    actor: &Actor,
    (activity, scope): (&ActivityRow, &Scope),
    name: &str,
    role: Role,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let name = crate::domain::name::normalize_name(name);
    if name.is_empty() {
        return Err(Error::refused("请填写团员姓名"));
    }
    let member =
        match crate::db::participation::members_named(db, scope, std::slice::from_ref(&name))
            .await?[..]
        {
            [Named::One(member)] => member,
            [Named::None] | [] => {
                return Err(Error::refused(format!(
                    "您管理的团员名册中没有“{name}”；不是团员的青年请在下方按青年添加"
                )));
            }
            [..] => {
                return Err(Error::refused(format!(
                    "名册中有多名“{name}”，请在团员页面核对后由团工委添加"
                )));
            }
        };
    let mut tx = db.begin().await?;
    if add_member_in(
        &mut tx,
        keys,
        actor,
        activity.activity_id,
        member,
        role,
        now,
    )
    .await?
    .is_none()
    {
        return Err(Error::refused(format!("“{name}”已在参与人员中")));
    }
    tx.commit().await?;
    Ok(())
}

/// Adds a member inside the caller's transaction, with its audit event; the new
/// participation's id, None (and nothing written) when they take part already.
pub(crate) async fn add_member_in(
    tx: &mut PgConnection,
    keys: &Keys,
    actor: &Actor,
    activity: ActivityId,
    member: MemberId,
    role: Role,
    now: DateTime<Utc>,
) -> Outcome<Option<i64>> {
    let entry = Entry {
        who: Who::Member(member),
        role,
        hours: None,
    };
    let Some(id) = put(tx, keys, activity, &[entry], Existing::Keep).await?[0] else {
        return Ok(None);
    };
    crate::db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::ActivityParticipantAdded, "activity", activity)
            .after(json!({ "member_id": member, "role": role })),
    )
    .await?;
    Ok(Some(id))
}

/// A young person who is not a member, as the form gives them.
pub struct Person<'a> {
    pub name: &'a str,
    pub phone: &'a str,
    pub unit: &'a str,
    pub role: Role,
}

/// A young person as checked: name normalised (1–40 characters), a mobile number, the
/// unit with its spaces collapsed (at most 100 characters).
pub struct CheckedPerson {
    pub name: String,
    pub phone: Phone,
    pub unit: String,
}

/// Checks a young person as typed; refused with the field's message (`姓名：…`,
/// `手机号：…`, `单位：…`).
pub fn check_person(name: &str, phone: &str, unit: &str) -> Result<CheckedPerson, Error> {
    let name = crate::domain::name::normalize_name(name);
    if name.is_empty() || name.chars().count() > 40 {
        return Err(Error::refused("姓名：请填写（不超过40个字）"));
    }
    let Some(phone) = Phone::parse(phone).filter(Phone::is_mobile) else {
        return Err(Error::refused("手机号：请填写11位手机号码"));
    };
    let unit = unit.split_whitespace().collect::<Vec<_>>().join(" ");
    if unit.chars().count() > 100 {
        return Err(Error::refused("单位：不能超过100个字"));
    }
    Ok(CheckedPerson { name, phone, unit })
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
    let checked = check_person(person.name, person.phone, person.unit)?;
    let mut tx = db.begin().await?;
    let added = add_person_in(
        &mut tx,
        keys,
        actor,
        activity.activity_id,
        &checked,
        person.role,
        now,
    )
    .await?;
    if added.is_none() {
        return Err(Error::refused(format!(
            "手机号{}已登记在参与人员中",
            checked.phone.masked()
        )));
    }
    tx.commit().await?;
    Ok(())
}

/// Adds a checked young person inside the caller's transaction, with its audit event (the
/// phone only masked in it); the new participation's id, None (and nothing written) when
/// someone with that phone takes part already.
pub(crate) async fn add_person_in(
    tx: &mut PgConnection,
    keys: &Keys,
    actor: &Actor,
    activity: ActivityId,
    person: &CheckedPerson,
    role: Role,
    now: DateTime<Utc>,
) -> Outcome<Option<i64>> {
    let CheckedPerson { name, phone, unit } = person;
    let entry = Entry {
        who: Who::Person { name, phone, unit },
        role,
        hours: None,
    };
    let Some(id) = put(tx, keys, activity, &[entry], Existing::Keep).await?[0] else {
        return Ok(None);
    };
    crate::db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::ActivityParticipantAdded, "activity", activity)
            .after(json!({ "name": name, "phone": phone.masked(), "unit": unit, "role": role })),
    )
    .await?;
    Ok(Some(id))
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
    let mut tx = db.begin().await?;
    let done = set_hours_in(&mut tx, actor, activity, typed, now).await?;
    if done.is_ok() {
        tx.commit().await?;
    }
    Ok(done)
}

/// As `set_hours`, inside the caller's transaction; on faults nothing is written.
pub(crate) async fn set_hours_in(
    tx: &mut PgConnection,
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
    let changed = crate::db::participation::set_hours(tx, activity.activity_id, &hours).await?;
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
    Ok(Ok(changed))
}

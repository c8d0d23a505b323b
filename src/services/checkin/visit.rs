//! A participant's form sent to a check-in link: counted for the rate limits, checked
//! against the window, then a check-in (as a roster member, a young person taking part
//! already, or one added now) or, for the same name and number again, a check-out.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;

use crate::crypto::Keys;
use crate::db::activity::ActivityRow;
use crate::db::audit::Event;
use crate::db::checkin::Link;
use crate::db::checkin_entry::NewEntry;
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::checkin as rules;
use crate::domain::participation::{Role, Tenths};
use crate::services::participation::{self, check_person};
use crate::services::{Error, Outcome};

use super::unavailable;

/// The refusal when a link is used too often, from one address or in all.
pub const TOO_OFTEN: &str = "提交过于频繁，请稍后再试。";

/// What a participant's form did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    /// Checked in at the time, under the name as typed.
    CheckedIn { name: String, at: DateTime<Utc> },
    /// Checked in at the time, less than `REPEAT_WITHIN` ago: nothing changed.
    AlreadyIn { at: DateTime<Utc> },
    /// Checked out at the time, with the hours proposed.
    CheckedOut {
        name: String,
        at: DateTime<Utc>,
        proposed: Tenths,
    },
    /// Checked out before, at the time: nothing changed.
    AlreadyOut { at: DateTime<Utc> },
}

/// A participant's form: name, mobile number and (optional) unit as typed, from `address`.
pub struct Visit<'a> {
    pub name: &'a str,
    pub phone: &'a str,
    pub unit: &'a str,
    pub address: &'a str,
}

/// Checks the person in, or out when the same name and phone checked in before (more than
/// `REPEAT_WITHIN` ago). Counted first for the rate limits (`PER_LINK_LIMIT`,
/// `PER_ADDRESS_LIMIT` per `RATE_WINDOW`); refused outside
/// the window, on a closed link, and on a bad name, phone or unit, writing nothing but the
/// count. A first check-in is the roster member of that name and mobile number under the
/// organiser, or else the young person with that phone, taking part already or added now
/// as a volunteer. The answers never tell whether the number matched anyone else.
pub async fn visit(
    db: &PgPool,
    keys: &Keys,
    link: &Link,
    activity: &ActivityRow,
    visit: &Visit<'_>,
    now: DateTime<Utc>,
) -> Outcome<Done> {
    crate::db::checkin::record_attempt(db, link.checkin_id, visit.address, now).await?;
    let (per_link, per_address) = crate::db::checkin::attempts_since(
        db,
        link.checkin_id,
        visit.address,
        now - rules::RATE_WINDOW,
    )
    .await?;
    if per_link > rules::PER_LINK_LIMIT || per_address > rules::PER_ADDRESS_LIMIT {
        return Err(Error::refused(TOO_OFTEN));
    }
    if let Some(reason) = unavailable(link, activity, now) {
        return Err(Error::refused(reason));
    }
    let person = check_person(visit.name, visit.phone, visit.unit)?;
    let phone_index = keys.blind_index(person.phone.as_str());
    let actor = Actor::system("(签到)", visit.address);
    let mut tx = db.begin().await?;
    if let Some(mine) =
        crate::db::checkin_entry::mine(&mut tx, activity.activity_id, &phone_index).await?
    {
        if mine.typed_name != person.name {
            return Err(Error::refused(NOT_THE_SAME));
        }
        if let Some(at) = mine.checked_out_at {
            return Ok(Done::AlreadyOut { at });
        }
        if now < mine.checked_in_at + rules::REPEAT_WITHIN {
            return Ok(Done::AlreadyIn {
                at: mine.checked_in_at,
            });
        }
        crate::db::checkin_entry::check_out(&mut tx, mine.checkin_entry_id, now, visit.address)
            .await?;
        crate::db::audit::record(
            &mut *tx,
            now,
            &actor,
            Event::new(
                AuditAction::CheckinCheckedOut,
                "activity",
                activity.activity_id,
            )
            .after(json!({ "checkin_entry_id": mine.checkin_entry_id })),
        )
        .await?;
        tx.commit().await?;
        let at = now.max(mine.checked_in_at);
        let proposed =
            rules::proposed_tenths(mine.checked_in_at, at, activity.starts_at, activity.ends_at);
        return Ok(Done::CheckedOut {
            name: mine.typed_name,
            at,
            proposed,
        });
    }
    let mut member = None;
    for (id, version, cipher) in
        crate::db::checkin::members_named(&mut tx, activity.organization_id, &person.name).await?
    {
        let on_record = keys.decrypt(version, &cipher).ok();
        let same = on_record
            .as_deref()
            .and_then(crate::domain::phone::Phone::parse)
            .is_some_and(|p| p == person.phone);
        if same {
            member = Some(id);
            break;
        }
    }
    let found =
        crate::db::participation::find(&mut tx, activity.activity_id, member, &phone_index).await?;
    let participation = match (found, member) {
        (Some(id), _) => id,
        (None, Some(m)) => participation::add_member_in(
            &mut tx,
            keys,
            &actor,
            activity.activity_id,
            m,
            Role::Volunteer,
            now,
        )
        .await?
        .ok_or_else(|| Error::refused(TRY_AGAIN))?,
        (None, None) => participation::add_person_in(
            &mut tx,
            keys,
            &actor,
            activity.activity_id,
            &person,
            Role::Volunteer,
            now,
        )
        .await?
        .ok_or_else(|| Error::refused(TRY_AGAIN))?,
    };
    let entry = crate::db::checkin_entry::add_entry(
        &mut tx,
        &NewEntry {
            checkin: link.checkin_id,
            activity: activity.activity_id,
            participation,
            phone_index: &phone_index,
            typed_name: &person.name,
            at: now,
            address: visit.address,
        },
    )
    .await?
    .ok_or_else(|| Error::refused(TRY_AGAIN))?;
    crate::db::audit::record(
        &mut *tx,
        now,
        &actor,
        Event::new(
            AuditAction::CheckinCheckedIn,
            "activity",
            activity.activity_id,
        )
        .after(json!({ "checkin_entry_id": entry, "participation_id": participation })),
    )
    .await?;
    tx.commit().await?;
    Ok(Done::CheckedIn {
        name: person.name,
        at: now,
    })
}

/// The answer to a second visit whose name is not the one typed at check-in with that
/// number: it names nobody.
pub const NOT_THE_SAME: &str = "签退时请填写与签到时相同的姓名和手机号。";

/// The answer when the same person's form raced this one.
const TRY_AGAIN: &str = "提交冲突，请再提交一次。";

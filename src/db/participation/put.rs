//! Adding people to an activity, many in two statements (members, then young people known
//! by their phone): the sign-in import's whole sheet and the form's one person alike.

use std::collections::HashMap;

use sqlx::PgConnection;

use crate::crypto::Keys;
use crate::domain::ids::{ActivityId, MemberId};
use crate::domain::participation::{Role, Tenths};
use crate::domain::phone::Phone;

/// Who takes part: a member of the roster, or a young person who is not one.
#[derive(Debug, Clone, Copy)]
pub enum Who<'a> {
    Member(MemberId),
    Person {
        name: &'a str,
        phone: &'a Phone,
        unit: &'a str,
    },
}

/// One person to add, with their role and hours (None: none yet).
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub who: Who<'a>,
    pub role: Role,
    pub hours: Option<Tenths>,
}

/// What becomes of someone who takes part already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Left as they are.
    Keep,
    /// Their hours set from the entry, when it has hours.
    SetHours,
}

/// Adds `entries` to `activity`, each non-member's phone encrypted with its blind index.
/// Returns for each entry, in order, its new participation's id when it was added, None
/// when they took part already.
/// Entries must not name one member or phone twice (the database refuses it).
pub async fn put(
    tx: &mut PgConnection,
    keys: &Keys,
    activity: ActivityId,
    entries: &[Entry<'_>],
    existing: Existing,
) -> sqlx::Result<Vec<Option<i64>>> {
    let on_conflict = match existing {
        Existing::Keep => "do nothing",
        Existing::SetHours => {
            "do update set hours_tenths = coalesce(excluded.hours_tenths, participation.hours_tenths)"
        }
    };
    let (mut members, mut roles, mut hours) = (Vec::new(), Vec::new(), Vec::new());
    let mut people = People::default();
    for entry in entries {
        match entry.who {
            Who::Member(id) => {
                members.push(id);
                roles.push(entry.role.code());
                hours.push(entry.hours);
            }
            Who::Person { name, phone, unit } => people.push(keys, name, phone, unit, entry),
        }
    }
    let added_members: HashMap<MemberId, (i64, bool)> = if members.is_empty() {
        HashMap::new()
    } else {
        sqlx::query_as(&format!(
            "insert into participation (activity_id, member_id, role, hours_tenths)
             select $1, * from unnest($2::bigint[], $3::text[], $4::int[])
             on conflict (activity_id, member_id) where member_id is not null {on_conflict}
             returning member_id, participation_id, xmax = 0"
        ))
        .bind(activity)
        .bind(&members)
        .bind(&roles)
        .bind(&hours)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|(member, id, added): (MemberId, i64, bool)| (member, (id, added)))
        .collect()
    };
    let added_people: HashMap<Vec<u8>, (i64, bool)> = if people.index.is_empty() {
        HashMap::new()
    } else {
        sqlx::query_as(&format!(
            "insert into participation (activity_id, person_name, phone_cipher, phone_version,
                                        phone_masked, phone_index, person_unit, role, hours_tenths)
             select $1, * from unnest($2::text[], $3::bytea[], $4::int[], $5::text[], $6::bytea[],
                                      $7::text[], $8::text[], $9::int[])
             on conflict (activity_id, phone_index) where phone_index is not null {on_conflict}
             returning phone_index, participation_id, xmax = 0"
        ))
        .bind(activity)
        .bind(&people.names)
        .bind(&people.ciphers)
        .bind(&people.versions)
        .bind(&people.masked)
        .bind(&people.index)
        .bind(&people.units)
        .bind(&people.roles)
        .bind(&people.hours)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|(index, id, added): (Vec<u8>, i64, bool)| (index, (id, added)))
        .collect()
    };
    let mut index = people.index.iter();
    Ok(entries
        .iter()
        .map(|entry| {
            match entry.who {
                Who::Member(member) => added_members.get(&member).copied(),
                Who::Person { .. } => index.next().and_then(|i| added_people.get(i)).copied(),
            }
            .and_then(|(id, added)| added.then_some(id))
        })
        .collect())
}

/// The young people of a `put`, column by column as `unnest` takes them.
#[derive(Default)]
struct People {
    names: Vec<String>,
    ciphers: Vec<Vec<u8>>,
    versions: Vec<i32>,
    masked: Vec<String>,
    index: Vec<Vec<u8>>,
    units: Vec<String>,
    roles: Vec<&'static str>,
    hours: Vec<Option<Tenths>>,
}

impl People {
    fn push(&mut self, keys: &Keys, name: &str, phone: &Phone, unit: &str, entry: &Entry<'_>) {
        let (version, cipher) = keys.encrypt(phone.as_str());
        self.names.push(name.to_string());
        self.ciphers.push(cipher);
        self.versions.push(version);
        self.masked.push(phone.masked());
        self.index.push(keys.blind_index(phone.as_str()));
        self.units.push(unit.to_string());
        self.roles.push(entry.role.code());
        self.hours.push(entry.hours);
    }
}

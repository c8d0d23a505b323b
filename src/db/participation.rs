//! Who took part in an activity, with their roles and hours: the list an activity's page
//! shows, its totals, and the changes the services make.

use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use crate::crypto::Keys;
use crate::domain::ids::{ActivityId, MemberId};
use crate::domain::participation::{Role, Tenths};
use crate::domain::phone::Phone;
use crate::domain::role::Scope;

/// One participant of an activity.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Participant {
    pub participation_id: i64,
    pub member_id: Option<MemberId>,
    /// The member's name from the roster, or the name typed.
    pub name: String,
    /// The member's organisation, or the unit typed.
    pub unit: String,
    /// A non-member's phone, masked.
    pub phone_masked: Option<String>,
    pub role: Role,
    pub hours_tenths: Option<Tenths>,
}

impl Participant {
    /// The hours as a page writes them, or empty.
    pub fn hours(&self) -> String {
        self.hours_tenths
            .map(crate::domain::participation::hours_text)
            .unwrap_or_default()
    }
}

/// An activity's participants, members and others, in the order they were added.
pub async fn list(db: &PgPool, activity: ActivityId) -> sqlx::Result<Vec<Participant>> {
    sqlx::query_as(
        "select p.participation_id, p.member_id, coalesce(m.name, p.person_name) as name,
                coalesce(o.name, p.person_unit) as unit, p.phone_masked, p.role, p.hours_tenths
           from participation p
           left join member m using (member_id)
           left join organization o on o.organization_id = m.organization_id
          where p.activity_id = $1
          order by p.participation_id",
    )
    .bind(activity)
    .fetch_all(db)
    .await
}

/// An activity's totals: participants and confirmed volunteer hours in tenths.
pub async fn totals(db: &PgPool, activity: ActivityId) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "select count(*), coalesce(sum(hours_tenths), 0)::bigint from participation where activity_id = $1",
    )
    .bind(activity)
    .fetch_one(db)
    .await
}

/// The active members named exactly `name` whose organisation the scope holds (at most
/// two: one is the member, two is ambiguous).
pub async fn members_named(db: &PgPool, scope: &Scope, name: &str) -> sqlx::Result<Vec<MemberId>> {
    let condition = super::scope_condition(scope, super::in_scope!("m.organization_id"));
    sqlx::query_scalar(&format!(
        "select m.member_id from member m
          where m.name = $2 and m.state = 'active' and {condition}
          order by m.member_id limit 2"
    ))
    .bind(scope.unit_filter())
    .bind(name)
    .fetch_all(db)
    .await
}

/// Adds a member; false when they take part already.
pub async fn add_member(
    tx: &mut PgConnection,
    activity: ActivityId,
    member: MemberId,
    role: Role,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "insert into participation (activity_id, member_id, role) values ($1, $2, $3)
         on conflict (activity_id, member_id) where member_id is not null do nothing",
    )
    .bind(activity)
    .bind(member)
    .bind(role)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Adds a young person who is not a member, the phone encrypted with its blind index;
/// false when someone with that phone takes part already.
pub async fn add_person(
    tx: &mut PgConnection,
    keys: &Keys,
    activity: ActivityId,
    name: &str,
    phone: &Phone,
    unit: &str,
    role: Role,
) -> sqlx::Result<bool> {
    let (version, cipher) = keys.encrypt(phone.as_str());
    let done = sqlx::query(
        "insert into participation (activity_id, person_name, phone_cipher, phone_version,
                                    phone_masked, phone_index, person_unit, role)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (activity_id, phone_index) where phone_index is not null do nothing",
    )
    .bind(activity)
    .bind(name)
    .bind(cipher)
    .bind(version)
    .bind(phone.masked())
    .bind(keys.blind_index(phone.as_str()))
    .bind(unit)
    .bind(role)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets the hours of the activity's participants named in `hours` (None clears them);
/// returns how many rows changed.
pub async fn set_hours(
    tx: &mut PgConnection,
    activity: ActivityId,
    hours: &[(i64, Option<Tenths>)],
) -> sqlx::Result<u64> {
    let (ids, tenths): (Vec<i64>, Vec<Option<Tenths>>) = hours.iter().copied().unzip();
    let done = sqlx::query(
        "update participation p set hours_tenths = h.tenths
           from unnest($2::bigint[], $3::int[]) h(id, tenths)
          where p.participation_id = h.id and p.activity_id = $1
            and p.hours_tenths is distinct from h.tenths",
    )
    .bind(activity)
    .bind(ids)
    .bind(tenths)
    .execute(tx)
    .await?;
    Ok(done.rows_affected())
}

/// Removes a participant; false when not on the activity.
pub async fn remove(tx: &mut PgConnection, activity: ActivityId, id: i64) -> sqlx::Result<bool> {
    let done =
        sqlx::query("delete from participation where activity_id = $1 and participation_id = $2")
            .bind(activity)
            .bind(id)
            .execute(tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// One person's volunteer hours over a period: a member, or a young person known by the
/// phone they gave (kept as its blind index, shown masked).
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct PersonHours {
    /// `m<member id>` or `p<blind index>`: the person, for the cursor.
    #[serde(skip)]
    pub person_key: String,
    pub member_id: Option<MemberId>,
    pub name: String,
    pub phone_masked: Option<String>,
    pub unit: String,
    pub activities: i64,
    pub hours_tenths: i64,
}

/// Hours per person over activities in scope overlapping [from, to), by person key, after
/// the cursor.
pub async fn hours_by_person(
    db: &PgPool,
    scope: &Scope,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
    after: Option<&str>,
    limit: i64,
) -> sqlx::Result<Vec<PersonHours>> {
    let readable = super::activity::READABLE;
    sqlx::query_as(&format!(
        "select coalesce('m' || p.member_id::text, 'p' || encode(p.phone_index, 'hex')) as person_key,
                p.member_id, max(coalesce(m.name, p.person_name)) as name,
                max(p.phone_masked) as phone_masked,
                max(coalesce(o.name, p.person_unit)) as unit,
                count(distinct p.activity_id) as activities,
                coalesce(sum(p.hours_tenths), 0)::bigint as hours_tenths
           from participation p
           join activity a using (activity_id)
           left join member m using (member_id)
           left join organization o on o.organization_id = m.organization_id
          where {readable} and a.ends_at >= $2 and a.starts_at < $3 and a.state <> 'cancelled'
          group by 1, p.member_id
         having ($4::text is null or coalesce('m' || p.member_id::text, 'p' || encode(p.phone_index, 'hex')) > $4)
          order by 1
          limit $5"
    ))
    .bind(scope.unit_filter())
    .bind(from)
    .bind(to)
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// One line of a person's volunteer record.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct RecordLine {
    pub activity_id: crate::domain::ids::ActivityId,
    pub title: String,
    pub kind: crate::domain::activity::Kind,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub organizer: String,
    pub role: Role,
    pub hours_tenths: Option<Tenths>,
}

/// Every activity a member took part in (cancelled ones left out), latest first.
pub async fn record_of_member(db: &PgPool, member: MemberId) -> sqlx::Result<Vec<RecordLine>> {
    sqlx::query_as(
        "select a.activity_id, a.title, a.kind, a.starts_at, o.name as organizer, p.role, p.hours_tenths
           from participation p join activity a using (activity_id)
           join organization o on o.organization_id = a.organization_id
          where p.member_id = $1 and a.state <> 'cancelled'
          order by a.starts_at desc, a.activity_id desc",
    )
    .bind(member)
    .fetch_all(db)
    .await
}

/// Adds a member with their hours, or, when they take part already, sets their hours
/// (kept when `hours` is None); true when added.
pub async fn upsert_member(
    tx: &mut PgConnection,
    activity: ActivityId,
    member: MemberId,
    role: Role,
    hours: Option<Tenths>,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "insert into participation (activity_id, member_id, role, hours_tenths)
         values ($1, $2, $3, $4)
         on conflict (activity_id, member_id) where member_id is not null
         do update set hours_tenths = coalesce(excluded.hours_tenths, participation.hours_tenths)
         returning xmax = 0",
    )
    .bind(activity)
    .bind(member)
    .bind(role)
    .bind(hours)
    .fetch_one(tx)
    .await
}

/// As `add_person` with their hours, or, when someone with that phone takes part already,
/// sets their hours (kept when `hours` is None); true when added.
#[allow(clippy::too_many_arguments)]
pub async fn upsert_person(
    tx: &mut PgConnection,
    keys: &Keys,
    activity: ActivityId,
    name: &str,
    phone: &Phone,
    unit: &str,
    role: Role,
    hours: Option<Tenths>,
) -> sqlx::Result<bool> {
    let (version, cipher) = keys.encrypt(phone.as_str());
    sqlx::query_scalar(
        "insert into participation (activity_id, person_name, phone_cipher, phone_version,
                                    phone_masked, phone_index, person_unit, role, hours_tenths)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         on conflict (activity_id, phone_index) where phone_index is not null
         do update set hours_tenths = coalesce(excluded.hours_tenths, participation.hours_tenths)
         returning xmax = 0",
    )
    .bind(activity)
    .bind(name)
    .bind(cipher)
    .bind(version)
    .bind(phone.masked())
    .bind(keys.blind_index(phone.as_str()))
    .bind(unit)
    .bind(role)
    .bind(hours)
    .fetch_one(tx)
    .await
}

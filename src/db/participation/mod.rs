//! Who took part in an activity, with their roles and hours: the list an activity's page
//! shows, its totals, and the changes the services make (adding people: `put`).

use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use crate::domain::ids::{ActivityId, MemberId};
use crate::domain::participation::{Role, Tenths};
use crate::domain::role::Scope;

mod put;

pub use put::{Entry, Existing, Who, put};

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

/// For each of `names`, the one active member of that exact name whose organisation the
/// scope holds, or None when there is none or several; one statement for the whole list.
pub async fn members_named(
    db: &PgPool,
    scope: &Scope,
    names: &[String],
) -> sqlx::Result<Vec<Named>> {
    let condition = super::scope_condition(scope, super::in_scope!("m.organization_id"));
    let found: Vec<(String, MemberId, i64)> = sqlx::query_as(&format!(
        "select m.name, min(m.member_id), count(*) from member m
          where m.name = any($2) and m.state = 'active' and {condition}
          group by m.name"
    ))
    .bind(scope.unit_filter())
    .bind(names)
    .fetch_all(db)
    .await?;
    let found: std::collections::HashMap<String, (MemberId, i64)> = found
        .into_iter()
        .map(|(name, id, count)| (name, (id, count)))
        .collect();
    Ok(names
        .iter()
        .map(|name| match found.get(name) {
            None => Named::None,
            Some((id, 1)) => Named::One(*id),
            Some(_) => Named::Several,
        })
        .collect())
}

/// How a name stands in the roster a user keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    None,
    One(MemberId),
    Several,
}

/// The participation of a member, or (`member` None) of the young person with this phone
/// blind index, in an activity.
pub async fn find(
    tx: &mut PgConnection,
    activity: ActivityId,
    member: Option<MemberId>,
    phone_index: &[u8],
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "select participation_id from participation
          where activity_id = $1
            and (case when $2::bigint is null then phone_index = $3 else member_id = $2 end)",
    )
    .bind(activity)
    .bind(member)
    .bind(phone_index)
    .fetch_optional(tx)
    .await
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

/// Hours per person credited with any (the year's volunteers) over activities in scope
/// overlapping [from, to) — the calendar `year` in the zone's time — cancelled ones left
/// out, by person key, after the cursor. The zone's are the kept totals.
pub async fn hours_by_person(
    db: &PgPool,
    scope: &Scope,
    (year, from, to): (
        i32,
        chrono::DateTime<chrono::Utc>,
        chrono::DateTime<chrono::Utc>,
    ),
    after: Option<&str>,
    limit: i64,
) -> sqlx::Result<Vec<PersonHours>> {
    if matches!(scope, Scope::Zone) {
        return super::activity_total::hours_by_person(db, year, after, limit).await;
    }
    let readable = super::activity::READABLE;
    sqlx::query_as(&format!(
        "select person_key(p.member_id, p.phone_index, p.participation_id) as person_key,
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
         having coalesce(sum(p.hours_tenths), 0) > 0
            and ($4::text is null or person_key(p.member_id, p.phone_index, p.participation_id) > $4)
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

/// How many people `hours_by_person` lists for the period: the active volunteers. A
/// participation names a member or a phone, never both, so the two counts add up.
pub async fn volunteers(
    db: &PgPool,
    scope: &Scope,
    (year, from, to): (
        i32,
        chrono::DateTime<chrono::Utc>,
        chrono::DateTime<chrono::Utc>,
    ),
) -> sqlx::Result<i64> {
    if matches!(scope, Scope::Zone) {
        return super::activity_total::volunteers(db, year).await;
    }
    let readable = super::activity::READABLE;
    sqlx::query_scalar(&format!(
        "select count(distinct p.member_id) + count(distinct p.phone_index)
           from participation p join activity a using (activity_id)
          where {readable} and a.ends_at >= $2 and a.starts_at < $3 and a.state <> 'cancelled'
            and p.hours_tenths > 0"
    ))
    .bind(scope.unit_filter())
    .bind(from)
    .bind(to)
    .fetch_one(db)
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

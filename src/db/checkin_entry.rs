//! The people checked in through a check-in link (migration 0030): record a check-in and a
//! check-out, list an activity's check-ins for its organiser, mark hours confirmed.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

use crate::domain::ids::{AccountId, ActivityId};
use crate::domain::participation::Tenths;

/// A person's check-in at an activity, found by the phone's blind index.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Mine {
    pub checkin_entry_id: i64,
    /// The name as typed at check-in.
    pub typed_name: String,
    pub checked_in_at: DateTime<Utc>,
    pub checked_out_at: Option<DateTime<Utc>>,
}

/// The check-in of the person with this phone at the activity, locked for the change.
pub async fn mine(
    tx: &mut PgConnection,
    activity: ActivityId,
    phone_index: &[u8],
) -> sqlx::Result<Option<Mine>> {
    sqlx::query_as(
        "select e.checkin_entry_id, e.typed_name, e.checked_in_at, e.checked_out_at
           from checkin_entry e
          where e.activity_id = $1 and e.phone_index = $2
          for update of e",
    )
    .bind(activity)
    .bind(phone_index)
    .fetch_optional(tx)
    .await
}

/// One check-in: the link, the participation it is, the phone's blind index, the name as
/// typed, when and from where.
pub struct NewEntry<'a> {
    pub checkin: i64,
    pub activity: ActivityId,
    pub participation: i64,
    pub phone_index: &'a [u8],
    pub typed_name: &'a str,
    pub at: DateTime<Utc>,
    pub address: &'a str,
}

/// Records a check-in; its id, None when the person checked in meanwhile.
pub async fn add_entry(tx: &mut PgConnection, entry: &NewEntry<'_>) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "insert into checkin_entry (checkin_id, activity_id, participation_id, phone_index,
                                    typed_name, checked_in_at, in_address)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (activity_id, phone_index) do nothing
         returning checkin_entry_id",
    )
    .bind(entry.checkin)
    .bind(entry.activity)
    .bind(entry.participation)
    .bind(entry.phone_index)
    .bind(entry.typed_name)
    .bind(entry.at)
    .bind(entry.address)
    .fetch_optional(tx)
    .await
}

/// Records the check-out; false when already checked out.
pub async fn check_out(
    tx: &mut PgConnection,
    entry: i64,
    at: DateTime<Utc>,
    address: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update checkin_entry set checked_out_at = greatest($2, checked_in_at), out_address = $3
          where checkin_entry_id = $1 and checked_out_at is null",
    )
    .bind(entry)
    .bind(at)
    .bind(address)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One check-in as the organiser sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub checkin_entry_id: i64,
    pub participation_id: i64,
    pub name: String,
    pub phone_masked: Option<String>,
    pub checked_in_at: DateTime<Utc>,
    pub in_address: String,
    pub checked_out_at: Option<DateTime<Utc>>,
    pub out_address: Option<String>,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// The hours the participation holds now.
    pub hours_tenths: Option<Tenths>,
}

const ENTRY_COLUMNS: &str = "e.checkin_entry_id, e.participation_id,
    coalesce(m.name, p.person_name) as name, coalesce(p.phone_masked, m.phone_masked) as phone_masked,
    e.checked_in_at, e.in_address, e.checked_out_at, e.out_address, e.confirmed_at, p.hours_tenths";

/// The activity's check-ins, in the order people came.
pub async fn entries(db: &PgPool, activity: ActivityId) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as(&format!(
        "select {ENTRY_COLUMNS}
           from checkin_entry e join participation p using (participation_id)
           left join member m on m.member_id = p.member_id
          where e.activity_id = $1
          order by e.checked_in_at, e.checkin_entry_id"
    ))
    .bind(activity)
    .fetch_all(db)
    .await
}

/// The activity's check-ins waiting for confirmation (checked out, not confirmed), all of
/// them or (`only`) one, locked for the confirmation.
pub async fn pending(
    tx: &mut PgConnection,
    activity: ActivityId,
    only: Option<i64>,
) -> sqlx::Result<Vec<Entry>> {
    sqlx::query_as(&format!(
        "select {ENTRY_COLUMNS}
           from checkin_entry e join participation p using (participation_id)
           left join member m on m.member_id = p.member_id
          where e.activity_id = $1 and ($2::bigint is null or e.checkin_entry_id = $2)
            and e.checked_out_at is not null and e.confirmed_at is null
          order by e.checked_in_at, e.checkin_entry_id
          for update of e"
    ))
    .bind(activity)
    .bind(only)
    .fetch_all(tx)
    .await
}

/// Marks check-ins confirmed.
pub async fn mark_confirmed(
    tx: &mut PgConnection,
    entries: &[i64],
    by: Option<AccountId>,
    at: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "update checkin_entry set confirmed_at = $2, confirmed_by = $3
          where checkin_entry_id = any($1) and confirmed_at is null",
    )
    .bind(entries)
    .bind(at)
    .bind(by)
    .execute(tx)
    .await?;
    Ok(done.rows_affected())
}

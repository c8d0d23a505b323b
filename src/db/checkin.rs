//! Check-in links and the forms sent to them (migration 0030): open and close a link, find
//! it by its token's hash, count the forms for the rate limits; also the roster members a
//! check-in may be. The people checked in are `checkin_entry`'s.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

use crate::domain::ids::{AccountId, ActivityId, MemberId, OrganizationId};

/// An open link as its organiser's page shows it: the token, still encrypted.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenLink {
    pub checkin_id: i64,
    pub token_cipher: Vec<u8>,
    pub token_version: i32,
    pub opened_at: DateTime<Utc>,
}

/// A link as a participant reaches it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Link {
    pub checkin_id: i64,
    pub activity_id: ActivityId,
    pub closed_at: Option<DateTime<Utc>>,
}

/// Opens a link; its id, None when the activity has an open one already.
pub async fn open(
    tx: &mut PgConnection,
    activity: ActivityId,
    token_hash: &str,
    (version, cipher): (i32, Vec<u8>),
    by: Option<AccountId>,
    at: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "insert into checkin (activity_id, token_hash, token_cipher, token_version, opened_by, opened_at)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (activity_id) where closed_at is null do nothing
         returning checkin_id",
    )
    .bind(activity)
    .bind(token_hash)
    .bind(cipher)
    .bind(version)
    .bind(by)
    .bind(at)
    .fetch_optional(tx)
    .await
}

/// Closes the activity's open link; its id, None when none was open.
pub async fn close(
    tx: &mut PgConnection,
    activity: ActivityId,
    at: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "update checkin set closed_at = greatest($2, opened_at)
          where activity_id = $1 and closed_at is null returning checkin_id",
    )
    .bind(activity)
    .bind(at)
    .fetch_optional(tx)
    .await
}

/// The activity's open link.
pub async fn open_link(db: &PgPool, activity: ActivityId) -> sqlx::Result<Option<OpenLink>> {
    sqlx::query_as(
        "select checkin_id, token_cipher, token_version, opened_at from checkin
          where activity_id = $1 and closed_at is null",
    )
    .bind(activity)
    .fetch_optional(db)
    .await
}

/// The link whose token hashes to `token_hash` (SHA-256, hex), open or closed.
pub async fn find(db: &PgPool, token_hash: &str) -> sqlx::Result<Option<Link>> {
    sqlx::query_as("select checkin_id, activity_id, closed_at from checkin where token_hash = $1")
        .bind(token_hash)
        .fetch_optional(db)
        .await
}

/// Records a form sent to a link, for the rate limits.
pub async fn record_attempt(
    db: &PgPool,
    checkin: i64,
    address: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into checkin_attempt (checkin_id, address, attempted_at) values ($1, $2, $3)",
    )
    .bind(checkin)
    .bind(address)
    .bind(at)
    .execute(db)
    .await?;
    Ok(())
}

/// Forms sent after `since`: (to this link from anywhere, from this address to any link).
pub async fn attempts_since(
    db: &PgPool,
    checkin: i64,
    address: &str,
    since: DateTime<Utc>,
) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "select (select count(*) from checkin_attempt where checkin_id = $1 and attempted_at > $3),
                (select count(*) from checkin_attempt where address = $2 and attempted_at > $3)",
    )
    .bind(checkin)
    .bind(address)
    .bind(since)
    .fetch_one(db)
    .await
}

/// Removes forms sent before `before`; they no longer count for any limit.
pub async fn delete_attempts_before(db: &PgPool, before: DateTime<Utc>) -> sqlx::Result<u64> {
    let done = sqlx::query("delete from checkin_attempt where attempted_at < $1")
        .bind(before)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// The active members named `name` with a phone on record, in the organisation
/// `organizer` and those under it (the whole zone for the committee): (member, phone
/// version, phone cipher), at most 20.
pub async fn members_named(
    tx: &mut PgConnection,
    organizer: OrganizationId,
    name: &str,
) -> sqlx::Result<Vec<(MemberId, i32, Vec<u8>)>> {
    sqlx::query_as(
        "with recursive tree as (
             select organization_id from organization where organization_id = $1
             union all
             select o.organization_id from organization o join tree t on o.parent_id = t.organization_id)
         select m.member_id, m.phone_version, m.phone_cipher from member m
          where m.name = $2 and m.state = 'active' and m.phone_cipher is not null
            and m.organization_id in (select organization_id from tree)
          order by m.member_id limit 20",
    )
    .bind(organizer)
    .bind(name)
    .fetch_all(tx)
    .await
}

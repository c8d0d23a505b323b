//! The audit log's hash chain as stored (migration 0041): the events in chain order, the
//! chain's head, and the archives. Archiving removes events, which only the owner may do:
//! those functions take the owner's connection and fail on the application's role.

use chrono::{DateTime, NaiveDate, Utc};
use futures_util::stream::BoxStream;
use sqlx::{PgConnection, PgExecutor, PgPool};

use crate::domain::audit_chain::{Hash, Link};

/// The columns of a `Link`: the time in microseconds and the jsonb values as their text,
/// exactly the forms the migration's `audit_event_canonical` hashes.
macro_rules! select_links {
    ($rest:literal) => {
        concat!(
            "select audit_event_id as id,
                    (extract(epoch from occurred_at) * 1000000)::bigint as occurred_at_us,
                    account_id, username, action, entity, entity_id,
                    before::text as before, after::text as after, address, prev_hash, hash
               from audit_event ",
            $rest
        )
    };
}

/// Every event still in the table, in chain (id) order, read as a stream.
pub fn links(db: &PgPool) -> BoxStream<'_, sqlx::Result<Link>> {
    sqlx::query_as(select_links!("order by audit_event_id")).fetch(db)
}

/// The events up to and including `last_id`, in chain order, read as a stream.
pub fn links_through(conn: &mut PgConnection, last_id: i64) -> BoxStream<'_, sqlx::Result<Link>> {
    sqlx::query_as(select_links!(
        "where audit_event_id <= $1 order by audit_event_id"
    ))
    .bind(last_id)
    .fetch(conn)
}

/// The chain's head: the last event's id and hash (id 0 and the genesis hash before any).
pub async fn head(db: impl PgExecutor<'_>) -> sqlx::Result<(i64, Vec<u8>)> {
    sqlx::query_as("select last_event_id, last_hash from audit_chain_head")
        .fetch_one(db)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Archive {
    pub audit_archive_id: i64,
    pub archived_at: DateTime<Utc>,
    pub before_date: NaiveDate,
    pub first_event_id: i64,
    pub last_event_id: i64,
    pub event_count: i64,
    pub first_prev_hash: Vec<u8>,
    pub last_hash: Vec<u8>,
    pub file_name: String,
    pub file_sha256: Vec<u8>,
}

/// The archives written so far, oldest first.
pub async fn archives(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<Archive>> {
    sqlx::query_as("select * from audit_archive order by last_event_id")
        .fetch_all(db)
        .await
}

/// What an archive before `cutoff` would hold: the longest run of events from the start of
/// the table that all happened before `cutoff` (a prefix, so that the rest stays a chain).
/// None when there is nothing to archive. Takes a lock that keeps a second archive out
/// until this transaction ends.
pub async fn archivable(
    conn: &mut PgConnection,
    cutoff: DateTime<Utc>,
) -> sqlx::Result<Option<(i64, i64, i64)>> {
    sqlx::query("select pg_advisory_xact_lock(hashtext('tuanjian.audit_event.archive'))")
        .execute(&mut *conn)
        .await?;
    let row: (Option<i64>, Option<i64>, i64) = sqlx::query_as(
        "select min(audit_event_id), max(audit_event_id), count(*)
           from audit_event
          where audit_event_id < coalesce(
                (select min(audit_event_id) from audit_event where occurred_at >= $1),
                9223372036854775807)",
    )
    .bind(cutoff)
    .fetch_one(&mut *conn)
    .await?;
    Ok(match row {
        (Some(first), Some(last), count) if count > 0 => Some((first, last, count)),
        _ => None,
    })
}

pub struct NewArchive<'a> {
    pub before_date: NaiveDate,
    pub first_event_id: i64,
    pub last_event_id: i64,
    pub event_count: i64,
    pub first_prev_hash: &'a Hash,
    pub last_hash: &'a Hash,
    pub file_name: &'a str,
    pub file_sha256: &'a Hash,
}

/// Removes the archived events (as the owner, past the append-only trigger, in the caller's
/// transaction) and records the archive. Returns the number of events removed.
pub async fn remove_archived(
    conn: &mut PgConnection,
    archive: &NewArchive<'_>,
) -> sqlx::Result<u64> {
    sqlx::query("alter table audit_event disable trigger audit_event_no_update")
        .execute(&mut *conn)
        .await?;
    let removed = sqlx::query("delete from audit_event where audit_event_id <= $1")
        .bind(archive.last_event_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    sqlx::query("alter table audit_event enable trigger audit_event_no_update")
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "insert into audit_archive (before_date, first_event_id, last_event_id, event_count,
                                    first_prev_hash, last_hash, file_name, file_sha256)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(archive.before_date)
    .bind(archive.first_event_id)
    .bind(archive.last_event_id)
    .bind(archive.event_count)
    .bind(archive.first_prev_hash.as_slice())
    .bind(archive.last_hash.as_slice())
    .bind(archive.file_name)
    .bind(archive.file_sha256.as_slice())
    .execute(&mut *conn)
    .await?;
    Ok(removed)
}

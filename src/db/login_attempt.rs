//! Sign-in attempts per client address, for the rate limit.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, PgPool};

pub async fn record(
    db: impl PgExecutor<'_>,
    address: &str,
    at: DateTime<Utc>,
    succeeded: bool,
) -> sqlx::Result<()> {
    sqlx::query("insert into login_attempt (address, attempted_at, succeeded) values ($1, $2, $3)")
        .bind(address)
        .bind(at)
        .bind(succeeded)
        .execute(db)
        .await?;
    Ok(())
}

/// The failed attempts from `address` after `since`. Successes do not count, so that an
/// office whose staff all sign in from one address is not locked out by signing in
/// (issue 18 item 6).
pub async fn failures_since(db: &PgPool, address: &str, since: DateTime<Utc>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(*) from login_attempt
          where address = $1 and attempted_at > $2 and not succeeded",
    )
    .bind(address)
    .bind(since)
    .fetch_one(db)
    .await
}

/// Removes attempts made before `before`; they no longer count for any limit.
pub async fn delete_before(db: &PgPool, before: DateTime<Utc>) -> sqlx::Result<u64> {
    let done = sqlx::query("delete from login_attempt where attempted_at < $1")
        .bind(before)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

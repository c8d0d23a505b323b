//! An account's second factor: the encrypted TOTP secret, the last step used, and the
//! hashed recovery codes.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};

use crate::domain::ids::AccountId;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SecondFactor {
    pub secret_cipher: Option<Vec<u8>>,
    pub secret_version: Option<i32>,
    pub enrolled_at: Option<DateTime<Utc>>,
    pub last_step: Option<i64>,
}

impl SecondFactor {
    pub fn enrolled(&self) -> bool {
        self.enrolled_at.is_some()
    }
}

pub async fn get(db: impl PgExecutor<'_>, id: AccountId) -> sqlx::Result<SecondFactor> {
    sqlx::query_as(
        "select totp_secret_cipher as secret_cipher, totp_secret_version as secret_version,
                totp_enrolled_at as enrolled_at, totp_last_step as last_step
           from account where account_id = $1",
    )
    .bind(id)
    .fetch_one(db)
    .await
}

/// Enrols the account with this (encrypted) secret and the step of the code that
/// confirmed it; false when it already has a second factor.
pub async fn enrol(
    db: &mut PgConnection,
    id: AccountId,
    version: i32,
    cipher: &[u8],
    now: DateTime<Utc>,
    step: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update account set totp_secret_cipher = $2, totp_secret_version = $3,
                totp_enrolled_at = $4, totp_last_step = $5
          where account_id = $1 and totp_enrolled_at is null",
    )
    .bind(id)
    .bind(cipher)
    .bind(version)
    .bind(now)
    .bind(step)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Records `step` as used, unless it or a later one already was: false for a replay, even
/// when two requests race with the same code.
pub async fn use_step(db: &mut PgConnection, id: AccountId, step: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update account set totp_last_step = $2
          where account_id = $1 and totp_enrolled_at is not null
            and (totp_last_step is null or totp_last_step < $2)",
    )
    .bind(id)
    .bind(step)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Removes the second factor and the recovery codes; returns whether it was enrolled.
pub async fn clear(db: &mut PgConnection, id: AccountId) -> sqlx::Result<bool> {
    let enrolled: Option<bool> = sqlx::query_scalar(
        "select totp_enrolled_at is not null from account where account_id = $1 for update",
    )
    .bind(id)
    .fetch_optional(&mut *db)
    .await?;
    sqlx::query(
        "update account set totp_secret_cipher = null, totp_secret_version = null,
                totp_enrolled_at = null, totp_last_step = null
          where account_id = $1",
    )
    .bind(id)
    .execute(&mut *db)
    .await?;
    sqlx::query("delete from recovery_code where account_id = $1")
        .bind(id)
        .execute(&mut *db)
        .await?;
    Ok(enrolled.unwrap_or(false))
}

/// Replaces the account's recovery codes with these hashes.
pub async fn replace_recovery_codes(
    db: &mut PgConnection,
    id: AccountId,
    hashes: &[String],
) -> sqlx::Result<()> {
    sqlx::query("delete from recovery_code where account_id = $1")
        .bind(id)
        .execute(&mut *db)
        .await?;
    sqlx::query("insert into recovery_code (account_id, code_hash) select $1, unnest($2::text[])")
        .bind(id)
        .bind(hashes)
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// Marks the unused code with this hash used; false when there is none (wrong or used).
pub async fn use_recovery_code(
    db: &mut PgConnection,
    id: AccountId,
    hash: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update recovery_code set used_at = $3
          where account_id = $1 and code_hash = $2 and used_at is null",
    )
    .bind(id)
    .bind(hash)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn recovery_codes_left(db: impl PgExecutor<'_>, id: AccountId) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(*) from recovery_code where account_id = $1 and used_at is null",
    )
    .bind(id)
    .fetch_one(db)
    .await
}

/// Re-encrypts every TOTP secret not yet under the current key version (key rotation).
/// Returns how many accounts were rewritten.
pub async fn reencrypt(db: &sqlx::PgPool, keys: &crate::crypto::Keys) -> anyhow::Result<u64> {
    let current = keys.current_version();
    let mut tx = db.begin().await?;
    let rows: Vec<(AccountId, Vec<u8>, i32)> = sqlx::query_as(
        "select account_id, totp_secret_cipher, totp_secret_version from account
          where totp_secret_version <> $1 for update",
    )
    .bind(current)
    .fetch_all(&mut *tx)
    .await?;
    for (id, cipher, version) in &rows {
        let (new_version, new_cipher) = keys.encrypt(&keys.decrypt(*version, cipher)?);
        sqlx::query(
            "update account set totp_secret_cipher = $2, totp_secret_version = $3
              where account_id = $1",
        )
        .bind(id)
        .bind(new_cipher)
        .bind(new_version)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(rows.len() as u64)
}

//! Uploaded workbooks waiting between their preview and their commit.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

use crate::domain::ids::AccountId;

pub async fn store(
    db: &PgPool,
    account: AccountId,
    file_name: &str,
    content: &[u8],
    at: DateTime<Utc>,
) -> sqlx::Result<Uuid> {
    let id = Uuid::new_v4();
    let sha: String = Sha256::digest(content)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    sqlx::query(
        "insert into upload (upload_id, account_id, file_name, content, sha256, created_at)
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(account)
    .bind(file_name)
    .bind(content)
    .bind(sha)
    .bind(at)
    .execute(db)
    .await?;
    // Uploads older than a day are of no use any more.
    sqlx::query("delete from upload where created_at < $1")
        .bind(at - chrono::Duration::days(1))
        .execute(db)
        .await?;
    Ok(id)
}

#[derive(Debug, sqlx::FromRow)]
pub struct Upload {
    pub upload_id: Uuid,
    pub file_name: String,
    pub content: Vec<u8>,
    pub created_at: DateTime<Utc>,
    pub committed_at: Option<DateTime<Utc>>,
}

pub async fn get(db: &PgPool, id: Uuid) -> sqlx::Result<Option<Upload>> {
    sqlx::query_as(
        "select upload_id, file_name, content, created_at, committed_at from upload where upload_id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Marks the upload committed; false when it already was (a second click).
pub async fn mark_committed(db: &PgPool, id: Uuid, at: DateTime<Utc>) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update upload set committed_at = $2 where upload_id = $1 and committed_at is null",
    )
    .bind(id)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

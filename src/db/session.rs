//! Server-side sessions. Only the SHA-256 of the cookie's token is stored.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, PgPool};

use crate::domain::ids::{AccountId, UnitId};
use crate::domain::role::{Grant, Role};

pub struct NewSession<'a> {
    pub session_hash: &'a str,
    pub account_id: AccountId,
    pub csrf_token: &'a str,
    pub now: DateTime<Utc>,
    pub address: &'a str,
    pub user_agent: &'a str,
    /// Opened by the password of an account with a second factor: waits for its code.
    pub second_factor_pending: bool,
}

pub async fn create(db: impl PgExecutor<'_>, s: NewSession<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "insert into session (session_hash, account_id, csrf_token, created_at, last_seen_at, address, user_agent,
                              second_factor_pending)
         values ($1, $2, $3, $4, $4, $5, $6, $7)",
    )
    .bind(s.session_hash)
    .bind(s.account_id)
    .bind(s.csrf_token)
    .bind(s.now)
    .bind(s.address)
    .bind(s.user_agent)
    .bind(s.second_factor_pending)
    .execute(db)
    .await?;
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
pub struct SessionRow {
    pub account_id: AccountId,
    pub username: String,
    pub display_name: String,
    pub disabled: bool,
    pub must_change_password: bool,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub unread: i64,
    pub second_factor_pending: bool,
    pub second_factor_enrolled: bool,
    roles: Vec<String>,
    units: Vec<Option<i64>>,
}

impl SessionRow {
    pub fn grants(&self) -> Vec<Grant> {
        self.roles
            .iter()
            .zip(&self.units)
            .filter_map(|(role, unit)| {
                Some(Grant {
                    role: Role::parse(role)?,
                    unit_id: unit.map(UnitId),
                })
            })
            .collect()
    }
}

/// The session with its account and grants, in one query.
pub async fn load(db: &PgPool, session_hash: &str) -> sqlx::Result<Option<SessionRow>> {
    sqlx::query_as(
        "select s.account_id, a.username, a.display_name, a.disabled, a.must_change_password, s.csrf_token,
                s.created_at, s.last_seen_at, s.second_factor_pending,
                a.totp_enrolled_at is not null as second_factor_enrolled,
                (select count(*) from notification n
                  where n.account_id = s.account_id and n.read_at is null) as unread,
                coalesce(array_agg(r.role order by r.account_role_id) filter (where r.role is not null), '{}') as roles,
                coalesce(array_agg(r.unit_id order by r.account_role_id) filter (where r.role is not null), '{}') as units
           from session s
           join account a using (account_id)
           left join account_role r using (account_id)
          where s.session_hash = $1
          group by s.session_hash, a.account_id",
    )
    .bind(session_hash)
    .fetch_optional(db)
    .await
}

pub async fn touch(db: &PgPool, session_hash: &str, now: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query("update session set last_seen_at = $2 where session_hash = $1")
        .bind(session_hash)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete(db: impl PgExecutor<'_>, session_hash: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("delete from session where session_hash = $1")
        .bind(session_hash)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Ends every session of an account (password change, disabling).
pub async fn delete_for_account(
    db: impl PgExecutor<'_>,
    account_id: AccountId,
) -> sqlx::Result<u64> {
    let done = sqlx::query("delete from session where account_id = $1")
        .bind(account_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// Removes sessions past the idle or absolute limit.
pub async fn delete_expired(
    db: &PgPool,
    idle_before: DateTime<Utc>,
    created_before: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let done = sqlx::query("delete from session where last_seen_at < $1 or created_at < $2")
        .bind(idle_before)
        .bind(created_before)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

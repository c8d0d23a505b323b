//! Accounts and their role grants.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor, PgPool};

use crate::domain::ids::{AccountId, AccountRoleId, UnitId};
use crate::domain::role::Role;

/// Usernames are unique (migration 0003).
pub const USERNAME_UNIQUE: &str = "account_username_unique";

#[derive(Debug, sqlx::FromRow)]
pub struct LoginRecord {
    pub account_id: AccountId,
    pub username: String,
    pub password_hash: String,
    pub disabled: bool,
    pub locked_until: Option<DateTime<Utc>>,
    pub must_change_password: bool,
    /// Has a second factor: the password alone does not sign in.
    pub second_factor_enrolled: bool,
}

pub async fn find_for_login(db: &PgPool, username: &str) -> sqlx::Result<Option<LoginRecord>> {
    sqlx::query_as(
        "select account_id, username, password_hash, disabled, locked_until, must_change_password,
                totp_enrolled_at is not null as second_factor_enrolled
           from account where username = $1",
    )
    .bind(username)
    .fetch_optional(db)
    .await
}

pub async fn password_hash(db: &PgPool, id: AccountId) -> sqlx::Result<String> {
    sqlx::query_scalar("select password_hash from account where account_id = $1")
        .bind(id)
        .fetch_one(db)
        .await
}

/// Counts a failed sign-in; at `threshold` consecutive failures the account is locked
/// until `lock_until` and the counter starts again. Returns true when this failure locked it.
pub async fn record_failure(
    db: &mut PgConnection,
    id: AccountId,
    threshold: i32,
    lock_until: DateTime<Utc>,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "update account
            set failed_logins = case when failed_logins + 1 >= $2 then 0 else failed_logins + 1 end,
                locked_until  = case when failed_logins + 1 >= $2 then $3 else locked_until end
          where account_id = $1
      returning failed_logins = 0",
    )
    .bind(id)
    .bind(threshold)
    .bind(lock_until)
    .fetch_one(db)
    .await
}

pub async fn record_success(db: &mut PgConnection, id: AccountId) -> sqlx::Result<()> {
    sqlx::query("update account set failed_logins = 0, locked_until = null where account_id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Creates an account whose password was chosen by `set_by`: one an administrator chose must
/// be replaced at the first sign-in.
pub async fn create(
    db: &mut PgConnection,
    username: &str,
    display_name: &str,
    password_hash: &str,
    set_by: SetBy,
) -> sqlx::Result<AccountId> {
    sqlx::query_scalar(
        "insert into account (username, display_name, password_hash, must_change_password)
         values ($1, $2, $3, $4) returning account_id",
    )
    .bind(username)
    .bind(display_name)
    .bind(password_hash)
    .bind(set_by == SetBy::Administrator)
    .fetch_one(db)
    .await
}

pub async fn exists(db: impl PgExecutor<'_>, username: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar("select exists (select 1 from account where username = $1)")
        .bind(username)
        .fetch_one(db)
        .await
}

/// Adds a grant; false when the account already holds exactly that grant.
pub async fn add_role(
    db: &mut PgConnection,
    id: AccountId,
    role: Role,
    unit: Option<UnitId>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "insert into account_role (account_id, role, unit_id) values ($1, $2, $3) on conflict do nothing",
    )
    .bind(id)
    .bind(role.code())
    .bind(unit)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn remove_role(
    db: &mut PgConnection,
    id: AccountId,
    grant: AccountRoleId,
) -> sqlx::Result<Option<GrantRow>> {
    sqlx::query_as(
        "with gone as (delete from account_role where account_id = $1 and account_role_id = $2 returning *)
         select g.account_role_id, g.role, g.unit_id, u.name as unit_name
           from gone g left join unit u using (unit_id)",
    )
    .bind(id)
    .bind(grant)
    .fetch_optional(db)
    .await
}

/// Who set a password decides whether its owner must change it at the next sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetBy {
    /// The owner, who alone knows it.
    Owner,
    /// An administrator, who knows it too: the owner must replace it.
    Administrator,
}

pub async fn set_password(
    db: &mut PgConnection,
    id: AccountId,
    password_hash: &str,
    now: DateTime<Utc>,
    set_by: SetBy,
) -> sqlx::Result<()> {
    sqlx::query(
        "update account set password_hash = $2, password_changed_at = $3, failed_logins = 0, locked_until = null,
                            must_change_password = $4
          where account_id = $1",
    )
    .bind(id)
    .bind(password_hash)
    .bind(now)
    .bind(set_by == SetBy::Administrator)
    .execute(db)
    .await?;
    Ok(())
}

/// Ends a lock and its failure count at once; returns the lock's end as it was, or None
/// when there is no such account.
pub async fn unlock(
    db: &mut PgConnection,
    id: AccountId,
) -> sqlx::Result<Option<Option<DateTime<Utc>>>> {
    sqlx::query_scalar(
        "update account a set locked_until = null, failed_logins = 0 from account old
          where a.account_id = $1 and old.account_id = a.account_id
      returning old.locked_until",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Returns the previous value, or None when there is no such account.
pub async fn set_disabled(
    db: &mut PgConnection,
    id: AccountId,
    disabled: bool,
) -> sqlx::Result<Option<bool>> {
    sqlx::query_scalar(
        "update account a set disabled = $2 from account old
          where a.account_id = $1 and old.account_id = a.account_id
      returning old.disabled",
    )
    .bind(id)
    .bind(disabled)
    .fetch_optional(db)
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct AccountRow {
    pub account_id: AccountId,
    pub username: String,
    pub display_name: String,
    pub disabled: bool,
    pub locked_until: Option<DateTime<Utc>>,
    pub roles: String,
}

/// One page of accounts ordered by username, after `after`, matching `q` if given.
pub async fn list(db: &PgPool, q: &str, after: &str, limit: i64) -> sqlx::Result<Vec<AccountRow>> {
    sqlx::query_as(
        "select a.account_id, a.username, a.display_name, a.disabled, a.locked_until,
                coalesce(string_agg(r.role || coalesce(':' || u.name, ''), ', ' order by r.account_role_id), '') as roles
           from account a
           left join account_role r using (account_id)
           left join unit u on u.unit_id = r.unit_id
          where a.username > $1
            and ($2 = '' or a.username like '%' || $2 || '%' or a.display_name like '%' || $2 || '%')
          group by a.account_id
          order by a.username
          limit $3",
    )
    .bind(after)
    .bind(q)
    .bind(limit)
    .fetch_all(db)
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct AccountDetail {
    pub account_id: AccountId,
    pub username: String,
    pub display_name: String,
    pub disabled: bool,
    pub failed_logins: i32,
    pub locked_until: Option<DateTime<Utc>>,
    pub must_change_password: bool,
    pub password_changed_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

pub async fn get(db: &PgPool, id: AccountId) -> sqlx::Result<Option<AccountDetail>> {
    sqlx::query_as(
        "select account_id, username, display_name, disabled, failed_logins, locked_until,
                must_change_password, password_changed_at, created_at
           from account where account_id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct GrantRow {
    pub account_role_id: AccountRoleId,
    pub role: String,
    pub unit_id: Option<UnitId>,
    pub unit_name: Option<String>,
}

impl GrantRow {
    pub fn label(&self) -> String {
        let role = Role::parse(&self.role)
            .map(Role::label)
            .unwrap_or("未知角色");
        match &self.unit_name {
            Some(unit) => format!("{role}（{unit}）"),
            None => role.to_string(),
        }
    }
}

pub async fn grants(db: &PgPool, id: AccountId) -> sqlx::Result<Vec<GrantRow>> {
    sqlx::query_as(
        "select r.account_role_id, r.role, r.unit_id, u.name as unit_name
           from account_role r left join unit u using (unit_id)
          where r.account_id = $1 order by r.account_role_id",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

/// How many enabled accounts hold the admin role, to keep at least one.
pub async fn count_enabled_admins(db: impl PgExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(distinct a.account_id) from account a join account_role r using (account_id)
          where r.role = 'admin' and not a.disabled",
    )
    .fetch_one(db)
    .await
}

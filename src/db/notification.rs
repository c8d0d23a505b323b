//! In-app notifications: reminders, decisions, deadlines.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

use crate::domain::ids::{AccountId, NotificationId, UnitId};

pub struct NewNotification<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub link: Option<&'a str>,
    pub sender: Option<AccountId>,
    pub at: DateTime<Utc>,
}

/// Sends to every enabled account holding the secretary role for any of `units`, in one
/// statement; `{unit}` in the link becomes each unit's id. Returns how many were sent.
pub async fn to_unit_secretaries(
    db: &mut PgConnection,
    units: &[UnitId],
    n: &NewNotification<'_>,
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "insert into notification (account_id, kind, title, body, link, sender_account_id, created_at)
         select distinct a.account_id, $2, $3, $4, replace($5, '{unit}', r.unit_id::text), $6, $7
           from account_role r join account a using (account_id)
          where r.role = 'secretary' and r.unit_id = any($1) and not a.disabled",
    )
    .bind(units)
    .bind(n.kind)
    .bind(n.title)
    .bind(n.body)
    .bind(n.link)
    .bind(n.sender)
    .bind(n.at)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub notification_id: NotificationId,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
    pub sender: Option<String>,
}

pub async fn inbox(
    db: &PgPool,
    account: AccountId,
    limit: i64,
) -> sqlx::Result<Vec<NotificationRow>> {
    sqlx::query_as(
        "select n.notification_id, n.kind, n.title, n.body, n.link, n.created_at, n.read_at,
                coalesce(nullif(s.display_name, ''), s.username) as sender
           from notification n left join account s on s.account_id = n.sender_account_id
          where n.account_id = $1
          order by n.notification_id desc limit $2",
    )
    .bind(account)
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn mark_all_read(
    db: &PgPool,
    account: AccountId,
    at: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "update notification set read_at = $2 where account_id = $1 and read_at is null",
    )
    .bind(account)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// Sends to every enabled committee account; returns how many.
pub async fn to_committee(db: &mut PgConnection, n: &NewNotification<'_>) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "insert into notification (account_id, kind, title, body, link, sender_account_id, created_at)
         select distinct a.account_id, $1, $2, $3, $4, $5, $6
           from account_role r join account a using (account_id)
          where r.role = 'committee' and not a.disabled",
    )
    .bind(n.kind)
    .bind(n.title)
    .bind(n.body)
    .bind(n.link)
    .bind(n.sender)
    .bind(n.at)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

//! The append-only audit log.

use crate::domain::ids::AuditEventId;
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgExecutor, PgPool};

pub use crate::domain::actor::Actor;
pub use crate::domain::audit::Action;

#[derive(Debug)]
pub struct Event<'a> {
    pub action: Action,
    pub entity: &'a str,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl<'a> Event<'a> {
    pub fn new(action: Action, entity: &'a str, entity_id: impl ToString) -> Self {
        Event {
            action,
            entity,
            entity_id: entity_id.to_string(),
            before: None,
            after: None,
        }
    }

    pub fn before(mut self, value: Value) -> Self {
        self.before = Some(value);
        self
    }

    pub fn after(mut self, value: Value) -> Self {
        self.after = Some(value);
        self
    }
}

pub async fn record(
    db: impl PgExecutor<'_>,
    at: DateTime<Utc>,
    actor: &Actor,
    event: Event<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into audit_event (occurred_at, account_id, username, action, entity, entity_id, before, after, address)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(at)
    .bind(actor.account_id)
    .bind(&actor.username)
    .bind(event.action)
    .bind(event.entity)
    .bind(event.entity_id)
    .bind(event.before)
    .bind(event.after)
    .bind(&actor.address)
    .execute(db)
    .await?;
    Ok(())
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct Filter {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub action: String,
    /// Inclusive dates, YYYY-MM-DD, in the zone's local time.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    pub after: Option<AuditEventId>,
}

#[derive(Debug, sqlx::FromRow)]
pub struct EventRow {
    pub audit_event_id: AuditEventId,
    pub occurred_at: DateTime<Utc>,
    pub username: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub address: String,
}

/// Newest first, `limit` rows older than the cursor.
pub async fn list(
    db: &PgPool,
    filter: &Filter,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    limit: i64,
) -> sqlx::Result<Vec<EventRow>> {
    sqlx::query_as(
        "select audit_event_id, occurred_at, username, action, entity, entity_id, before, after, address
           from audit_event
          where ($1::bigint is null or audit_event_id < $1)
            and ($2 = '' or username = $2)
            and ($3 = '' or action like $3 || '%')
            and ($4::timestamptz is null or occurred_at >= $4)
            and ($5::timestamptz is null or occurred_at < $5)
          order by audit_event_id desc
          limit $6",
    )
    .bind(filter.after)
    .bind(filter.username.trim())
    .bind(filter.action.trim())
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// The distinct actions recorded, for the filter's choices. Read as text, as the log's rows
/// are: the log keeps what was written, including codes a later version may have retired.
pub async fn actions(db: &PgPool) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("select distinct action from audit_event order by action")
        .fetch_all(db)
        .await
}

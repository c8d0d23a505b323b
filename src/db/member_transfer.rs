//! Transfers of members' league relations (接转): started by either organisation, done
//! when the other agrees; out of the zone at once. Each change also writes the member's
//! history.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use crate::domain::actor::Actor;
use crate::domain::role::Scope;
use crate::domain::transfer::Side;

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct TransferRow {
    pub member_transfer_id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub resident_id_masked: String,
    pub from_organization_id: i64,
    pub from_name: String,
    pub to_organization_id: Option<i64>,
    pub to_name: Option<String>,
    pub destination: Option<String>,
    pub started_by: String,
    pub state: String,
    pub reason: Option<String>,
    pub requested_by_name: String,
    pub requested_at: DateTime<Utc>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    /// Whether the reader may act for the sending / the receiving organisation.
    pub for_sender: bool,
    pub for_receiver: bool,
}

impl TransferRow {
    pub fn state_label(&self) -> &'static str {
        match self.state.as_str() {
            "pending" if self.started_by == "sender" => "待接收方同意",
            "pending" => "待转出方同意",
            "done" => "已完成",
            "refused" => "已拒绝",
            "cancelled" => "已撤回",
            _ => "",
        }
    }

    /// The reader is on the side that must agree.
    pub fn awaits_reader(&self) -> bool {
        self.state == "pending"
            && if self.started_by == "sender" {
                self.for_receiver
            } else {
                self.for_sender
            }
    }

    /// The reader is on the side that started it, and may withdraw it.
    pub fn started_by_reader(&self) -> bool {
        self.state == "pending"
            && if self.started_by == "sender" {
                self.for_sender
            } else {
                self.for_receiver
            }
    }

    pub fn target(&self) -> &str {
        self.to_name
            .as_deref()
            .or(self.destination.as_deref())
            .unwrap_or("")
    }
}

fn select(scope: &Scope) -> String {
    format!(
        "select t.member_transfer_id, t.member_id, m.name as member_name, m.resident_id_masked,
                t.from_organization_id, f.name as from_name, t.to_organization_id, o2.name as to_name,
                t.destination, t.started_by, t.state, t.reason, t.requested_by_name, t.requested_at,
                t.decided_by_name, t.decided_at, t.decision_note,
                coalesce({}, false) as for_sender, coalesce({}, false) as for_receiver
           from member_transfer t
           join member m using (member_id)
           join organization f on f.organization_id = t.from_organization_id
           left join organization o2 on o2.organization_id = t.to_organization_id",
        super::scope_condition(scope, super::in_scope!("t.from_organization_id")),
        super::scope_condition(scope, super::in_scope!("t.to_organization_id"))
    )
}

/// Transfers touching the reader's organisations, open ones first, newest first.
pub async fn list(db: &PgPool, scope: &Scope, limit: i64) -> sqlx::Result<Vec<TransferRow>> {
    sqlx::query_as(&format!(
        "select * from ({}) t where for_sender or for_receiver
          order by state <> 'pending', requested_at desc, member_transfer_id desc limit $2",
        select(scope)
    ))
    .bind(scope.unit_filter())
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn get(db: &PgPool, scope: &Scope, id: i64) -> sqlx::Result<Option<TransferRow>> {
    sqlx::query_as(&format!(
        "select * from ({}) t where (for_sender or for_receiver) and member_transfer_id = $2",
        select(scope)
    ))
    .bind(scope.unit_filter())
    .bind(id)
    .fetch_optional(db)
    .await
}

/// A member's transfers, oldest first (the reader may see the member).
pub async fn for_member(
    db: &PgPool,
    scope: &Scope,
    member_id: i64,
) -> sqlx::Result<Vec<TransferRow>> {
    sqlx::query_as(&format!(
        "{} where t.member_id = $2 order by t.requested_at, t.member_transfer_id",
        select(scope)
    ))
    .bind(scope.unit_filter())
    .bind(member_id)
    .fetch_all(db)
    .await
}

/// Opens a transfer within the zone; `Ok(None)` when the member has an open one already.
pub async fn start(
    db: &mut PgConnection,
    member_id: i64,
    (from, to): (i64, i64),
    started_by: Side,
    reason: Option<&str>,
    actor: &Actor,
    at: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    let result = sqlx::query_scalar(
        "insert into member_transfer (member_id, from_organization_id, to_organization_id, started_by, reason,
                                      requested_by, requested_by_name, requested_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning member_transfer_id",
    )
    .bind(member_id)
    .bind(from)
    .bind(to)
    .bind(started_by.code())
    .bind(reason)
    .bind(actor.account_id)
    .bind(&actor.name)
    .bind(at)
    .fetch_one(db)
    .await;
    match result {
        Ok(id) => Ok(Some(id)),
        Err(e) if crate::db::is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A transfer out of the zone: recorded as done and the member marked transferred, in the
/// caller's transaction. False when the member is not active in `from` or has an open
/// transfer.
pub async fn move_out(
    db: &mut PgConnection,
    member_id: i64,
    from: i64,
    destination: &str,
    reason: Option<&str>,
    actor: &Actor,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let moved = sqlx::query(
        "update member set state = 'transferred'
          where member_id = $1 and organization_id = $2 and state = 'active'
            and not exists (select 1 from member_transfer where member_id = $1 and state = 'pending')",
    )
    .bind(member_id)
    .bind(from)
    .execute(&mut *db)
    .await?;
    if moved.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "insert into member_transfer (member_id, from_organization_id, destination, started_by, state, reason,
                                      requested_by, requested_by_name, requested_at,
                                      decided_by, decided_by_name, decided_at)
         values ($1, $2, $3, 'sender', 'done', $4, $5, $6, $7, $5, $6, $7)",
    )
    .bind(member_id)
    .bind(from)
    .bind(destination)
    .bind(reason)
    .bind(actor.account_id)
    .bind(&actor.name)
    .bind(at)
    .execute(&mut *db)
    .await?;
    history(
        db,
        member_id,
        ("active", "transferred"),
        &format!("转出开发区：{destination}"),
        actor,
        at,
    )
    .await?;
    Ok(true)
}

/// Accepts (moving the member) or refuses an open transfer. False when it is no longer
/// open, or the member has left the sending organisation meanwhile.
pub async fn decide(
    db: &mut PgConnection,
    transfer: &TransferRow,
    accept: bool,
    note: Option<&str>,
    actor: &Actor,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let closed = sqlx::query(
        "update member_transfer set state = $2, decided_by = $3, decided_by_name = $4, decided_at = $5,
                decision_note = $6
          where member_transfer_id = $1 and state = 'pending'",
    )
    .bind(transfer.member_transfer_id)
    .bind(if accept { "done" } else { "refused" })
    .bind(actor.account_id)
    .bind(&actor.name)
    .bind(at)
    .bind(note)
    .execute(&mut *db)
    .await?;
    if closed.rows_affected() == 0 {
        return Ok(false);
    }
    if !accept {
        return Ok(true);
    }
    let moved = sqlx::query(
        "update member set organization_id = $3
          where member_id = $1 and organization_id = $2 and state = 'active'",
    )
    .bind(transfer.member_id)
    .bind(transfer.from_organization_id)
    .bind(transfer.to_organization_id)
    .execute(&mut *db)
    .await?;
    if moved.rows_affected() == 0 {
        return Ok(false);
    }
    history(
        db,
        transfer.member_id,
        ("active", "active"),
        &format!(
            "组织关系由{}转入{}",
            transfer.from_name,
            transfer.to_name.as_deref().unwrap_or("")
        ),
        actor,
        at,
    )
    .await?;
    Ok(true)
}

/// Withdraws an open transfer; false when it is no longer open.
pub async fn cancel(
    db: &mut PgConnection,
    id: i64,
    actor: &Actor,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update member_transfer set state = 'cancelled', decided_by = $2, decided_by_name = $3, decided_at = $4
          where member_transfer_id = $1 and state = 'pending'",
    )
    .bind(id)
    .bind(actor.account_id)
    .bind(&actor.name)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

async fn history(
    db: &mut PgConnection,
    member_id: i64,
    (from, to): (&str, &str),
    note: &str,
    actor: &Actor,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into member_event (member_id, from_state, to_state, actor_account_id, actor_name, note, occurred_at)
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(member_id)
    .bind(from)
    .bind(to)
    .bind(actor.account_id)
    .bind(&actor.name)
    .bind(note)
    .bind(at)
    .execute(db)
    .await?;
    Ok(())
}

/// A branch of the zone by its full name (not the committee), for a transfer's target.
pub async fn organization_named(db: &PgPool, name: &str) -> sqlx::Result<Option<(i64, String)>> {
    sqlx::query_as(
        "select organization_id, name from organization where name = $1 and kind <> 'committee'
          order by organization_id limit 1",
    )
    .bind(name.trim())
    .fetch_optional(db)
    .await
}

/// The units whose secretaries speak for an organisation.
pub async fn units_of(db: &mut PgConnection, organization: i64) -> sqlx::Result<Vec<i64>> {
    // The same rule the kept totals count by (migration 0012).
    sqlx::query_scalar("select unnest(organization_units(array[$1::bigint]))")
        .bind(organization)
        .fetch_all(db)
        .await
}

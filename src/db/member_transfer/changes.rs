//! Changing transfers: starting one within the zone, moving a member out of it, accepting
//! or refusing, withdrawing; each member move also writes the member's history.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::TransferRow;
use crate::domain::actor::Actor;
use crate::domain::ids::{MemberId, OrganizationId, TransferId};
use crate::domain::member::State as MemberState;
use crate::domain::transfer::{Side, State};

/// Opens a transfer within the zone; fails on `ONE_PENDING` when the member has an open
/// one already.
pub async fn start(
    db: &mut PgConnection,
    member_id: MemberId,
    (from, to): (OrganizationId, OrganizationId),
    started_by: Side,
    reason: Option<&str>,
    actor: &Actor,
    at: DateTime<Utc>,
) -> sqlx::Result<TransferId> {
    sqlx::query_scalar(
        "insert into member_transfer (member_id, from_organization_id, to_organization_id, started_by, reason,
                                      requested_by, requested_by_name, requested_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning member_transfer_id",
    )
    .bind(member_id)
    .bind(from)
    .bind(to)
    .bind(started_by)
    .bind(reason)
    .bind(actor.account_id)
    .bind(&actor.name)
    .bind(at)
    .fetch_one(db)
    .await
}

/// A transfer out of the zone: recorded as done and the member marked transferred, in the
/// caller's transaction. False when the member is not active in `from` or has an open
/// transfer.
pub async fn move_out(
    db: &mut PgConnection,
    member_id: MemberId,
    from: OrganizationId,
    destination: &str,
    reason: Option<&str>,
    actor: &Actor,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let moved = sqlx::query(
        "update member set state = $3
          where member_id = $1 and organization_id = $2 and state = $4
            and not exists (select 1 from member_transfer where member_id = $1 and state = 'pending')",
    )
    .bind(member_id)
    .bind(from)
    .bind(MemberState::Transferred)
    .bind(MemberState::Active)
    .execute(&mut *db)
    .await?;
    if moved.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "insert into member_transfer (member_id, from_organization_id, destination, started_by, state, reason,
                                      requested_by, requested_by_name, requested_at,
                                      decided_by, decided_by_name, decided_at)
         values ($1, $2, $3, $8, $9, $4, $5, $6, $7, $5, $6, $7)",
    )
    .bind(member_id)
    .bind(from)
    .bind(destination)
    .bind(reason)
    .bind(actor.account_id)
    .bind(&actor.name)
    .bind(at)
    .bind(Side::Sender)
    .bind(State::Done)
    .execute(&mut *db)
    .await?;
    history(
        db,
        member_id,
        (MemberState::Active, MemberState::Transferred),
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
          where member_transfer_id = $1 and state = $7",
    )
    .bind(transfer.member_transfer_id)
    .bind(if accept { State::Done } else { State::Refused })
    .bind(actor.account_id)
    .bind(&actor.name)
    .bind(at)
    .bind(note)
    .bind(State::Pending)
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
          where member_id = $1 and organization_id = $2 and state = $4",
    )
    .bind(transfer.member_id)
    .bind(transfer.from_organization_id)
    .bind(transfer.to_organization_id)
    .bind(MemberState::Active)
    .execute(&mut *db)
    .await?;
    if moved.rows_affected() == 0 {
        return Ok(false);
    }
    history(
        db,
        transfer.member_id,
        (MemberState::Active, MemberState::Active),
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
    id: TransferId,
    actor: &Actor,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update member_transfer set state = $5, decided_by = $2, decided_by_name = $3, decided_at = $4
          where member_transfer_id = $1 and state = $6",
    )
    .bind(id)
    .bind(actor.account_id)
    .bind(&actor.name)
    .bind(at)
    .bind(State::Cancelled)
    .bind(State::Pending)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

async fn history(
    db: &mut PgConnection,
    member_id: MemberId,
    (from, to): (MemberState, MemberState),
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

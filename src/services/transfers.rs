//! Transfers of members' league relations (组织关系接转) as use cases: the sending
//! organisation sends a member (to a branch of the zone, which must accept, or out of the
//! zone at once); the receiving one asks for a member; the other side accepts or refuses,
//! or the starter withdraws. Each writes the transfer, the member's history, the audit
//! event and the other side's notice in one transaction.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use crate::db::audit::Event;
use crate::db::member::MemberRow;
use crate::db::member_transfer::{self as transfers, TransferRow};
use crate::db::notification::{self, NewNotification};
use crate::db::{self, ResultExt};
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::{MemberId, OrganizationId, TransferId};
use crate::domain::transfer::{Decision, Side};
use crate::services::{Error, Outcome};

/// Where a member is sent.
pub enum Destination {
    /// A branch of the zone, by id and name; it must accept.
    Branch(OrganizationId, String),
    /// Out of the zone (a unit or region, as written); done at once.
    OutOfZone(String),
}

/// Tells the secretaries of an organisation's units about a transfer.
async fn notify(
    tx: &mut PgConnection,
    organization: OrganizationId,
    title: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let units = transfers::units_of(tx, organization).await?;
    notification::to_unit_secretaries(
        tx,
        &units,
        &NewNotification {
            kind: "transfer",
            title,
            body: "请在“团员 → 组织关系接转”中处理。",
            link: Some("/members/transfers"),
            sender: actor.account_id,
            at: now,
        },
    )
    .await?;
    Ok(())
}

/// The sending side sends an active member. Refused while the member has an open transfer.
pub async fn send(
    db: &PgPool,
    actor: &Actor,
    member: &MemberRow,
    to: &Destination,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let (id, from) = (member.member_id, member.organization_id);
    let mut tx = db.begin().await?;
    let pending = || Error::refused("该团员已有一项未办结的接转，请先处理");
    match to {
        Destination::Branch(to, _) => {
            transfers::start(&mut tx, id, (from, *to), Side::Sender, reason, actor, now)
                .await
                .on_constraint(transfers::ONE_PENDING, pending)?;
        }
        Destination::OutOfZone(destination) => {
            if !transfers::move_out(&mut tx, id, from, destination, reason, actor, now).await? {
                return Err(pending());
            }
        }
    }
    let (to_id, destination) = match to {
        Destination::Branch(to, _) => {
            let title = format!(
                "{} 申请将团员 {} 转入你们的团组织",
                member.organization_name, member.name
            );
            notify(&mut tx, *to, &title, actor, now).await?;
            (Some(*to), None)
        }
        Destination::OutOfZone(destination) => (None, Some(destination)),
    };
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::MemberTransferRequested, "member", id).after(json!({
            "from": from,
            "to": to_id,
            "destination": destination,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The receiving organisation `to` (named `to_name`) asks for the member `member_id` of
/// `from`. Refused while the member has an open transfer. Returns the transfer's id.
pub async fn ask(
    db: &PgPool,
    actor: &Actor,
    (member_id, member_name): (MemberId, &str),
    (from, to, to_name): (OrganizationId, OrganizationId, &str),
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Outcome<TransferId> {
    let mut tx = db.begin().await?;
    let transfer = transfers::start(
        &mut tx,
        member_id,
        (from, to),
        Side::Receiver,
        reason,
        actor,
        now,
    )
    .await
    .on_constraint(transfers::ONE_PENDING, || {
        Error::refused("该团员已有一项未办结的接转，请等待办结")
    })?;
    let title = format!("{to_name} 申请转入你们的团员 {member_name}");
    notify(&mut tx, from, &title, actor, now).await?;
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::MemberTransferRequested, "member", member_id)
            .after(json!({ "from": from, "to": to, "transfer": transfer })),
    )
    .await?;
    tx.commit().await?;
    Ok(transfer)
}

/// Accepts, refuses (a reason is required) or withdraws an open transfer; the caller has
/// checked that the reader is on the side that may. Returns the message for the person,
/// which the other side also receives (not on withdrawal).
pub async fn decide(
    db: &PgPool,
    actor: &Actor,
    transfer: &TransferRow,
    decision: Decision,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Outcome<String> {
    if !transfer.is_open() {
        return Err(Error::refused("该接转已经办结"));
    }
    if decision == Decision::Refuse && note.is_none() {
        return Err(Error::refused("拒绝时请填写理由"));
    }
    let id = transfer.member_transfer_id;
    let mut tx = db.begin().await?;
    let done = match decision {
        Decision::Cancel => transfers::cancel(&mut tx, id, actor, now).await?,
        Decision::Accept | Decision::Refuse => {
            let accept = decision == Decision::Accept;
            transfers::decide(&mut tx, transfer, accept, note, actor, now).await?
        }
    };
    if !done {
        return Err(Error::refused("该接转已经办结，或团员已不在原团组织"));
    }
    let (action, message) = match decision {
        Decision::Accept => (
            AuditAction::MemberTransferAccepted,
            format!(
                "{} 的组织关系已转入{}。",
                transfer.member_name,
                transfer.target()
            ),
        ),
        Decision::Refuse => (
            AuditAction::MemberTransferRefused,
            format!("已拒绝 {} 的接转。", transfer.member_name),
        ),
        Decision::Cancel => (
            AuditAction::MemberTransferCancelled,
            format!("已撤回 {} 的接转。", transfer.member_name),
        ),
    };
    if decision != Decision::Cancel {
        let other_side = if transfer.started_by == Side::Sender {
            transfer.from_organization_id
        } else {
            transfer
                .to_organization_id
                .unwrap_or(transfer.from_organization_id)
        };
        notify(&mut tx, other_side, &message, actor, now).await?;
    }
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(action, "member", transfer.member_id).after(json!({
            "transfer": id,
            "from": transfer.from_organization_id,
            "to": transfer.to_organization_id,
            "note": note,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(message)
}

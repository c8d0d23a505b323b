//! Check-in by phone as use cases (issue 16 item 3): the organiser opens and closes an
//! activity's link and confirms the hours proposed; a participant with no account checks
//! in and later out through the link. Each in one transaction with its audit event; the
//! participation a check-in makes comes from `services::participation`, so the same
//! checks and events apply as when the organiser adds someone.

mod visit;

pub use visit::{Done, NOT_THE_SAME, TOO_OFTEN, Visit, visit};

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;

use crate::crypto::Keys;
use crate::db::activity::ActivityRow;
use crate::db::audit::Event;
use crate::db::checkin::Link;
use crate::domain::activity::State as ActivityState;
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::checkin::{self as rules, Window};
use crate::domain::participation::{Tenths, hours_text};
use crate::services::participation;
use crate::services::{Error, Outcome};

/// Opens the activity's check-in link with `token` (256 random bits, URL-safe), stored as
/// `token_hash` (its SHA-256) and encrypted for showing again. Refused for a cancelled
/// activity, one whose window has passed, or one with an open link.
pub async fn open(
    db: &PgPool,
    keys: &Keys,
    actor: &Actor,
    activity: &ActivityRow,
    (token, token_hash): (&str, &str),
    now: DateTime<Utc>,
) -> Outcome<()> {
    if activity.state == ActivityState::Cancelled {
        return Err(Error::refused("活动已取消，不能开启签到"));
    }
    if rules::window(activity.starts_at, activity.ends_at, now) == Window::Late {
        return Err(Error::refused("活动已结束超过2小时，不能再开启签到"));
    }
    let mut tx = db.begin().await?;
    let Some(id) = crate::db::checkin::open(
        &mut tx,
        activity.activity_id,
        token_hash,
        keys.encrypt(token),
        actor.account_id,
        now,
    )
    .await?
    else {
        return Err(Error::refused("签到已开启"));
    };
    crate::db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::CheckinOpened, "activity", activity.activity_id)
            .after(json!({ "checkin_id": id })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Closes the activity's open link: it answers nothing more.
pub async fn close(
    db: &PgPool,
    actor: &Actor,
    activity: &ActivityRow,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let mut tx = db.begin().await?;
    let Some(id) = crate::db::checkin::close(&mut tx, activity.activity_id, now).await? else {
        return Err(Error::refused("签到未开启或已关闭"));
    };
    crate::db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::CheckinClosed, "activity", activity.activity_id)
            .before(json!({ "checkin_id": id })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Why a link answers no form now, as the participant reads it; None when it takes one.
pub fn unavailable(link: &Link, activity: &ActivityRow, now: DateTime<Utc>) -> Option<String> {
    if link.closed_at.is_some() {
        return Some("本次签到已由组织者关闭。".into());
    }
    if activity.state == ActivityState::Cancelled {
        return Some("该活动已取消，无需签到。".into());
    }
    let margin = rules::MARGIN.num_hours();
    match rules::window(activity.starts_at, activity.ends_at, now) {
        Window::Early => Some(format!("签到尚未开始：活动开始前{margin}小时起可以签到。")),
        Window::Late => Some(format!(
            "签到已结束：活动结束{margin}小时后不再接受签到和签退。"
        )),
        Window::Open => None,
    }
}

/// Confirms the proposed hours of the activity's check-ins that checked out and wait for
/// it, all of them or (`only`) one: the hours go into the participation through
/// `participation::set_hours_in` (its checks, all or nothing), and the check-ins are
/// marked confirmed. Returns how many were confirmed, or the faults (nothing written).
pub async fn confirm(
    db: &PgPool,
    actor: &Actor,
    activity: &ActivityRow,
    only: Option<i64>,
    now: DateTime<Utc>,
) -> Outcome<Result<u64, Vec<String>>> {
    let mut tx = db.begin().await?;
    let pending = crate::db::checkin_entry::pending(&mut tx, activity.activity_id, only).await?;
    if pending.is_empty() {
        return Err(Error::refused("没有待确认的签到记录"));
    }
    let proposed: Vec<(i64, Tenths)> = pending
        .iter()
        .map(|e| {
            let out = e.checked_out_at.unwrap_or(e.checked_in_at);
            let tenths =
                rules::proposed_tenths(e.checked_in_at, out, activity.starts_at, activity.ends_at);
            (e.checkin_entry_id, tenths)
        })
        .collect();
    let typed: Vec<(i64, String, String)> = pending
        .iter()
        .zip(&proposed)
        .map(|(e, (_, tenths))| (e.participation_id, e.name.clone(), hours_text(*tenths)))
        .collect();
    if let Err(faults) = participation::set_hours_in(&mut tx, actor, activity, &typed, now).await? {
        return Ok(Err(faults));
    }
    let ids: Vec<i64> = proposed.iter().map(|(id, _)| *id).collect();
    let confirmed =
        crate::db::checkin_entry::mark_confirmed(&mut tx, &ids, actor.account_id, now).await?;
    crate::db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(
            AuditAction::CheckinConfirmed,
            "activity",
            activity.activity_id,
        )
        .after(json!({ "hours_tenths": proposed })),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(confirmed))
}

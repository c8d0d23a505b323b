//! Formation applications (建团申请 → 批复) as use cases. (Just over 300 lines: the
//! transitions of one state machine share its refusals and the submit step, and read best
//! together.) The unit's secretary creates, updates and submits; the committee returns,
//! rejects and approves. Each runs one transaction that moves the state (guarded, so two
//! decisions at once cannot both pass), writes the history row and the audit event, and
//! tells the other side, with the notice texts kept here. A refusal writes nothing and
//! carries the message for the person.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use crate::db::application::{Application, Input};
use crate::db::audit::Event;
use crate::db::notification::NewNotification;
use crate::db::{self, ResultExt};
use crate::domain::actor::Actor;
use crate::domain::application::{Action, State, next};
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::{ApplicationId, OrganizationId, UnitId};
use crate::services::{Error, Outcome};

/// Someone else decided between reading the application and writing the decision.
const TAKEN: &str = "该申请已被他人处理，请刷新后查看";

/// The unit's new application, saved as a draft and, with `submit`, submitted at once.
/// Refused while the unit has an application in progress (a partial unique index).
/// Returns the application's id.
pub async fn create(
    db: &PgPool,
    actor: &Actor,
    (unit, unit_name): (UnitId, &str),
    input: &Input,
    submit: bool,
    now: DateTime<Utc>,
) -> Outcome<ApplicationId> {
    let by = actor
        .account_id
        .ok_or(Error::refused("只有登录的团支部书记可以申请"))?;
    let mut tx = db.begin().await?;
    let id = db::application::create_draft(&mut tx, unit, input, by)
        .await
        .on_constraint(db::application::ONE_OPEN, || {
            Error::refused("本单位已有正在办理的建团申请，请在原申请上修改或提交")
        })?;
    db::application::record_event(&mut tx, id, None, State::Draft, actor, None, now).await?;
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::ApplicationCreated, "formation_application", id)
            .after(json!(input)),
    )
    .await?;
    if submit {
        submit_in(&mut tx, actor, id, State::Draft, unit_name, now).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Changes a draft or returned application and, with `submit`, submits it.
pub async fn update(
    db: &PgPool,
    actor: &Actor,
    app: &Application,
    input: &Input,
    submit: bool,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let id = app.formation_application_id;
    let mut tx = db.begin().await?;
    if !db::application::update(&mut tx, id, input).await? {
        return Err(Error::refused("该申请当前状态不能修改"));
    }
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::ApplicationUpdated, "formation_application", id)
            .before(json!(app))
            .after(json!(input)),
    )
    .await?;
    if submit && !submit_in(&mut tx, actor, id, app.state, &app.unit_name, now).await? {
        return Err(Error::refused("该申请当前状态不能提交"));
    }
    tx.commit().await?;
    Ok(())
}

/// Submits (or resubmits) the application as it stands.
pub async fn submit(
    db: &PgPool,
    actor: &Actor,
    app: &Application,
    now: DateTime<Utc>,
) -> Outcome<()> {
    next(app.state, Action::Submit).map_err(Error::refused)?;
    let mut tx = db.begin().await?;
    let id = app.formation_application_id;
    if !submit_in(&mut tx, actor, id, app.state, &app.unit_name, now).await? {
        return Err(Error::refused(TAKEN));
    }
    tx.commit().await?;
    Ok(())
}

/// Submits inside the caller's transaction, records it and tells the committee; false
/// when the application was not in `from` any more.
async fn submit_in(
    tx: &mut PgConnection,
    actor: &Actor,
    id: ApplicationId,
    from: State,
    unit_name: &str,
    now: DateTime<Utc>,
) -> Outcome<bool> {
    let Ok(to) = next(from, Action::Submit) else {
        return Ok(false);
    };
    let by = actor.account_id.ok_or(Error::refused(TAKEN))?;
    if !db::application::transition(tx, id, from, to, None, by, now).await? {
        return Ok(false);
    }
    db::application::record_event(tx, id, Some(from), to, actor, None, now).await?;
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(
            AuditAction::ApplicationSubmitted,
            "formation_application",
            id,
        )
        .before(json!({"state": from.code()}))
        .after(json!({"state": to.code()})),
    )
    .await?;
    let title = format!("{unit_name}提交了建团申请");
    let link = format!("/applications/{id}");
    db::notification::to_committee(
        tx,
        &NewNotification {
            kind: "application_submitted",
            title: &title,
            body: "请及时审核并批复。",
            link: Some(&link),
            sender: actor.account_id,
            at: now,
        },
    )
    .await?;
    Ok(true)
}

/// The committee's decisions that need a reason for the unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// 退回修改: the unit corrects and resubmits.
    Return,
    /// 不予批复: final.
    Reject,
}

impl Decision {
    fn action(self) -> Action {
        match self {
            Decision::Return => Action::Return,
            Decision::Reject => Action::Reject,
        }
    }
}

/// Returns or rejects a pending application with the reason the unit is told.
pub async fn decide(
    db: &PgPool,
    actor: &Actor,
    app: &Application,
    decision: Decision,
    reason: &str,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let to = next(app.state, decision.action()).map_err(Error::refused)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::refused(match decision {
            Decision::Return => "退回时请填写退回原因，告知申请单位如何修改",
            Decision::Reject => "不予批复时请填写原因",
        }));
    }
    let id = app.formation_application_id;
    let by = actor.account_id.ok_or(Error::refused(TAKEN))?;
    let mut tx = db.begin().await?;
    if !db::application::transition(&mut tx, id, app.state, to, Some(reason), by, now).await? {
        return Err(Error::refused(TAKEN));
    }
    db::application::record_event(&mut tx, id, Some(app.state), to, actor, Some(reason), now)
        .await?;
    let (action, kind, title) = match decision {
        Decision::Return => (
            AuditAction::ApplicationReturned,
            "application_returned",
            format!("建团申请已退回修改：{}", app.proposed_name),
        ),
        Decision::Reject => (
            AuditAction::ApplicationRejected,
            "application_rejected",
            format!("建团申请未予批复：{}", app.proposed_name),
        ),
    };
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(action, "formation_application", id)
            .before(json!({"state": app.state.code()}))
            .after(json!({"state": to.code(), "reason": reason})),
    )
    .await?;
    let link = format!("/applications/{id}");
    db::notification::to_unit_secretaries(
        &mut tx,
        &[app.unit_id],
        &NewNotification {
            kind,
            title: &title,
            body: reason,
            link: Some(&link),
            sender: actor.account_id,
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Approves a pending application with its document number (文号, at most 40 characters)
/// and date, and creates the organisation in the same transaction. Returns the number as
/// stored (half-width, trimmed) and the new organisation's id.
pub async fn approve(
    db: &PgPool,
    actor: &Actor,
    app: &Application,
    number: &str,
    on: NaiveDate,
    now: DateTime<Utc>,
) -> Outcome<(String, OrganizationId)> {
    next(app.state, Action::Approve).map_err(Error::refused)?;
    let number = crate::domain::normalize_width(number.trim());
    if number.is_empty() || number.chars().count() > 40 {
        return Err(Error::refused(
            "批复时请填写文号（例如：开团工委〔2018〕12号），不超过40个字符",
        ));
    }
    let id = app.formation_application_id;
    let by = actor.account_id.ok_or(Error::refused(TAKEN))?;
    let mut tx = db.begin().await?;
    let number_taken = || Error::refused("该文号已被使用，请核对文号");
    let organization = db::application::approve(&mut tx, app, &number, on, by, now)
        .await
        .on_constraint(db::application::APPROVAL_NUMBER_UNIQUE, number_taken)
        .on_constraint(db::organization::APPROVAL_NUMBER_UNIQUE, number_taken)
        .on_constraint(db::organization::ONE_PER_UNIT, || {
            Error::refused("该单位已有团组织，不能重复批复")
        })?
        .ok_or(Error::refused(TAKEN))?;
    let note = format!("文号：{number}");
    db::application::record_event(
        &mut tx,
        id,
        Some(app.state),
        State::Approved,
        actor,
        Some(&note),
        now,
    )
    .await?;
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(
            AuditAction::ApplicationApproved,
            "formation_application",
            id,
        )
        .before(json!({"state": app.state.code()}))
        .after(json!({
            "state": "approved",
            "approval_number": number,
            "approved_on": on,
            "organization_id": organization,
        })),
    )
    .await?;
    let title = format!("建团申请已批复：{}", app.proposed_name);
    let link = format!("/applications/{id}/reply");
    db::notification::to_unit_secretaries(
        &mut tx,
        &[app.unit_id],
        &NewNotification {
            kind: "application_approved",
            title: &title,
            body: &note,
            link: Some(&link),
            sender: actor.account_id,
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok((number, organization))
}

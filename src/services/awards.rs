//! 青年文明号 as use cases: register a collective's creation (the committee for any unit, a
//! secretary for their own), and take a post's next step (the committee), each with its
//! history row and audit event in one transaction. Which steps are legal is the domain's
//! state machine; here the step is also held to the post's latest date and to the state
//! the page showed, so that two people moving one post cannot both succeed.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;

use crate::db::ResultExt;
use crate::db::audit::Event;
use crate::db::award::{AwardRow, COLLECTIVE_UNIQUE, NewStep};
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::award::{self, AwardInput, State, Step, StepInput};
use crate::domain::ids::AwardId;
use crate::domain::role::Scope;
use crate::services::{Error, Outcome, commit_audited};

/// Registers a creation (创建备案); returns the post's id. Refused when the unit is unknown
/// or outside `scope` (the user's write scope), the collective is not one such a unit has,
/// or the unit already has a live record of that name.
pub async fn register(
    db: &PgPool,
    actor: &Actor,
    scope: &Scope,
    input: &AwardInput,
    now: DateTime<Utc>,
) -> Outcome<AwardId> {
    let (unit, kind) = match crate::db::award::find_unit(db, &input.unit_name).await? {
        Some((unit, kind)) if scope.holds(unit) => (unit, kind),
        Some(_) => {
            return Err(Error::refused(format!(
                "所属单位：“{}”不在您管理的范围内",
                input.unit_name
            )));
        }
        None => {
            return Err(Error::refused(format!(
                "所属单位：没有名为“{}”的单位，请填写单位全称",
                input.unit_name
            )));
        }
    };
    if !input.collective.fits(kind) {
        return Err(Error::refused(format!(
            "集体类型：{}不设{}；部门的集体为科室，企业的为工段或班组，社区的为团队",
            kind.label(),
            input.collective.label()
        )));
    }
    let mut tx = db.begin().await?;
    let id = crate::db::award::create(&mut tx, input, unit, actor.account_id)
        .await
        .on_constraint(COLLECTIVE_UNIQUE, || {
            Error::refused(format!("集体名称：“{}”已有青年文明号创建记录", input.name))
        })?;
    let step = NewStep {
        step: Step::Register,
        from: None,
        to: State::Registered,
        dated_on: input.registered_on,
        note: &input.description,
        recognition: None,
    };
    crate::db::award::add_step(&mut tx, id, &step, actor, now).await?;
    commit_audited(
        tx,
        now,
        actor,
        Event::new(AuditAction::AwardRegistered, "award", id)
            .after(json!({ "award": input, "unit_id": unit })),
    )
    .await?;
    Ok(id)
}

/// Takes `input`'s step for the post as the page showed it (`post`); returns the new state.
/// Refused when the state machine does not allow the step, when it is dated before the
/// post's latest step, or when the post has moved since.
pub async fn advance(
    db: &PgPool,
    actor: &Actor,
    post: &AwardRow,
    input: &StepInput,
    now: DateTime<Utc>,
) -> Outcome<State> {
    let to = award::next(post.state, input.step).map_err(Error::refused)?;
    let id = post.award_id;
    let mut tx = db.begin().await?;
    if let Some(last) = crate::db::award::last_dated_on(&mut tx, id).await?
        && input.dated_on < last
    {
        return Err(Error::refused(format!(
            "日期：不能早于上一步的日期（{last}）"
        )));
    }
    let due = matches!(input.step, Step::Recognize | Step::Review)
        .then(|| award::review_due(input.dated_on));
    if !crate::db::award::advance(&mut tx, id, (post.state, to), input, due).await? {
        return Err(Error::refused(
            "该青年文明号的状态已有变化，请刷新页面后再办理",
        ));
    }
    let step = NewStep {
        step: input.step,
        from: Some(post.state),
        to,
        dated_on: input.dated_on,
        note: &input.note,
        recognition: input.recognition.as_ref(),
    };
    crate::db::award::add_step(&mut tx, id, &step, actor, now).await?;
    commit_audited(
        tx,
        now,
        actor,
        Event::new(AuditAction::AwardAdvanced, "award", id)
            .before(json!({ "state": post.state, "review_due_on": post.review_due_on }))
            .after(json!({ "state": to, "step": input, "review_due_on": due })),
    )
    .await?;
    Ok(to)
}

//! Work-plan items as use cases: enter an item of a year's plan with its owners, change
//! it, record progress (a dated note that may move its state), and the hourly notices to
//! the owners of items due soon or overdue; each with its audit event.
//!
//! Who may do what: the committee enters and changes items and moves them to any state; an
//! owner's secretary records progress and moves an item among 未开始, 推进中 and 已完成
//! (`State::secretary_may_move_to`), since cancelling an item of the plan is the
//! committee's decision.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::PgPool;

use crate::db::ResultExt;
use crate::db::audit::Event;
use crate::db::work_plan::{self, DueItem, ItemRow, NUMBER_UNIQUE, Owners};
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::WorkPlanItemId;
use crate::domain::work_plan::{Flag, NoteInput, PlanInput, chinese_number};
use crate::services::{Error, Outcome, commit_audited};

/// The organisation and account the form names, found; refused with the field's message
/// when a name finds none (or, for an organisation, several).
async fn owners(db: &PgPool, input: &PlanInput) -> Outcome<Owners> {
    let organization = match &input.owner_organization {
        None => None,
        Some(name) => match work_plan::organizations_named(db, name).await?[..] {
            [one] => Some(one),
            [] => {
                return Err(Error::refused(format!(
                    "负责组织：没有名为“{name}”的团组织，请填写团组织的全称"
                )));
            }
            _ => {
                return Err(Error::refused(format!(
                    "负责组织：有多个名为“{name}”的团组织，请改填负责人账户"
                )));
            }
        },
    };
    let account = match &input.owner_username {
        None => None,
        Some(username) => match work_plan::account_named(db, username).await? {
            Some((id, true)) => Some(id),
            Some((_, false)) => {
                return Err(Error::refused(format!(
                    "负责人账户：“{username}”不是在用的团工委或团支部书记账户"
                )));
            }
            None => {
                return Err(Error::refused(format!(
                    "负责人账户：没有用户名为“{username}”的账户"
                )));
            }
        },
    };
    Ok(Owners {
        organization,
        account,
    })
}

fn number_taken(input: &PlanInput) -> Error {
    Error::refused(format!(
        "序号：{}年工作安排已有第{}项，请换一个序号",
        input.year,
        chinese_number(input.number)
    ))
}

/// Enters an item (未开始); returns its id.
pub async fn create(
    db: &PgPool,
    actor: &Actor,
    input: &PlanInput,
    now: DateTime<Utc>,
) -> Outcome<WorkPlanItemId> {
    let owners = owners(db, input).await?;
    let mut tx = db.begin().await?;
    let id = work_plan::create(&mut tx, input, owners, actor.account_id)
        .await
        .on_constraint(NUMBER_UNIQUE, || number_taken(input))?;
    commit_audited(
        tx,
        now,
        actor,
        Event::new(AuditAction::WorkPlanItemCreated, "work_plan_item", id)
            .after(json!({ "item": input, "owners": owners })),
    )
    .await?;
    Ok(id)
}

/// Changes an item's fields; its state moves only with a progress note.
pub async fn update(
    db: &PgPool,
    actor: &Actor,
    before: &ItemRow,
    input: &PlanInput,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let owners = owners(db, input).await?;
    let id = before.work_plan_item_id;
    let mut tx = db.begin().await?;
    if !work_plan::update(&mut tx, id, input, owners)
        .await
        .on_constraint(NUMBER_UNIQUE, || number_taken(input))?
    {
        return Err(Error::refused("该工作安排已不存在"));
    }
    commit_audited(
        tx,
        now,
        actor,
        Event::new(AuditAction::WorkPlanItemUpdated, "work_plan_item", id)
            .before(json!(before))
            .after(json!({ "item": input, "owners": owners })),
    )
    .await
}

/// Records progress on `item`, moving it to the note's state when that differs; `committee`
/// when the actor writes as the committee (any move), else as an owner's secretary.
pub async fn add_note(
    db: &PgPool,
    actor: &Actor,
    (item, committee): (&ItemRow, bool),
    note: &NoteInput,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let change = note
        .state
        .filter(|to| *to != item.state)
        .map(|to| (item.state, to));
    if let Some((from, to)) = change
        && !committee
        && !from.secretary_may_move_to(to)
    {
        return Err(Error::refused(
            "状态：取消工作安排或恢复已取消的工作安排，须由团工委决定",
        ));
    }
    let id = item.work_plan_item_id;
    let mut tx = db.begin().await?;
    if let Some((from, to)) = change
        && !work_plan::set_state(&mut tx, id, from, to).await?
    {
        return Err(Error::refused(
            "该工作安排的状态刚被他人更改，请刷新页面后再记录",
        ));
    }
    let note_id = work_plan::add_note(&mut tx, id, note, change, (actor, now)).await?;
    commit_audited(
        tx,
        now,
        actor,
        Event::new(AuditAction::WorkPlanNoteAdded, "work_plan_item", id).after(json!({
            "work_plan_note_id": note_id,
            "note": note,
            "state_from": change.map(|c| c.0),
            "state_to": change.map(|c| c.1),
        })),
    )
    .await
}

/// The notice's title and body for an item, on `today`.
fn notice(item: &DueItem, today: NaiveDate) -> (String, String) {
    let due = item.due_on.format("%Y年%-m月%-d日");
    let what = format!(
        "{}年工作安排第{}项“{}”",
        item.year,
        chinese_number(item.number),
        item.heading
    );
    match item.flag() {
        Flag::DueSoon => (
            format!(
                "工作安排“{}”将于{}到期",
                item.heading,
                item.due_on.format("%-m月%-d日")
            ),
            format!(
                "{what}的完成时限为{due}，还有{}天，目前{}。请抓紧推进，并在系统中记录进展。",
                (item.due_on - today).num_days(),
                item.state.label()
            ),
        ),
        Flag::Overdue => (
            format!("工作安排“{}”已逾期", item.heading),
            format!(
                "{what}的完成时限为{due}，已逾期{}天，目前{}。请尽快推进，并在系统中记录进展或说明情况。",
                (today - item.due_on).num_days(),
                item.state.label()
            ),
        ),
    }
}

/// The hourly notices (see `db::work_plan::record_due`): each open item due within 30 days,
/// and again once overdue, told to its owners once, with one audit event for the pass.
/// Returns how many notices were sent.
pub async fn notify_due(
    db: &PgPool,
    actor: &Actor,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let mut tx = db.begin().await?;
    let due = work_plan::record_due(&mut tx, today, now).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let ids: Vec<WorkPlanItemId> = due.iter().map(|d| d.work_plan_item_id).collect();
    let (titles, bodies): (Vec<String>, Vec<String>) = due.iter().map(|d| notice(d, today)).unzip();
    let sent = work_plan::notify_owners(&mut tx, &ids, (&titles, &bodies), now).await?;
    let items: Vec<_> = due
        .iter()
        .map(|d| json!({ "work_plan_item_id": d.work_plan_item_id, "condition": d.condition, "due_on": d.due_on }))
        .collect();
    let event = Event::new(AuditAction::WorkPlanReminded, "work_plan_item", "due")
        .after(json!({ "items": items, "notices": sent }));
    crate::db::audit::record(&mut *tx, now, actor, event).await?;
    tx.commit().await?;
    Ok(sent)
}

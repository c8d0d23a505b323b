//! Reminders (督促) with their notice texts: to the units of a survey round that have not
//! reported, to the units that must form an organisation (3 or more members, none
//! formed, none applied: 团支部工作条例（试行）), and to the secretaries of organisations
//! whose term ends in 90 and then 30 days (换届). Each records the reminders, notifies the
//! units' secretaries and writes the audit event in one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::{PgPool, Postgres, Transaction};

use crate::db::audit::Event;
use crate::db::notification::NewNotification;
use crate::db::{self};
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::{SurveyId, UnitId};

/// How many units were reminded and how many notices their secretaries got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reminded {
    pub units: u64,
    pub notices: u64,
}

/// The round a reminder is about: its id and its as-of date (the notice names the date).
pub struct Round {
    pub survey_id: SurveyId,
    pub as_of: NaiveDate,
}

/// Reminds the units of the round that have not reported: all of them, or `unit`.
/// `None` when `unit` was given and is not among them (it reported, or is not in the round).
pub async fn remind_to_report(
    db: &PgPool,
    actor: &Actor,
    round: &Round,
    unit: Option<UnitId>,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<Reminded>> {
    let mut tx = db.begin().await?;
    let units =
        db::survey::record_reminders(&mut tx, round.survey_id, unit, actor.account_id, now).await?;
    if unit.is_some() && units.is_empty() {
        return Ok(None);
    }
    let title = format!(
        "请填报截止{}的团员青年摸排数据",
        round.as_of.format("%Y年%-m月%-d日")
    );
    let notice = NewNotification {
        kind: "survey_reminder",
        title: &title,
        body: "团工委提醒：本单位尚未填报本轮摸排数据，请尽快填写职工、青年和团员人数。",
        link: Some("/units/{unit}/report"),
        sender: actor.account_id,
        at: now,
    };
    let reminded = tell(tx, actor, &units, &notice, |r| {
        Event::new(AuditAction::SurveyReminded, "survey", round.survey_id)
            .after(json!({ "unit_id": unit, "units": r.units, "notices": r.notices }))
    })
    .await?;
    Ok(Some(reminded))
}

/// Reminds the units on the reminder list of `survey` to apply: all of them, or `unit`.
/// The notice names the formation deadline when the round sets one. `None` when `unit`
/// was given and is not on the list.
pub async fn remind_to_form(
    db: &PgPool,
    actor: &Actor,
    survey: SurveyId,
    deadline: Option<NaiveDate>,
    unit: Option<UnitId>,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<Reminded>> {
    let mut tx = db.begin().await?;
    let units =
        db::formation::record_reminders(&mut tx, survey, unit, actor.account_id, now).await?;
    if unit.is_some() && units.is_empty() {
        return Ok(None);
    }
    let body = match deadline {
        Some(d) => format!(
            "本单位已有3名以上团员，按规定应当建立团组织。请于{}前提交建团申请。",
            d.format("%Y年%-m月%-d日")
        ),
        None => "本单位已有3名以上团员，按规定应当建立团组织，请尽快提交建团申请。".to_string(),
    };
    let notice = NewNotification {
        kind: "formation_reminder",
        title: "团工委督促：请尽快提交建团申请",
        body: &body,
        link: Some("/applications/new"),
        sender: actor.account_id,
        at: now,
    };
    let target = unit.map(|u| u.to_string()).unwrap_or_else(|| "all".into());
    let reminded = tell(tx, actor, &units, &notice, |r| {
        Event::new(AuditAction::FormationReminded, "unit", target)
            .after(json!({ "units": r.units, "notices": r.notices }))
    })
    .await?;
    Ok(Some(reminded))
}

/// 换届 notices, 90 and 30 days before an organisation's term ends (DESIGN.md §3): once
/// per organisation, term and threshold however often this runs (the server runs it every
/// hour; tests call it with the day they choose).
///
/// Sends the notices due on `today` (the zone's local date) that were not sent before,
/// records them and writes one audit event, in one transaction. `units` in the answer
/// counts the organisations whose secretaries were told.
pub async fn notify_terms_ending(
    db: &PgPool,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> sqlx::Result<Reminded> {
    let mut tx = db.begin().await?;
    let due = db::organization_term::record_due_notices(&mut tx, today, now).await?;
    if due.is_empty() {
        return Ok(Reminded {
            units: 0,
            notices: 0,
        });
    }
    let notices = db::organization_term::notify_unit_secretaries(&mut tx, &due, today, now).await?;
    let reminded = Reminded {
        units: due.len() as u64,
        notices,
    };
    let organizations: Vec<_> = due
        .iter()
        .map(|d| json!({"organization_id": d.organization_id, "term_ends_on": d.term_ends_on, "days_before": d.days_before}))
        .collect();
    let event = Event::new(AuditAction::OrganizationTermReminded, "organization", "due")
        .after(json!({ "organizations": organizations, "notices": notices }));
    db::audit::record(&mut *tx, now, &Actor::system("system", "scheduler"), event).await?;
    tx.commit().await?;
    Ok(reminded)
}

/// Sends `notice` to the secretaries of `units`, writes the audit event made from what was
/// sent, and commits.
async fn tell(
    mut tx: Transaction<'_, Postgres>,
    actor: &Actor,
    units: &[UnitId],
    notice: &NewNotification<'_>,
    event: impl FnOnce(Reminded) -> Event<'static>,
) -> sqlx::Result<Reminded> {
    let notices = db::notification::to_unit_secretaries(&mut tx, units, notice).await?;
    let reminded = Reminded {
        units: units.len() as u64,
        notices,
    };
    db::audit::record(&mut *tx, notice.at, actor, event(reminded)).await?;
    tx.commit().await?;
    Ok(reminded)
}

//! The work summary and plan of a period (issue 17 item 4), gathered from the database and
//! composed by `report::work_summary`: the round's figures from the kept survey totals,
//! the committee's activities of the period with their kept counts, the organisations'
//! activities added up, and next year's work-plan items; the same for the page, the API
//! and the command line. The staff's drafts (their words, saved against the figures they
//! saw) and finalising one (报送) as a snapshot are in `drafts`.

use crate::clock::Clock;
use crate::db;
use crate::domain::ids::SurveyId;
use crate::report::work_summary::{
    ActivityFacts, BranchFacts, Facts, PlanFacts, RoundFacts, Words, compose,
};
use crate::report::{Period, WorkSummary};

use super::Error;

mod drafts;

pub use drafts::{WordsInput, copy, finalise, published, report_of, save, start_draft};

/// The work summary of `period`, on the round `survey` or else the latest as of a day
/// within or before the period, with the staff's `words`. Refused when `survey` names
/// no round.
pub async fn work_summary(
    db: &sqlx::PgPool,
    clock: &Clock,
    period: Period,
    survey: Option<SurveyId>,
    words: Words,
) -> Result<WorkSummary, Error> {
    let (first, after) = period.days();
    let (from, to) = (clock.start_of(first), clock.start_of(after));
    let survey = match survey {
        Some(id) => Some(id),
        None => db::report::round_before(db, after).await?,
    };
    let round = match survey {
        None => None,
        Some(id) => {
            let Some(row) = db::survey::get_or_latest(db, Some(id)).await? else {
                return Err(Error::refused("没有这一轮摸排"));
            };
            let s = db::survey::summary(db, id).await?;
            Some(RoundFacts {
                survey: id,
                as_of: s.as_of,
                enterprises_operating: s.enterprises_operating,
                departments: s.departments,
                communities: s.communities,
                members: s.members,
                youth: s.youth,
                enterprises_with_members: s.enterprises_with_members,
                enterprises_with_organization: s.enterprises_with_organization,
                departments_communities_approved: s.departments_communities_approved,
                departments_communities_pending: s.departments_communities_pending,
                deadline: row.formation_deadline,
                reminded: db::report::reminded_units(db, from, to).await?,
            })
        }
    };
    let activities = db::report::committee_activities(db, from, to)
        .await?
        .into_iter()
        .map(|a| ActivityFacts {
            id: a.activity_id,
            kind: a.kind,
            title: a.title,
            series: a.series,
            days: (
                clock.local(a.starts_at).date_naive(),
                clock.local(a.ends_at).date_naive(),
            ),
            organizer: a.organizer,
            units: a.units,
            participants: a.participants,
            hours_tenths: a.hours_tenths,
        })
        .collect();
    let (count, participants, hours_tenths) = db::report::branch_totals(db, from, to).await?;
    // 二、next year's work plan: its items in their order, cancelled ones left out.
    let plan: Vec<PlanFacts> = db::work_plan::of_year(db, period.year + 1)
        .await?
        .into_iter()
        .filter(|p| p.state != crate::domain::work_plan::State::Cancelled)
        .map(|p| PlanFacts {
            key: format!("plan:{}", p.work_plan_item_id),
            heading: p.heading,
            text: p.text,
        })
        .collect();
    Ok(compose(&Facts {
        committee: db::report::committee_name(db).await?,
        period,
        round,
        activities,
        branches: BranchFacts {
            activities: count,
            participants,
            hours_tenths,
        },
        plan,
        words,
    }))
}

//! What a work summary is written from: the round's figures, the committee's activities
//! of the period, the organisations' added up, next year's plan items, and the staff's
//! words (`compose` in the parent turns them into the report).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::domain::activity::Kind;
use crate::domain::ids::{ActivityId, SurveyId};
use crate::report::Period;

/// A survey round's figures (DESIGN.md §6 keys) and the formation campaign's state.
#[derive(Debug, Clone)]
pub struct RoundFacts {
    pub survey: SurveyId,
    pub as_of: NaiveDate,
    pub enterprises_operating: i64,
    pub departments: i64,
    pub communities: i64,
    pub members: i64,
    pub youth: i64,
    pub enterprises_with_members: i64,
    pub enterprises_with_organization: i64,
    pub departments_communities_approved: i64,
    pub departments_communities_pending: i64,
    /// The round's formation deadline, if it set one.
    pub deadline: Option<NaiveDate>,
    /// Eligible units without an organisation that were reminded (督促) in the period.
    pub reminded: i64,
}

/// One of the committee's activities in the period.
#[derive(Debug, Clone)]
pub struct ActivityFacts {
    pub id: ActivityId,
    pub kind: Kind,
    pub title: String,
    pub series: String,
    /// The first and last day, in the zone's calendar.
    pub days: (NaiveDate, NaiveDate),
    pub organizer: String,
    pub units: i64,
    pub participants: i64,
    pub hours_tenths: i64,
}

/// The activities the organisations organised in the period, added up.
#[derive(Debug, Clone, Copy, Default)]
pub struct BranchFacts {
    pub activities: i64,
    pub participants: i64,
    pub hours_tenths: i64,
}

/// A work-plan item of the next year, in its order.
#[derive(Debug, Clone)]
pub struct PlanFacts {
    pub key: String,
    pub heading: String,
    pub text: String,
}

/// What the staff wrote: the title if changed, the paragraphs around the sections, and per
/// item (by key) a heading if changed and words after the figures.
#[derive(Debug, Clone, Default)]
pub struct Words {
    pub title: Option<String>,
    pub opening: String,
    pub closing: String,
    pub items: BTreeMap<String, ItemWords>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ItemWords {
    pub heading: Option<String>,
    pub text: String,
}

/// Everything a work summary is written from.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The committee's name, for the title (开发区团工委).
    pub committee: String,
    pub period: Period,
    pub round: Option<RoundFacts>,
    /// The committee's activities of the period, cancelled ones left out.
    pub activities: Vec<ActivityFacts>,
    pub branches: BranchFacts,
    pub plan: Vec<PlanFacts>,
    pub words: Words,
}

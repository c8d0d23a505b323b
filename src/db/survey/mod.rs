//! Survey rounds and their entries: the set-based commit of an imported workbook, and the
//! dashboard's figures for a round in one query. One file per concern; every public item
//! is re-exported here, so callers name `db::survey::X` whichever file holds it.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::ids::SurveyId;

mod commit;
mod entries;
mod export;
mod rounds;
mod similar;
mod statistics;

pub use commit::commit;
pub use entries::{
    EntryRow, Figures, PendingUnit, Reported, entry, not_reported, record_reminders, report,
};
pub use export::export_rows;
pub use rounds::{
    RoundDetail, RoundSettings, discard, get_or_latest, is_locked, list, lock, open_for_reporting,
    open_round, previous, progress, progress_in_scope, round, rounds, update_settings,
};
pub use similar::SimilarUnit;
pub use statistics::{
    KindTotals, Summary, UnitFigure, most_youth_without_organization, summary, totals_by_kind,
};

/// One round per as-of date (migration 0005).
pub const AS_OF_UNIQUE: &str = "survey_as_of_unique";

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct SurveyRow {
    pub survey_id: SurveyId,
    pub title: String,
    pub as_of: NaiveDate,
    pub formation_deadline: Option<NaiveDate>,
    pub locked: bool,
}

/// What a commit did (or, in a preview that is rolled back, would do).
#[derive(Debug, Clone)]
pub struct CommitStats {
    pub survey_id: SurveyId,
    /// Rows created or changed; 0 when nothing changed.
    pub changed: u64,
    pub new_round: bool,
    pub new_units: i64,
    /// The round the figures were compared with, if any.
    pub compared: Option<SurveyId>,
    pub changes: Vec<FigureChange>,
    /// New units whose name is near an existing unit's, for the committee to confirm.
    pub similar: Vec<SimilarUnit>,
}

/// A unit whose figures differ from the compared round's.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct FigureChange {
    pub line: i32,
    pub name: String,
    pub staff_before: Option<i32>,
    pub staff_after: Option<i32>,
    pub youth_before: i32,
    pub youth_after: i32,
    pub members_before: i32,
    pub members_after: i32,
}

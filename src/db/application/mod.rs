//! Formation applications (建团申请): drafts, transitions with their history, approval that
//! creates the organisation in the same transaction, attachments, and the scoped lists.
//! One file per concern; every public item is re-exported here, so callers name
//! `db::application::X` whichever file holds it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::domain::ids::{ApplicationId, OrganizationId, UnitId};

mod attachments;
mod drafts;
mod read;
mod transitions;

pub use crate::domain::application::State;
pub use attachments::{AttachmentRow, add_attachment, attachment, attachments};
pub use drafts::{Input, create_draft, update};
pub use read::{for_unit, get, list, queue, queue_count};
pub use transitions::{EventRow, approve, history, record_event, transition};

/// At most one application in progress per unit (migration 0005).
pub const ONE_OPEN: &str = "formation_application_one_open";
/// A document number approves one application (migration 0007).
pub const APPROVAL_NUMBER_UNIQUE: &str = "formation_application_approval_number";

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ApplicationRow {
    pub formation_application_id: ApplicationId,
    pub state: State,
    pub proposed_name: String,
    pub member_count: i32,
    pub submitted_at: Option<DateTime<Utc>>,
}

impl ApplicationRow {
    pub fn state_label(&self) -> &'static str {
        self.state.label()
    }
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Application {
    pub formation_application_id: ApplicationId,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub state: State,
    pub proposed_name: String,
    pub proposed_kind: crate::domain::organization::Kind,
    pub member_count: i32,
    pub youth_count: i32,
    pub proposed_secretary: Option<String>,
    pub reasons: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    pub approval_number: Option<String>,
    pub approved_on: Option<NaiveDate>,
    pub organization_id: Option<OrganizationId>,
}

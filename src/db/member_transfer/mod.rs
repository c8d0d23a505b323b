//! Transfers of members' league relations (接转): started by either organisation, done
//! when the other agrees; out of the zone at once. Each change also writes the member's
//! history. The reads and the changes have a file each; every public item is re-exported
//! here, so callers name `db::member_transfer::X` whichever file holds it.

use crate::domain::ids::{MemberId, OrganizationId, TransferId};
use chrono::{DateTime, Utc};
use serde::Serialize;

pub use crate::domain::transfer::{Side, State};

mod changes;
mod read;

pub use changes::{cancel, decide, move_out, start};
pub use read::{for_member, get, list, organization_named, sides, units_of};

/// A member has at most one pending transfer (migration 0010).
pub const ONE_PENDING: &str = "member_transfer_one_pending";

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct TransferRow {
    pub member_transfer_id: TransferId,
    pub member_id: MemberId,
    pub member_name: String,
    pub resident_id_masked: String,
    pub from_organization_id: OrganizationId,
    pub from_name: String,
    pub to_organization_id: Option<OrganizationId>,
    pub to_name: Option<String>,
    pub destination: Option<String>,
    pub started_by: Side,
    pub state: State,
    pub reason: Option<String>,
    pub requested_by_name: String,
    pub requested_at: DateTime<Utc>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    /// Whether the reader may act for the sending / the receiving organisation.
    pub for_sender: bool,
    pub for_receiver: bool,
}

impl TransferRow {
    pub fn state_label(&self) -> &'static str {
        self.state.label(self.started_by)
    }

    /// The reader is on the side that must agree.
    pub fn awaits_reader(&self) -> bool {
        self.is_open()
            && if self.started_by == Side::Sender {
                self.for_receiver
            } else {
                self.for_sender
            }
    }

    /// The reader is on the side that started it, and may withdraw it.
    pub fn started_by_reader(&self) -> bool {
        self.is_open()
            && if self.started_by == Side::Sender {
                self.for_sender
            } else {
                self.for_receiver
            }
    }

    pub fn is_open(&self) -> bool {
        self.state == State::Pending
    }

    pub fn target(&self) -> &str {
        self.to_name
            .as_deref()
            .or(self.destination.as_deref())
            .unwrap_or("")
    }
}

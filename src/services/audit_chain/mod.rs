//! The audit log's hash chain, checked and archived (issue 18 item 3): `verify` walks the
//! archive files given and then the table, streaming, and names the first broken link;
//! `archive` moves events older than 185 days to a file and out of the table, as the owner.

mod archive;
mod verify;

use serde::{Deserialize, Serialize};

pub use archive::{Archived, archive};
pub use verify::{Fault, Verified, verify};

/// Audit events are kept in the table at least this many days (DESIGN.md §7).
pub const KEEP_DAYS: i64 = 185;

/// The first line of an archive file; every further line is one `Link` as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub before: chrono::NaiveDate,
    pub first_event_id: i64,
    pub last_event_id: i64,
    pub event_count: i64,
    pub first_prev_hash: String,
    pub last_hash: String,
}

pub const FORMAT: &str = "tuanjian-audit-archive/1";

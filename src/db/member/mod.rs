//! League members: written encrypted, read masked; the full resident ID only through
//! `reveal`, which the caller audits. One file per concern; every public item is
//! re-exported here, so callers name `db::member::X` whichever file holds it.

use crate::domain::ids::{MemberId, OrganizationId};
use chrono::NaiveDate;
use serde::Serialize;

mod age;
mod comparison;
mod erasure;
pub mod personal;
mod records;
mod sealed;
mod search;

pub use crate::domain::member::{NewMember, State};
pub use age::{AgeList, age_out, by_age, count_by_age};
pub use comparison::{Comparison, differences, totals};
pub use erasure::erase_due;
pub use records::{
    MemberEvent, create, create_many, delete, events, find_by_resident_id, get, in_scope,
    registered, update,
};
pub use sealed::{reencrypt, reveal, reveal_many};
pub use search::{Filter, count, list};

/// A resident ID is registered once, through its blind index (migration 0008).
pub const RESIDENT_ID_UNIQUE: &str = "member_resident_id_unique";

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct MemberRow {
    pub member_id: MemberId,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub name: String,
    pub sex: String,
    pub ethnicity: String,
    pub birth_date: NaiveDate,
    pub resident_id_masked: String,
    pub phone_masked: Option<String>,
    pub joined_on: NaiveDate,
    pub education: Option<String>,
    pub political_status: String,
    pub league_post: Option<String>,
    pub state: State,
    /// When the resident ID and phone were erased after the retention period, if they were.
    pub erased_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl MemberRow {
    /// Joined before 14, as a member on record may have (`domain::member::Admission`).
    pub fn joined_under_fourteen(&self) -> bool {
        crate::domain::member::joined_under_fourteen(self.birth_date, self.joined_on)
    }

    pub fn age_on(&self, day: NaiveDate) -> u32 {
        day.years_since(self.birth_date).unwrap_or(0)
    }

    pub fn state_label(&self) -> &'static str {
        self.state.label()
    }

    /// Under 18 on `day` (the zone's today): a minor, whose full ID only the committee
    /// may reveal (`domain::disclosure`).
    pub fn is_minor(&self, day: NaiveDate) -> bool {
        self.age_on(day) < crate::domain::disclosure::ADULT_AGE
    }

    /// Whether the resident ID and phone are erased (retention period over).
    pub fn is_erased(&self) -> bool {
        self.erased_at.is_some()
    }
}

/// Organisations a user may see members of: as for the organisation pages.
const IN_SCOPE: &str = super::in_scope!("m.organization_id");

const COLUMNS: &str = "m.member_id, m.organization_id, o.name as organization_name, m.name, m.sex,
            m.ethnicity, m.birth_date, m.resident_id_masked, m.phone_masked, m.joined_on, m.education,
            m.political_status, m.league_post, m.state, m.erased_at";

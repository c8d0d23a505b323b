//! Units of the zone: the scoped list with its filters, facet counts and keyset pages, the
//! detail with its history, and writes. One file per concern; every public item is
//! re-exported here, so callers name `db::unit::X` whichever file holds it.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::ids::UnitId;
pub use crate::domain::unit::{Status, UnitKind};

mod list;
mod lookup;
mod write;

pub use list::{
    DEPARTMENT_OR_COMMUNITY, Facets, Filter, ListRow, facets, facets_counted, facets_kept, list,
};
pub use lookup::{HistoryRow, find_id_by_name, get, history, list_scoped, names};
pub use write::{UnitInput, close, create, ensure_named, update};

/// Unit names are unique (migration 0002).
pub const NAME_UNIQUE: &str = "unit_name_unique";
/// A credit code belongs to one unit (migration 0002).
pub const CREDIT_CODE_UNIQUE: &str = "unit_credit_code_unique";

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct UnitRow {
    pub unit_id: UnitId,
    pub kind: UnitKind,
    pub name: String,
    pub credit_code: Option<String>,
    pub status: Option<Status>,
    pub contact_person: Option<String>,
}

impl UnitRow {
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }
}

/// Everything the unit page and its form show.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Unit {
    pub unit_id: UnitId,
    pub kind: UnitKind,
    pub name: String,
    pub credit_code: Option<String>,
    pub status: Option<Status>,
    pub industry: Option<String>,
    pub staff: Option<i32>,
    pub contact_person: Option<String>,
    pub contact_phone: Option<String>,
    pub closed_on: Option<NaiveDate>,
}

impl Unit {
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }
}

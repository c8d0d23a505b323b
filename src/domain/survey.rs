//! A survey workbook (摸排统计表) as read: its rows, each a unit's figures, and how the
//! workbook states the unit's formation approval. The reader in `import::survey` makes it,
//! `db::survey::commit` stores it and the export writes it back.

use chrono::NaiveDate;

use crate::domain::organization::Kind as OrganizationKind;
use crate::domain::unit::{Status, UnitKind};

/// 批复状态 as the workbook states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    Approved,
    Applied,
    NotApplied,
}

/// A valid data row.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyRow {
    /// The spreadsheet's row number.
    pub line: u32,
    pub name: String,
    pub kind: UnitKind,
    pub credit_code: Option<String>,
    pub status: Option<Status>,
    pub staff: Option<i64>,
    pub youth: i64,
    pub members: i64,
    pub organization: Option<(String, OrganizationKind)>,
    pub approval: Option<Approval>,
    pub approved_on: Option<NaiveDate>,
    pub contact: Option<String>,
    pub phone: Option<String>,
}

/// A workbook read without faults.
#[derive(Debug, Clone)]
pub struct SurveySheet {
    pub title: String,
    pub as_of: Option<NaiveDate>,
    pub rows: Vec<SurveyRow>,
}

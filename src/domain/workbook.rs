//! What goes wrong with a workbook an office sends: one fault at a spreadsheet row, or a
//! reason the whole file cannot be taken. Shared by the readers in `import`, the database's
//! all-or-nothing commits and the pages that list the faults.

use std::fmt;

/// How many faults a page lists; the count above the list gives them all, and the survey's
/// faulty rows download carries every one. A workbook of 20,000 bad rows made a preview of
/// hundreds of megabytes.
pub const FAULTS_SHOWN: usize = 200;

/// One fault in a workbook, at the spreadsheet's own (1-based) row number.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fault {
    pub row: u32,
    pub column: String,
    pub reason: String,
    /// The cell's text as found, for the preview.
    pub value: String,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "第{}行 {}：{}", self.row, self.column, self.reason)
    }
}

/// Why a workbook could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file itself cannot be read as a survey workbook.
    #[error("{0}")]
    Unreadable(String),
    /// Rows with faults: nothing was written.
    #[error("工作簿有{}处错误，未导入任何数据", .0.len())]
    Faults(Vec<Fault>),
    /// The round is locked and cannot change.
    #[error("截止{0}的摸排轮次已锁定，不能再导入")]
    Locked(chrono::NaiveDate),
    #[error("数据库错误：{0}")]
    Database(#[from] sqlx::Error),
}

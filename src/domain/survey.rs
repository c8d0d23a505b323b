//! A survey workbook (摸排统计表) as read: its rows, each a unit's figures, and how the
//! workbook states the unit's formation approval. The reader in `import::survey` makes it,
//! `db::survey::commit` stores it and the export writes it back.

use chrono::NaiveDate;

use crate::domain::organization::Kind as OrganizationKind;
use crate::domain::unit::{Status, UnitKind};

/// The dates a round may carry (统计截止、填报起止、建团截止): a date outside this century
/// is a slip of the keyboard (9999-12-31), not a survey, and it would sort every later
/// round before it.
pub fn check_round_date(date: NaiveDate) -> Result<NaiveDate, &'static str> {
    let first = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN);
    let last = NaiveDate::from_ymd_opt(2099, 12, 31).unwrap_or(NaiveDate::MAX);
    if (first..=last).contains(&date) {
        Ok(date)
    } else {
        Err("应在2000年至2099年之间")
    }
}

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
    /// The worksheet it was read from (the first visible one with the survey's header,
    /// unless another was chosen).
    pub sheet_name: String,
    /// Every visible worksheet with the survey's header, in the workbook's order.
    pub candidates: Vec<String>,
    pub title: String,
    pub as_of: Option<NaiveDate>,
    pub rows: Vec<SurveyRow>,
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    #[test]
    fn round_dates_stay_in_this_century() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert!(super::check_round_date(day(2018, 6, 1)).is_ok());
        assert!(super::check_round_date(day(9999, 12, 31)).is_err());
        assert!(super::check_round_date(day(1999, 12, 31)).is_err());
    }
}

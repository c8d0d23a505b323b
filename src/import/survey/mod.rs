//! The survey workbook (摸排统计表): a merged title row, a 填报单位/统计截止日期 row, a
//! two-level merged header, one row per unit, a 合计 row and a 注 row. Columns are found by
//! their header text, so their order and any extra columns do not matter. Finding the
//! header, reading the rows and checking the 合计 row have a file each.

mod layout;
mod rows;
mod totals;

pub use crate::domain::survey::{Approval, SurveyRow, SurveySheet};
pub use layout::{MAX_ROWS, raw_rows, survey_sheet};
pub use rows::{read, read_sheet};

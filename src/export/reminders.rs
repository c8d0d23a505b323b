//! The reminder list (督促名单) as a workbook: the units that must form an organisation and
//! have not applied, with how often and when they were last reminded.

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, XlsxError};

use super::sheet::{Book, Sheet};

/// One unit of the list, as the export shows it.
pub struct ReminderLine<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub members: i64,
    pub youth: i64,
    pub reminders: i64,
    /// The zone's day of the latest reminder.
    pub last_reminded: Option<NaiveDate>,
    /// A draft or returned application exists.
    pub in_progress: bool,
}

const LABELS: [&str; 8] = [
    "序号",
    "单位名称",
    "单位类型",
    "团员数",
    "青年数",
    "已督促次数",
    "最近督促",
    "有草稿或退回的申请",
];

/// The list of the round as of `as_of`, one row per unit in the given order.
pub fn workbook(as_of: NaiveDate, units: &[ReminderLine<'_>]) -> Result<Vec<u8>, XlsxError> {
    let mut sheet = Sheet::new("督促名单")?;
    let head = Format::new().set_bold().set_background_color("#F2F2F2");
    let title = format!("具备建团条件尚未申请的单位（截止{as_of}）");
    sheet.text_with(0, 0, &title, &Format::new().set_bold().set_font_size(14))?;
    for (c, label) in LABELS.iter().enumerate() {
        sheet.text_with(1, c as u16, label, &head)?;
    }
    for (i, u) in units.iter().enumerate() {
        let r = 2 + i as u32;
        sheet.number(r, 0, (i + 1) as f64)?;
        sheet.text(r, 1, u.name)?;
        sheet.text(r, 2, u.kind)?;
        sheet.number(r, 3, u.members as f64)?;
        sheet.number(r, 4, u.youth as f64)?;
        sheet.number(r, 5, u.reminders as f64)?;
        let last = u.last_reminded.map(|d| d.to_string()).unwrap_or_default();
        sheet.text(r, 6, &last)?;
        sheet.text(r, 7, if u.in_progress { "是" } else { "" })?;
    }
    sheet.column_width(1, 36.0)?;
    sheet.freeze(2, 0)?;
    sheet.print_a4_landscape(None)?;
    let mut book = Book::new();
    book.add(sheet);
    book.save()
}

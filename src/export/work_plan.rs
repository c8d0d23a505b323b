//! A year's work plan (工作安排) as a workbook: one row per item in its order, with its
//! owner, due date, state, flag and latest progress, printable on A4 landscape.

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, XlsxError};

use super::sheet::{Book, Sheet};

/// One item, as the export shows it.
pub struct PlanLine<'a> {
    /// 一, 二 …
    pub number: &'a str,
    pub heading: &'a str,
    pub text: &'a str,
    pub owner: &'a str,
    pub due_on: NaiveDate,
    pub state: &'a str,
    /// 即将到期, 已逾期, or empty.
    pub flag: &'a str,
    /// The latest note's day and text, or empty.
    pub last_note: &'a str,
}

const LABELS: [(&str, f64); 8] = [
    ("序号", 6.0),
    ("标题", 24.0),
    ("内容", 60.0),
    ("负责", 20.0),
    ("完成时限", 12.0),
    ("状态", 8.0),
    ("提示", 10.0),
    ("最新进展", 36.0),
];

/// The plan of `year` as of `today` (named in the title row).
pub fn workbook(year: i32, today: NaiveDate, lines: &[PlanLine<'_>]) -> Result<Vec<u8>, XlsxError> {
    let mut sheet = Sheet::new(&format!("{year}年工作安排"))?;
    let title = format!("{year}年工作安排（{}导出）", today.format("%Y年%-m月%-d日"));
    sheet.text_with(0, 0, &title, &Format::new().set_bold().set_font_size(14))?;
    let head = Format::new()
        .set_bold()
        .set_background_color("#F2F2F2")
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let cell = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    for (c, (label, width)) in LABELS.iter().enumerate() {
        sheet.text_with(1, c as u16, label, &head)?;
        sheet.column_width(c as u16, *width)?;
    }
    for (i, line) in lines.iter().enumerate() {
        let r = 2 + i as u32;
        let due = line.due_on.to_string();
        let cells = [
            line.number,
            line.heading,
            line.text,
            line.owner,
            due.as_str(),
            line.state,
            line.flag,
            line.last_note,
        ];
        for (c, text) in cells.iter().enumerate() {
            sheet.text_with(r, c as u16, text, &cell)?;
        }
    }
    sheet.freeze(2, 0)?;
    sheet.print_a4_landscape(Some((1, 1)))?;
    let mut book = Book::new();
    book.add(sheet);
    book.save()
}

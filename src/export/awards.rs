//! The 青年文明号 list as a workbook (青年文明号创建及认定情况表): a title row, a header row,
//! one row per post, A4 landscape. Export knows neither db nor web: the caller gives the
//! lines as text.

use rust_xlsxwriter::{Format, XlsxError};

use super::sheet::{Book, Sheet};

/// One post, as the export shows it (dates as YYYY-MM-DD, empty when none).
pub struct AwardLine<'a> {
    pub name: &'a str,
    pub collective: &'a str,
    pub unit: &'a str,
    pub leader: &'a str,
    pub state: &'a str,
    pub registered_on: String,
    pub level: &'a str,
    pub document_number: &'a str,
    pub recognized_on: String,
    pub reviewed_on: String,
    pub review_due_on: String,
    /// 复核已逾期 / 即将复核, or empty.
    pub due: &'a str,
}

const LABELS: [&str; 13] = [
    "序号",
    "集体名称",
    "类型",
    "所属单位",
    "负责人",
    "状态",
    "备案日期",
    "认定级别",
    "认定文号",
    "认定日期",
    "最近复核",
    "下次复核",
    "复核提示",
];

/// The list titled `title`, one row per post in the given order.
pub fn list(title: &str, lines: &[AwardLine<'_>]) -> Result<Vec<u8>, XlsxError> {
    let mut sheet = Sheet::new("青年文明号")?;
    let head = Format::new().set_bold().set_background_color("#F2F2F2");
    sheet.text_with(0, 0, title, &Format::new().set_bold().set_font_size(14))?;
    for (c, label) in LABELS.iter().enumerate() {
        sheet.text_with(1, c as u16, label, &head)?;
    }
    for (i, a) in lines.iter().enumerate() {
        let r = 2 + i as u32;
        sheet.number(r, 0, (i + 1) as f64)?;
        for (c, text) in [
            a.name,
            a.collective,
            a.unit,
            a.leader,
            a.state,
            a.registered_on.as_str(),
            a.level,
            a.document_number,
            a.recognized_on.as_str(),
            a.reviewed_on.as_str(),
            a.review_due_on.as_str(),
            a.due,
        ]
        .into_iter()
        .enumerate()
        {
            sheet.text(r, 1 + c as u16, text)?;
        }
    }
    sheet.column_width(1, 28.0)?;
    sheet.column_width(3, 30.0)?;
    sheet.column_width(8, 22.0)?;
    sheet.freeze(2, 0)?;
    sheet.print_a4_landscape(None)?;
    let mut book = Book::new();
    book.add(sheet);
    book.save()
}

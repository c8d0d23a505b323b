//! Activities in the layouts offices keep: the activity list (活动登记表) and the volunteer
//! hours per person (志愿服务时长统计表), each with a title row, a header row, one row per
//! line and A4 landscape print settings.

use rust_xlsxwriter::{Format, XlsxError};

use super::sheet::{Book, Sheet};

/// One activity, as the list export shows it (times already in the zone's local time).
pub struct ActivityLine<'a> {
    pub title: &'a str,
    pub kind: &'a str,
    pub starts: String,
    pub ends: String,
    pub place: &'a str,
    pub organizer: &'a str,
    pub series: String,
    pub units: i64,
    pub participants: i64,
    /// Confirmed volunteer hours, in tenths.
    pub hours_tenths: i64,
    pub state: &'a str,
}

/// One person's hours, as the hours export shows it.
pub struct HoursLine<'a> {
    pub name: &'a str,
    pub unit: &'a str,
    /// A non-member's mobile, masked; empty for a member.
    pub phone_masked: &'a str,
    pub member: bool,
    pub activities: i64,
    pub hours_tenths: i64,
    pub star_level: &'a str,
}

fn start(title: &str, name: &str, labels: &[&str]) -> Result<Sheet, XlsxError> {
    let mut sheet = Sheet::new(name)?;
    let head = Format::new().set_bold().set_background_color("#F2F2F2");
    sheet.text_with(0, 0, title, &Format::new().set_bold().set_font_size(14))?;
    for (c, label) in labels.iter().enumerate() {
        sheet.text_with(1, c as u16, label, &head)?;
    }
    Ok(sheet)
}

fn finish(mut sheet: Sheet) -> Result<Vec<u8>, XlsxError> {
    sheet.freeze(2, 0)?;
    sheet.print_a4_landscape(None)?;
    let mut book = Book::new();
    book.add(sheet);
    book.save()
}

/// The activity list titled `title`, one row per activity in the given order.
pub fn list(title: &str, lines: &[ActivityLine<'_>]) -> Result<Vec<u8>, XlsxError> {
    let labels = [
        "序号",
        "活动名称",
        "类型",
        "开始时间",
        "结束时间",
        "地点",
        "主办",
        "系列",
        "参与单位（家）",
        "参与人数",
        "志愿服务时长（小时）",
        "状态",
    ];
    let mut sheet = start(title, "活动登记表", &labels)?;
    for (i, a) in lines.iter().enumerate() {
        let r = 2 + i as u32;
        sheet.number(r, 0, (i + 1) as f64)?;
        sheet.text(r, 1, a.title)?;
        sheet.text(r, 2, a.kind)?;
        sheet.text(r, 3, &a.starts)?;
        sheet.text(r, 4, &a.ends)?;
        sheet.text(r, 5, a.place)?;
        sheet.text(r, 6, a.organizer)?;
        sheet.text(r, 7, &a.series)?;
        sheet.number(r, 8, a.units as f64)?;
        sheet.number(r, 9, a.participants as f64)?;
        sheet.number(r, 10, a.hours_tenths as f64 / 10.0)?;
        sheet.text(r, 11, a.state)?;
    }
    sheet.column_width(1, 36.0)?;
    sheet.column_width(6, 24.0)?;
    finish(sheet)
}

/// The hours per person titled `title`, one row per person in the given order.
pub fn hours(title: &str, lines: &[HoursLine<'_>]) -> Result<Vec<u8>, XlsxError> {
    let labels = [
        "序号",
        "姓名",
        "身份",
        "单位/团组织",
        "手机号",
        "参加活动（次）",
        "志愿服务时长（小时）",
        "星级（本期）",
    ];
    let mut sheet = start(title, "志愿服务时长", &labels)?;
    for (i, p) in lines.iter().enumerate() {
        let r = 2 + i as u32;
        sheet.number(r, 0, (i + 1) as f64)?;
        sheet.text(r, 1, p.name)?;
        sheet.text(r, 2, if p.member { "团员" } else { "青年" })?;
        sheet.text(r, 3, p.unit)?;
        sheet.text(r, 4, p.phone_masked)?;
        sheet.number(r, 5, p.activities as f64)?;
        sheet.number(r, 6, p.hours_tenths as f64 / 10.0)?;
        sheet.text(r, 7, p.star_level)?;
    }
    sheet.column_width(3, 30.0)?;
    finish(sheet)
}

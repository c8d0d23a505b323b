//! A survey round as the office workbook: merged title, 填报单位/统计截止日期 row, two-level
//! merged header, one row per unit, 合计 and 注 rows; frozen header, column widths, header
//! rows repeated on each printed page, A4 landscape.

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, XlsxError};

use super::sheet::{Book, Sheet};
use crate::domain::unit::Status;
use crate::import::survey::{Approval, SurveyRow};

const COLUMNS: usize = 16;
const WIDTHS: [f64; COLUMNS] = [
    6.0, 34.0, 9.0, 22.0, 9.0, 9.0, 12.0, 8.0, 9.0, 24.0, 10.0, 9.0, 12.0, 10.0, 14.0, 10.0,
];
const NOTE: &str = "注：1.青年指14至35周岁人员；2.团员指28周岁以下共青团员（含保留团籍的团干部）；3.运行状态填“运行”“在建”“停产”。";

pub fn workbook(
    title: &str,
    filled_by: &str,
    as_of: NaiveDate,
    rows: &[SurveyRow],
) -> Result<Vec<u8>, XlsxError> {
    let mut sheet = Sheet::new("摸排统计")?;
    let border = Format::new().set_border(FormatBorder::Thin);
    let center = border
        .clone()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let head = center
        .clone()
        .set_bold()
        .set_text_wrap()
        .set_background_color("#F2F2F2");
    let title_format = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center);
    let last = (COLUMNS - 1) as u16;

    sheet.merge((0, 0), (0, last), title, &title_format)?;
    sheet.row_height(0, 30.0)?;
    let stamp = format!(
        "填报单位：{filled_by}（盖章）            统计截止日期：{}",
        as_of.format("%Y年%-m月%-d日")
    );
    sheet.merge((1, 0), (1, last), &stamp, &Format::new())?;
    let single = [
        (0, "序号"),
        (1, "单位名称"),
        (2, "单位类型"),
        (3, "统一社会信用代码"),
        (4, "运行状态"),
        (13, "联系人"),
        (14, "联系电话"),
        (15, "备注"),
    ];
    for (c, label) in single {
        sheet.merge((2, c), (3, c), label, &head)?;
    }
    sheet.merge((2, 5), (2, 7), "人员情况", &head)?;
    sheet.merge((2, 8), (2, 12), "团组织情况", &head)?;
    let lower = [
        (5, "职工总数"),
        (6, "青年职工数\n（35周岁以下）"),
        (7, "团员数"),
        (8, "是否建立团组织"),
        (9, "团组织名称"),
        (10, "组织类型"),
        (11, "批复状态"),
        (12, "批复日期"),
    ];
    for (c, label) in lower {
        sheet.text_with(3, c, label, &head)?;
    }
    sheet.row_height(3, 32.0)?;
    for (c, width) in WIDTHS.iter().enumerate() {
        sheet.column_width(c as u16, *width)?;
    }

    let (mut staff, mut youth, mut members) = (0i64, 0i64, 0i64);
    for (i, row) in rows.iter().enumerate() {
        let r = 4 + i as u32;
        let (org_name, org_kind) = row
            .organization
            .as_ref()
            .map_or(("", ""), |(name, kind)| (name.as_str(), kind.label()));
        let approval = match row.approval {
            Some(Approval::Approved) => "已批复",
            Some(Approval::Applied) => "已申请",
            Some(Approval::NotApplied) => "未申请",
            None => "",
        };
        let approved_on = row.approved_on.map(|d| d.to_string()).unwrap_or_default();
        sheet.number_with(r, 0, (i + 1) as f64, &center)?;
        let texts: [(u16, &str); 12] = [
            (1, &row.name),
            (2, row.kind.label()),
            (3, row.credit_code.as_deref().unwrap_or("")),
            (4, row.status.map_or("", Status::code)),
            (
                8,
                if row.organization.is_some() {
                    "是"
                } else {
                    "否"
                },
            ),
            (9, org_name),
            (10, org_kind),
            (11, approval),
            (12, &approved_on),
            (13, row.contact.as_deref().unwrap_or("")),
            (14, row.phone.as_deref().unwrap_or("")),
            (15, ""),
        ];
        for (c, value) in texts {
            sheet.text_with(r, c, value, &border)?;
        }
        if let Some(n) = row.staff {
            sheet.number_with(r, 5, n as f64, &border)?;
            staff += n;
        } else {
            sheet.blank(r, 5, &border)?;
        }
        sheet.number_with(r, 6, row.youth as f64, &border)?;
        sheet.number_with(r, 7, row.members as f64, &border)?;
        youth += row.youth;
        members += row.members;
    }
    let total = 4 + rows.len() as u32;
    sheet.text_with(total, 0, "合计", &head)?;
    sheet.text_with(total, 1, &format!("{}家", rows.len()), &head)?;
    for c in [2, 3, 4, 8, 9, 10, 11, 12, 13, 14, 15] {
        sheet.blank(total, c, &head)?;
    }
    for (c, value) in [(5, staff), (6, youth), (7, members)] {
        sheet.number_with(total, c, value as f64, &head)?;
    }
    sheet.merge(
        (total + 1, 0),
        (total + 1, last),
        NOTE,
        &Format::new().set_text_wrap(),
    )?;

    sheet.freeze(4, 2)?;
    sheet.print_a4_landscape(Some((2, 3)))?;
    let mut book = Book::new();
    book.add(sheet);
    book.save()
}

/// The rows of `bytes` that have faults, under the workbook's own title and header, with
/// two columns added: the original row number and 错误原因 (every fault of the row).
pub fn faulty_rows(
    bytes: &[u8],
    sheet: Option<&str>,
    faults: &[crate::import::Fault],
) -> Result<Vec<u8>, crate::import::ImportError> {
    use std::collections::BTreeMap;
    let (rows, header_rows, first_line) = crate::import::survey::raw_rows(bytes, sheet)?;
    let mut reasons: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for fault in faults {
        reasons
            .entry(fault.row)
            .or_default()
            .push(format!("{}：{}", fault.column, fault.reason));
    }
    let width = rows.iter().map(Vec::len).max().unwrap_or(0) as u16;
    let write = || -> Result<Vec<u8>, XlsxError> {
        let mut sheet = Sheet::new("错误行")?;
        let head = Format::new()
            .set_bold()
            .set_background_color("#F2F2F2")
            .set_border(FormatBorder::Thin);
        let error = Format::new().set_font_color("#9E0C24").set_text_wrap();
        let mut out = 0u32;
        for row in rows.iter().take(header_rows) {
            for (c, value) in row.iter().enumerate() {
                sheet.text_with(out, c as u16, value, &head)?;
            }
            out += 1;
        }
        let last_head = header_rows.saturating_sub(1) as u32;
        sheet.text_with(last_head, width, "原表行号", &head)?;
        sheet.text_with(last_head, width + 1, "错误原因", &head)?;
        for (line, messages) in &reasons {
            let index = line.checked_sub(first_line).map(|i| i as usize);
            if let Some(row) = index.and_then(|i| rows.get(i)) {
                for (c, value) in row.iter().enumerate() {
                    sheet.text(out, c as u16, value)?;
                }
            }
            sheet.number(out, width, *line as f64)?;
            sheet.text_with(out, width + 1, &messages.join("；"), &error)?;
            out += 1;
        }
        sheet.column_width(1, 30.0)?;
        sheet.column_width(width + 1, 60.0)?;
        sheet.freeze(header_rows as u32, 0)?;
        let mut book = Book::new();
        book.add(sheet);
        book.save()
    };
    write().map_err(|e| crate::import::ImportError::Unreadable(format!("生成错误行文件失败：{e}")))
}

//! Roster workbooks: the blank template offices fill in (dropdowns for the national code
//! lists, number columns kept as text) and the roster export, in the same columns so that
//! an export can be read back.

use rust_xlsxwriter::{DataValidation, Format, Formula, XlsxError};

use super::sheet::{Book, Sheet};
use crate::domain::codes::{EDUCATION, ETHNICITIES, POLITICAL_STATUS, name_of};
use crate::import::roster::COLUMNS;

/// A national code list: (code, name) pairs.
type CodeList<'a> = &'a [(&'a str, &'a str)];

/// Rows the template's dropdowns and text formats cover.
const TEMPLATE_ROWS: u32 = 2000;

/// The template for `organization`: the import's columns, a dropdown for each coded
/// column (the lists on a hidden sheet, as Excel limits inline lists to 255 characters),
/// and a sheet of instructions, so that the filled-in template imports as it is.
pub fn template(organization: &str) -> Result<Vec<u8>, XlsxError> {
    let head = Format::new()
        .set_bold()
        .set_background_color("#F2F2F2")
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let as_text = Format::new().set_num_format("@");
    let mut sheet = Sheet::new("团员名册")?;
    for (c, (title, _)) in COLUMNS.iter().enumerate() {
        sheet.text_with(0, c as u16, title, &head)?;
    }
    for (c, width) in [10, 6, 10, 22, 14, 10, 14, 22, 12].into_iter().enumerate() {
        sheet.column_width(c as u16, f64::from(width))?;
    }
    // Resident IDs, phones and months typed as numbers would lose digits or turn into dates.
    for c in [3u16, 4, 5] {
        sheet.column_format(c, &as_text)?;
    }
    sheet.freeze(1, 1)?;
    let sex = DataValidation::new()
        .allow_list_strings(&["男", "女"])?
        .set_error_title("性别")?
        .set_error_message("请选择男或女")?;
    sheet.validate((1, TEMPLATE_ROWS), 1, &sex)?;
    let lists: [(u16, &str, CodeList); 3] = [
        (2, "A", &ETHNICITIES),
        (6, "B", &EDUCATION),
        (7, "C", &POLITICAL_STATUS),
    ];
    for (column, letter, list) in lists {
        let rule = DataValidation::new()
            .allow_list_formula(Formula::new(format!(
                "=代码表!${letter}$2:${letter}${}",
                list.len() + 1
            )))
            .set_error_title(COLUMNS[column as usize].0)?
            .set_error_message("请从下拉列表中选择")?;
        sheet.validate((1, TEMPLATE_ROWS), column, &rule)?;
    }
    let mut codes = Sheet::new("代码表")?;
    for (c, (title, list)) in [
        ("民族", &ETHNICITIES[..]),
        ("学历", &EDUCATION[..]),
        ("政治面貌", &POLITICAL_STATUS[..]),
    ]
    .into_iter()
    .enumerate()
    {
        codes.text_with(0, c as u16, title, &head)?;
        for (r, (_, name)) in list.iter().enumerate() {
            codes.text(1 + r as u32, c as u16, name)?;
        }
    }
    codes.hide();

    let mut notes = Sheet::new("填写说明")?;
    // Nothing but the header and the members goes on the roster sheet: the import reads
    // every line below the header as a member.
    let first = format!(
        "{organization}团员名册：在“团员名册”工作表中从第2行起每行填写一名团员，填好后在系统中导入。"
    );
    let lines = [
        first.as_str(),
        "1. 姓名、身份证号码、入团年月为必填项；性别不填时按身份证号码确定。",
        "2. 身份证号码填18位（旧的15位号码也可），末位X大小写均可；请保持该列为“文本”格式。",
        "3. 入团年月写作 2015-05 或 2015年5月；入团时须年满14周岁。",
        "4. 民族、学历、政治面貌请从下拉列表中选择。",
        "5. 导入时逐行检查：任何一行有误，整个文件都不导入，并列出每处错误的行号和原因。",
        "6. 已在系统中登记的团员不能重复导入；从其他团组织转来的团员请办理组织关系接转。",
    ];
    notes.column_width(0, 90.0)?;
    for (r, line) in lines.iter().enumerate() {
        notes.text(r as u32, 0, line)?;
    }
    let mut book = Book::new();
    for sheet in [sheet, codes, notes] {
        book.add(sheet);
    }
    book.save()
}

/// One member as the roster export writes it: codes as stored (GB/T 3304, 4658, 4762),
/// the resident ID and phone as the reader may see them (masked, or in full for the
/// committee), the state as its label.
/// What a roster line shows of the birth date. Beside a masked resident ID (region code
/// and last four digits) only the age: with the whole date the number could be rebuilt.
#[derive(Debug, Clone, Copy)]
pub enum Birth {
    Date(chrono::NaiveDate),
    Age(u32),
}

pub struct RosterLine<'a> {
    pub name: &'a str,
    pub organization: &'a str,
    pub sex: &'a str,
    pub ethnicity: &'a str,
    pub birth: Birth,
    pub resident_id: String,
    pub phone: String,
    pub joined_on: chrono::NaiveDate,
    pub education: Option<&'a str>,
    pub political_status: &'a str,
    pub league_post: Option<&'a str>,
    pub state: &'a str,
}

/// The roster as a workbook, one row per line in the given order.
pub fn members(rows: &[RosterLine<'_>]) -> Result<Vec<u8>, XlsxError> {
    let mut sheet = Sheet::new("团员名册")?;
    let head = Format::new().set_bold().set_background_color("#F2F2F2");
    let dates = rows.iter().all(|m| matches!(m.birth, Birth::Date(_)));
    let labels = [
        "序号",
        "姓名",
        "团组织",
        "性别",
        "民族",
        if dates {
            "出生日期"
        } else {
            "年龄（周岁）"
        },
        "身份证号码",
        "联系电话",
        "入团年月",
        "学历",
        "政治面貌",
        "团内职务",
        "状态",
    ];
    for (c, label) in labels.iter().enumerate() {
        sheet.text_with(0, c as u16, label, &head)?;
    }
    for (i, m) in rows.iter().enumerate() {
        let r = 1 + i as u32;
        sheet.number(r, 0, (i + 1) as f64)?;
        let cells = [
            m.name.to_string(),
            m.organization.to_string(),
            m.sex.to_string(),
            name_of(&ETHNICITIES, m.ethnicity).to_string(),
            match m.birth {
                Birth::Date(date) => date.to_string(),
                Birth::Age(years) => years.to_string(),
            },
            m.resident_id.clone(),
            m.phone.clone(),
            m.joined_on.format("%Y-%m").to_string(),
            m.education
                .map_or("", |e| name_of(&EDUCATION, e))
                .to_string(),
            name_of(&POLITICAL_STATUS, m.political_status).to_string(),
            m.league_post.unwrap_or("").to_string(),
            m.state.to_string(),
        ];
        for (c, value) in cells.iter().enumerate() {
            sheet.text(r, 1 + c as u16, value)?;
        }
    }
    sheet.column_width(2, 24.0)?;
    sheet.column_width(6, 22.0)?;
    sheet.freeze(1, 2)?;
    let mut book = Book::new();
    book.add(sheet);
    book.save()
}

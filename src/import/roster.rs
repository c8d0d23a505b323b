//! Reading a roster workbook (团员名册): the template's columns found by their header text
//! (`roster_layout`), one line of text per member, and the faults only the workbook can
//! have — a resident ID that Excel stored as a number has lost its last digits.
//! Just over 300 lines: `RosterLine` and the per-cell reading that fills it belong
//! together; the header search already lives apart in `roster_layout`.

use calamine::Data;

use chrono::NaiveDate;

use super::cell::{compact, month, text};
use super::roster_layout::{Layout, header, is_footer};
use super::{Fault, ImportError, workbook};
use crate::domain::member::MemberInput;
use crate::domain::resident_id::ResidentId;

/// The most members one workbook may add.
pub const MAX_ROWS: usize = 10_000;

/// The columns of the template, in order, with the other names offices give them.
pub const COLUMNS: [(&str, &[&str]); 9] = [
    ("姓名", &["姓名"]),
    ("性别", &["性别"]),
    ("民族", &["民族"]),
    (
        "身份证号码",
        &["身份证号码", "公民身份号码", "身份证号", "身份证"],
    ),
    ("联系电话", &["联系电话", "手机号码", "手机号", "电话"]),
    ("入团年月", &["入团年月", "入团时间", "入团日期"]),
    ("学历", &["学历", "文化程度"]),
    ("政治面貌", &["政治面貌"]),
    ("团内职务", &["团内职务", "职务"]),
];

/// One member as written in the workbook, every field as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterLine {
    /// The spreadsheet's own row number.
    pub row: u32,
    pub name: String,
    pub sex: String,
    pub ethnicity: String,
    pub resident_id: String,
    pub phone: String,
    pub joined_on: String,
    pub education: String,
    pub political_status: String,
    pub league_post: String,
    /// `read` refused the 入团年月 cell with its reason: the member check need not repeat it.
    pub joined_on_refused: bool,
}

impl RosterLine {
    /// The line as the member form would have it: a blank sex taken from the resident ID,
    /// and the short names offices write for political status understood.
    pub fn input(&self, today: NaiveDate) -> MemberInput {
        let sex = match self.sex.as_str() {
            "" => ResidentId::parse(&self.resident_id, today)
                .map(|id| id.sex().label().to_string())
                .unwrap_or_default(),
            sex => sex.to_string(),
        };
        let political_status = match self.political_status.as_str() {
            "共青团员" | "团员" => "03",
            "中共党员" | "党员" => "01",
            "中共预备党员" | "预备党员" => "02",
            other => other,
        };
        MemberInput {
            name: self.name.clone(),
            sex,
            ethnicity: self.ethnicity.clone(),
            resident_id: self.resident_id.clone(),
            phone: self.phone.clone(),
            joined_on: self.joined_on.clone(),
            education: self.education.clone(),
            political_status: political_status.to_string(),
            league_post: self.league_post.clone(),
        }
    }

    /// The text of the column named `column`, as written, for a fault.
    pub fn value_of(&self, column: &str) -> String {
        match column {
            "姓名" => self.name.clone(),
            "性别" => self.sex.clone(),
            "民族" => self.ethnicity.clone(),
            "入团年月" => self.joined_on.clone(),
            "学历" => self.education.clone(),
            "政治面貌" => self.political_status.clone(),
            "团内职务" => self.league_post.clone(),
            _ => String::new(),
        }
    }
}

/// The member lines of the workbook; faults found in the cells themselves come back with
/// them, and the caller adds those of its own checks.
pub fn read(bytes: &[u8]) -> Result<(Vec<RosterLine>, Vec<Fault>), ImportError> {
    read_sheet(bytes, None).map(|read| (read.lines, read.faults))
}

/// A roster workbook read: the member lines with the faults found in their cells, the
/// worksheet they came from, and every visible worksheet with a roster header.
#[derive(Debug)]
pub struct RosterRead {
    pub lines: Vec<RosterLine>,
    pub faults: Vec<Fault>,
    pub sheet: String,
    pub candidates: Vec<String>,
}

/// As `read`, from the worksheet `wanted` when it has a roster header (else the first that
/// has one).
pub fn read_sheet(bytes: &[u8], wanted: Option<&str>) -> Result<RosterRead, ImportError> {
    let super::sheet::Sheet {
        name: sheet,
        range,
        candidates,
    } = workbook::sheet(bytes, MAX_ROWS as u32, wanted, |range| {
        header(range).is_ok()
    })?;
    let Layout {
        first_data_row,
        columns,
    } = header(&range)?;
    let first_row = range.start().map_or(0, |s| s.0) + 1;
    let mut lines = Vec::new();
    let mut faults = Vec::new();
    for (i, cells) in range.rows().enumerate().skip(first_data_row) {
        let cell = |k: usize| {
            columns[k]
                .and_then(|c| cells.get(c))
                .unwrap_or(&Data::Empty)
        };
        let row = first_row + i as u32;
        let texts: Vec<String> = (0..COLUMNS.len()).map(|k| text(cell(k))).collect();
        if texts.iter().all(String::is_empty) || columns[3].is_some_and(|c| is_footer(cells, c)) {
            continue;
        }
        let resident_id = match cell(3) {
            // Excel keeps 15 significant digits: an 18-digit number has lost its tail.
            Data::Float(f) if f.abs() >= 1e15 => {
                faults.push(Fault {
                    row,
                    column: "身份证号码".into(),
                    reason: "号码被Excel存成了数字，末几位已丢失；请把该列设为“文本”后重新填写"
                        .into(),
                    value: texts[3].clone(),
                });
                String::new()
            }
            other => compact(other),
        };
        // A serial, or year.month typed in a General cell: `cell::month` reads it or says why not.
        let mut joined_on_refused = false;
        let joined_on_as_month = match cell(5) {
            number @ (Data::Int(_) | Data::Float(_)) => match month(number) {
                Ok(month) => month.map(|m| m.format("%Y-%m").to_string()),
                Err(reason) => {
                    faults.push(Fault {
                        row,
                        column: "入团年月".into(),
                        reason,
                        value: texts[5].clone(),
                    });
                    joined_on_refused = true;
                    None
                }
            },
            _ => None,
        };
        let [
            name,
            sex,
            ethnicity,
            _,
            phone,
            joined_on,
            education,
            political_status,
            league_post,
        ] = texts.try_into().unwrap_or_default();
        lines.push(RosterLine {
            row,
            name,
            sex,
            ethnicity,
            resident_id,
            phone,
            joined_on: joined_on_as_month.unwrap_or(joined_on),
            joined_on_refused,
            education,
            political_status,
            league_post,
        });
        if lines.len() > MAX_ROWS {
            return Err(ImportError::Unreadable(format!(
                "一次最多导入{MAX_ROWS}名团员，请分成几个文件"
            )));
        }
    }
    if lines.is_empty() && faults.is_empty() {
        return Err(ImportError::Unreadable(
            "名册中没有团员：请在表头下方逐行填写".into(),
        ));
    }
    Ok(RosterRead {
        lines,
        faults,
        sheet,
        candidates,
    })
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;
    use rust_xlsxwriter::Workbook;

    fn book(rows: &[&[&str]], id_as_number: Option<f64>) -> Vec<u8> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (r, cells) in rows.iter().enumerate() {
            for (c, value) in cells.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *value).unwrap();
            }
        }
        if let Some(n) = id_as_number {
            sheet.write_number(rows.len() as u32, 0, 1.0).unwrap();
            sheet.write_string(rows.len() as u32, 1, "李四").unwrap();
            sheet.write_number(rows.len() as u32, 2, n).unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn columns_are_found_by_their_titles_in_any_order() {
        let bytes = book(
            &[
                &["某某团支部团员名册"],
                &["序号", "姓名", "公民身份号码", "入团时间", "性别"],
                &["1", " 张三 ", "110105200003150012", "2015年5月", "男"],
                &[],
            ],
            None,
        );
        let (lines, faults) = read(&bytes).unwrap();
        assert!(faults.is_empty());
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].row, 3);
        assert_eq!(lines[0].name, "张三");
        assert_eq!(lines[0].resident_id, "110105200003150012");
        assert_eq!(lines[0].joined_on, "2015年5月");
        assert_eq!(lines[0].sex, "男");
    }

    #[test]
    fn months_stored_as_numbers_are_read_or_refused_with_the_reason() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (c, title) in ["姓名", "身份证号码", "入团年月"].iter().enumerate() {
            sheet.write_string(0, c as u16, *title).unwrap();
        }
        for (r, number) in [42125.0, 2015.1, 2015.05].iter().enumerate() {
            let r = r as u32 + 1;
            sheet.write_string(r, 0, "张三").unwrap();
            sheet.write_string(r, 1, "'110105200003150012").unwrap();
            sheet.write_number(r, 2, *number).unwrap();
        }
        let (lines, faults) = read(&book.save_to_buffer().unwrap()).unwrap();
        assert_eq!(lines[0].joined_on, "2015-05");
        assert_eq!(lines[0].resident_id, "110105200003150012");
        assert!(lines[1].joined_on_refused);
        assert_eq!(lines[2].joined_on, "2015-05");
        assert_eq!(faults.len(), 1);
        assert_eq!((faults[0].row, faults[0].column.as_str()), (3, "入团年月"));
        assert!(faults[0].reason.contains("歧义"), "{}", faults[0].reason);
    }

    #[test]
    fn an_id_stored_as_a_number_is_a_fault_of_its_row() {
        let bytes = book(
            &[&["序号", "姓名", "身份证号码", "入团年月"]],
            Some(110105200003150000.0),
        );
        let (_, faults) = read(&bytes).unwrap();
        assert_eq!(faults.len(), 1);
        assert_eq!(faults[0].row, 2);
        assert!(faults[0].reason.contains("存成了数字"));
    }

    #[test]
    fn a_sheet_without_the_required_columns_says_which_are_missing() {
        let bytes = book(&[&["姓名", "身份证号码"], &["张三", "1"]], None);
        match read(&bytes) {
            Err(ImportError::Unreadable(m)) => assert!(m.contains("入团年月"), "{m}"),
            other => panic!("expected a missing column, got {other:?}"),
        }
        let bytes = book(&[&["单位", "人数"], &["甲", "1"]], None);
        assert!(
            matches!(read(&bytes), Err(ImportError::Unreadable(m)) if m.contains("找不到表头"))
        );
    }
}

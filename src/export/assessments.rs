//! A year's cadre assessment table (团干部考核结果) as a workbook: one row per cadre with
//! the component scores under their weights, the score, the grade the score earns and the
//! grade set, and the reason for a lowered grade.

use rust_xlsxwriter::{Format, XlsxError};

use super::sheet::{Book, Sheet};
use crate::domain::assessment::Grade;

/// One cadre's line: unassessed when `scores` is empty.
pub struct AssessmentLine<'a> {
    pub name: &'a str,
    pub username: &'a str,
    pub post: &'a str,
    pub scores: &'a [i32],
    pub score_tenths: Option<i32>,
    pub computed_grade: Option<Grade>,
    pub grade: Option<Grade>,
    pub reason: &'a str,
}

/// The year's table under its components and weights (`weights` beside `components`).
pub fn workbook(
    year: i32,
    (components, weights): (&[String], &[i32]),
    lines: &[AssessmentLine<'_>],
) -> Result<Vec<u8>, XlsxError> {
    let mut sheet = Sheet::new("团干部考核")?;
    let head = Format::new().set_bold().set_background_color("#F2F2F2");
    let title = format!("{year}年度团干部考核结果");
    sheet.text_with(0, 0, &title, &Format::new().set_bold().set_font_size(14))?;
    let mut labels: Vec<String> = ["序号", "姓名", "账户", "职务"]
        .iter()
        .map(|l| l.to_string())
        .collect();
    labels.extend(
        components
            .iter()
            .zip(weights)
            .map(|(c, w)| format!("{c}（{w}%）")),
    );
    labels.extend(
        ["总分", "按得分等次", "考核等次", "调整原因"]
            .iter()
            .map(|l| l.to_string()),
    );
    for (c, label) in labels.iter().enumerate() {
        sheet.text_with(1, c as u16, label, &head)?;
    }
    let after = 4 + components.len() as u16;
    let one_decimal = Format::new().set_num_format("0.0");
    for (i, line) in lines.iter().enumerate() {
        let r = 2 + i as u32;
        sheet.number(r, 0, (i + 1) as f64)?;
        sheet.text(r, 1, line.name)?;
        sheet.text(r, 2, line.username)?;
        sheet.text(r, 3, line.post)?;
        for (c, score) in line.scores.iter().enumerate() {
            sheet.number_with(r, 4 + c as u16, f64::from(*score) / 10.0, &one_decimal)?;
        }
        match (line.score_tenths, line.computed_grade, line.grade) {
            (Some(score), Some(computed), Some(grade)) => {
                sheet.number_with(r, after, f64::from(score) / 10.0, &one_decimal)?;
                sheet.text(r, after + 1, computed.label())?;
                sheet.text(r, after + 2, grade.label())?;
                sheet.text(r, after + 3, line.reason)?;
            }
            _ => sheet.text(r, after + 2, "未考核")?,
        }
    }
    sheet.column_width(1, 12.0)?;
    sheet.column_width(3, 36.0)?;
    sheet.column_width(after + 3, 30.0)?;
    sheet.freeze(2, 2)?;
    sheet.print_a4_landscape(None)?;
    let mut book = Book::new();
    book.add(sheet);
    book.save()
}

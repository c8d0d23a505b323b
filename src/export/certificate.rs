//! The 志愿服务记录证明 as a Word document, written with `docx-rs`: A4 with the margins of
//! GB/T 9704-2012 (37/28/35/26 mm), title in 小标宋 (2号, 22 pt), body in 仿宋 (3号,
//! 16 pt), the activities as a table, the page number as `— N —` in the footer.

use docx_rs::{AlignmentType, LineSpacing, Paragraph, Run, Table, TableCell, TableRow, WidthType};

use super::official::{self, BODY, TITLE, body, clean};
use crate::domain::certificate::Certificate;
use crate::domain::participation::hours_text;

/// Half-points: the table in 小四 (12 pt), smaller than the body.
const TABLE: usize = 24;

fn run(text: &str, size: usize) -> Run {
    Run::new().add_text(clean(text)).size(size).fonts(body())
}

/// A body paragraph at exactly 28 pt lines (22 lines a page, GB/T 9704).
fn paragraph(text: &str, align: AlignmentType) -> Paragraph {
    official::paragraph(align).add_run(run(text, BODY))
}

fn cell(text: &str, width: usize, align: AlignmentType) -> TableCell {
    TableCell::new()
        .add_paragraph(Paragraph::new().add_run(run(text, TABLE)).align(align))
        .width(width, WidthType::Dxa)
}

/// Column widths in twentieths of a point, adding up to the text width (156 mm).
const COLUMNS: [usize; 5] = [680, 1560, 3650, 2110, 850];

fn table(certificate: &Certificate) -> Table {
    let header = ["序号", "日期", "活动名称", "主办单位", "时长（小时）"];
    let mut rows = vec![TableRow::new(
        header
            .iter()
            .zip(COLUMNS)
            .map(|(text, width)| cell(text, width, AlignmentType::Center))
            .collect(),
    )];
    for (i, line) in certificate.lines.iter().rev().enumerate() {
        rows.push(TableRow::new(vec![
            cell(&(i + 1).to_string(), COLUMNS[0], AlignmentType::Center),
            cell(&line.date, COLUMNS[1], AlignmentType::Center),
            cell(&line.title, COLUMNS[2], AlignmentType::Left),
            cell(&line.organizer, COLUMNS[3], AlignmentType::Left),
            cell(
                &hours_text(line.hours_tenths),
                COLUMNS[4],
                AlignmentType::Right,
            ),
        ]));
    }
    rows.push(TableRow::new(vec![
        cell(
            "合计",
            COLUMNS[0] + COLUMNS[1] + COLUMNS[2] + COLUMNS[3],
            AlignmentType::Center,
        )
        .grid_span(4),
        cell(&certificate.hours(), COLUMNS[4], AlignmentType::Right),
    ]));
    Table::new(rows).set_grid(COLUMNS.to_vec())
}

/// The closing note: the rule it follows and where to check it (`verify_at`, the
/// verification page's address).
pub fn note(verify_at: &str) -> String {
    format!(
        "本证明依据《志愿服务记录与证明出具办法》出具，服务时长为服务时间，不含路途时间。可凭证明编号在 {verify_at} 查验。"
    )
}

/// The certificate as a .docx file's bytes; `verify_at` is the verification page's address.
pub fn certificate(certificate: &Certificate, verify_at: &str) -> anyhow::Result<Vec<u8>> {
    let title = Paragraph::new()
        .add_run(
            Run::new()
                .add_text("志愿服务记录证明")
                .size(TITLE)
                .fonts(official::title()),
        )
        .align(AlignmentType::Center)
        .line_spacing(LineSpacing::new().before(240).after(240));
    let mut docx = official::document()
        .add_paragraph(title)
        .add_paragraph(paragraph(
            &format!("证明编号：{}", certificate.number),
            AlignmentType::Right,
        ))
        .add_paragraph(
            paragraph(&certificate.statement(), AlignmentType::Both).first_line_chars(200),
        )
        .add_table(table(certificate))
        .add_paragraph(paragraph("特此证明。", AlignmentType::Both).first_line_chars(200))
        .add_paragraph(paragraph("", AlignmentType::Left))
        .add_paragraph(paragraph(&certificate.issuer, AlignmentType::Right))
        .add_paragraph(paragraph(&certificate.issued_on, AlignmentType::Right));
    docx = docx.add_paragraph(paragraph(&note(verify_at), AlignmentType::Left));
    official::pack(docx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::certificate::Line;
    use std::io::Read;

    #[test]
    fn the_docx_holds_the_statement_the_table_the_margins_and_a_page_number() {
        let certificate = Certificate {
            number: "TJ2026-0000000000".into(),
            name: "张<三>".into(),
            identity: "身份证号码 652301********1234".into(),
            lines: vec![Line {
                date: "2018-06-09".into(),
                title: "青年环保行，助力环塔赛\u{1}".into(),
                organizer: "开发区团工委".into(),
                role: "志愿者".into(),
                hours_tenths: 95,
            }],
            hours_tenths: 95,
            star_level: None,
            issuer: "开发区团工委".into(),
            issued_on: "2026年12月1日".into(),
        };
        let bytes = super::certificate(&certificate, "/verify").unwrap();
        if let Ok(path) = std::env::var("TJ_DUMP_CERTIFICATE") {
            std::fs::write(path, &bytes).unwrap();
        }
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        archive
            .by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        assert!(xml.contains("张&lt;三&gt;") && xml.contains("9.5"));
        assert!(!xml.contains('\u{1}'), "no control characters");
        assert!(xml.contains("w:pgMar") && xml.contains("w:tbl") && xml.contains("仿宋"));
        assert!(xml.contains("w:top=\"2098\"") && xml.contains("w:left=\"1587\""));
    }
}

//! The work summary as a Word document in the national layout of official documents
//! (GB/T 9704-2012, `export::official`): the title in 小标宋, each paragraph indented two
//! characters, section headings (一、) in 黑体, item headings (（一）) in 楷体 followed by
//! their text in 仿宋, 22 lines of 28 characters a page, `— N —` page numbers.

use docx_rs::{AlignmentType, LineSpacing, Paragraph, Run, SpecialIndentType};

use super::WorkSummary;
use crate::export::official::{self, TITLE};

/// Two characters of first-line indent: in hundredths of a character for Word, and as
/// two 16 pt characters in twentieths of a point (640) for readers that ignore the former.
const INDENT_CHARS: i32 = 200;
const INDENT: i32 = 640;

fn body_paragraph() -> Paragraph {
    official::paragraph(AlignmentType::Both)
        .indent(None, Some(SpecialIndentType::FirstLine(INDENT)), None, None)
        .first_line_chars(INDENT_CHARS)
}

/// The report as a .docx file's bytes.
pub fn write(report: &WorkSummary) -> anyhow::Result<Vec<u8>> {
    let title = Paragraph::new()
        .add_run(
            Run::new()
                .add_text(official::clean(&report.title))
                .size(TITLE)
                .fonts(official::title()),
        )
        .align(AlignmentType::Center)
        .line_spacing(LineSpacing::new().before(0).after(560));
    let mut docx = official::document().add_paragraph(title);
    let plain = |text: &str| body_paragraph().add_run(official::run(text, official::body()));
    if !report.opening.trim().is_empty() {
        docx = docx.add_paragraph(plain(report.opening.trim()));
    }
    for section in &report.sections {
        docx = docx.add_paragraph(body_paragraph().add_run(official::run(
            &format!("{}、{}", section.number, section.heading),
            official::level_one(),
        )));
        for item in &section.items {
            docx = docx.add_paragraph(
                body_paragraph()
                    .add_run(official::run(
                        &format!("{}{}。", item.number, item.heading),
                        official::level_two(),
                    ))
                    .add_run(official::run(&item.text, official::body())),
            );
        }
    }
    if !report.closing.trim().is_empty() {
        docx = docx.add_paragraph(plain(report.closing.trim()));
    }
    official::pack(docx)
}

//! The official reply (批复) as a Word document in the national layout of official
//! documents (GB/T 9704-2012, `official`): the issuing organ's mark in red 小标宋 centred,
//! the document number, the title in 2号 小标宋, the addressee, the body in 3号 仿宋 with
//! two characters of first-line indent, the issuer and date on the right, `— N —` page
//! numbers. Written with `docx-rs` like the other documents.

use docx_rs::{AlignmentType, LineSpacing, Paragraph, Run, SpecialIndentType};

use super::official::{self, TITLE};
use crate::domain::application::Reply;

/// The red of the issuing organ's mark.
const RED: &str = "C8102E";

fn line(text: &str, align: AlignmentType) -> Paragraph {
    official::paragraph(align).add_run(official::run(text, official::body()))
}

fn heading(text: &str, color: Option<&str>) -> Paragraph {
    let mut run = Run::new()
        .add_text(official::clean(text))
        .size(TITLE)
        .fonts(official::title());
    if let Some(color) = color {
        run = run.color(color);
    }
    Paragraph::new()
        .add_run(run)
        .align(AlignmentType::Center)
        .line_spacing(LineSpacing::new().before(0).after(280))
}

/// The reply as a .docx file's bytes.
pub fn reply(reply: &Reply) -> anyhow::Result<Vec<u8>> {
    let mut docx = official::document()
        .add_paragraph(heading(reply.issuer, Some(RED)))
        .add_paragraph(line(&reply.number, AlignmentType::Center))
        .add_paragraph(heading(&reply.title, None))
        .add_paragraph(line(&reply.addressee, AlignmentType::Left));
    for text in &reply.paragraphs {
        docx = docx.add_paragraph(
            line(text, AlignmentType::Both)
                .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
                .first_line_chars(200),
        );
    }
    docx = docx
        .add_paragraph(line("", AlignmentType::Left))
        .add_paragraph(line(reply.issuer, AlignmentType::Right))
        .add_paragraph(line(&reply.date, AlignmentType::Right));
    official::pack(docx)
}

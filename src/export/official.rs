//! The national layout of official documents (GB/T 9704-2012) for Word files written with
//! `docx-rs`: A4 with margins 37 mm top, 28 left, 35 bottom, 26 right (a type area of
//! 156 × 225 mm), body in 3号 (16 pt) 仿宋 at exactly 28 pt a line (22 lines a page),
//! title in 2号 (22 pt) 小标宋, first-level headings in 黑体, second-level in 楷体, and the
//! page number as `— N —` in 4号 (14 pt) 宋体 in the footer. Fonts are named as offices
//! have them, with a Latin fallback Word and LibreOffice substitute sensibly.

use docx_rs::{
    AlignmentType, Docx, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing, LineSpacingType,
    PageMargin, Paragraph, Run, RunFonts,
};

/// Twentieths of a point in `millimetres` (Word's page units).
pub fn mm(millimetres: f64) -> i32 {
    (millimetres * 1440.0 / 25.4).round() as i32
}

/// A4 in twentieths of a point.
pub const A4: (u32, u32) = (11906, 16838);

/// Half-points: 3号 is 16 pt, 2号 22 pt, 4号 14 pt.
pub const BODY: usize = 32;
pub const TITLE: usize = 44;
pub const PAGE_NUMBER: usize = 28;

/// Exactly 28 pt a line (560 twentieths), 22 lines in the 225 mm type area.
pub const LINE: i32 = 560;

pub fn fonts(east_asia: &str, latin: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(latin)
        .hi_ansi(latin)
}

/// 仿宋 for the body.
pub fn body() -> RunFonts {
    fonts("仿宋_GB2312", "FangSong")
}

/// 小标宋 for the title.
pub fn title() -> RunFonts {
    fonts("方正小标宋简体", "SimSun")
}

/// 黑体 for first-level headings (一、).
pub fn level_one() -> RunFonts {
    fonts("黑体", "SimHei")
}

/// 楷体 for second-level headings (（一）).
pub fn level_two() -> RunFonts {
    fonts("楷体_GB2312", "KaiTi")
}

/// Text for XML 1.0: without the control characters it forbids (text stored before input
/// was cleaned may hold them, and Word refuses such a file). docx-rs escapes the rest.
pub fn clean(text: &str) -> String {
    crate::domain::text::strip_controls(text).into_owned()
}

/// A run of body-size text in `fonts`.
pub fn run(text: &str, fonts: RunFonts) -> Run {
    Run::new().add_text(clean(text)).size(BODY).fonts(fonts)
}

/// A paragraph at the body's exact line pitch.
pub fn paragraph(align: AlignmentType) -> Paragraph {
    Paragraph::new().align(align).line_spacing(
        LineSpacing::new()
            .line(LINE)
            .line_rule(LineSpacingType::Exact),
    )
}

/// `— N —`, N Word's PAGE field.
pub fn page_number() -> Footer {
    let field = Run::new()
        .size(PAGE_NUMBER)
        .fonts(fonts("宋体", "SimSun"))
        .add_text("— ")
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false)
        .add_text(" —");
    Footer::new().add_paragraph(Paragraph::new().add_run(field).align(AlignmentType::Center))
}

/// An empty document in the layout: A4, the margins, the body font and size, the page
/// number in the footer.
pub fn document() -> Docx {
    Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(mm(37.0))
                .left(mm(28.0))
                .bottom(mm(35.0))
                .right(mm(26.0))
                .header(mm(15.0))
                .footer(mm(28.0)),
        )
        .default_fonts(body())
        .default_size(BODY)
        .footer(page_number())
}

/// The document's bytes.
pub fn pack(docx: Docx) -> anyhow::Result<Vec<u8>> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut bytes)
        .map_err(|e| anyhow::anyhow!("writing a .docx: {e}"))?;
    Ok(bytes.into_inner())
}

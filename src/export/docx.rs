//! A minimal Word document (.docx: WordprocessingML in a zip) for the official reply.

use std::io::Write;

use zip::write::SimpleFileOptions;

use crate::domain::application::Reply;

/// Text for XML: escaped, and without the control characters XML 1.0 forbids (text stored
/// before input was cleaned may hold them, and Word refuses such a file).
fn escape(s: &str) -> String {
    crate::domain::text::strip_controls(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One paragraph: alignment, size in half-points, bold, colour, first-line indent.
fn paragraph(
    text: &str,
    align: &str,
    size: u32,
    bold: bool,
    color: Option<&str>,
    indent: bool,
) -> String {
    let mut run = format!(
        "<w:rFonts w:ascii=\"FangSong\" w:eastAsia=\"仿宋\" w:hAnsi=\"FangSong\"/><w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>"
    );
    if bold {
        run.push_str("<w:b/>");
    }
    if let Some(color) = color {
        run.push_str(&format!("<w:color w:val=\"{color}\"/>"));
    }
    let ind = if indent {
        "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>"
    } else {
        ""
    };
    format!(
        "<w:p><w:pPr><w:jc w:val=\"{align}\"/><w:spacing w:line=\"560\" w:lineRule=\"exact\"/>{ind}</w:pPr><w:r><w:rPr>{run}</w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        escape(text)
    )
}

pub fn reply(reply: &Reply) -> zip::result::ZipResult<Vec<u8>> {
    let mut body = String::new();
    body.push_str(&paragraph(
        reply.issuer,
        "center",
        44,
        true,
        Some("C8102E"),
        false,
    ));
    body.push_str(&paragraph(&reply.number, "center", 32, false, None, false));
    body.push_str(&paragraph(&reply.title, "center", 40, true, None, false));
    body.push_str(&paragraph(&reply.addressee, "left", 32, false, None, false));
    for p in &reply.paragraphs {
        body.push_str(&paragraph(p, "both", 32, false, None, true));
    }
    body.push_str(&paragraph("", "left", 32, false, None, false));
    body.push_str(&paragraph(reply.issuer, "right", 32, false, None, false));
    body.push_str(&paragraph(&reply.date, "right", 32, false, None, false));
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}\
<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/></w:sectPr>\
</w:body></w:document>"
    );
    let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
</Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
</Relationships>";
    let mut buffer = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buffer);
    let options = SimpleFileOptions::default();
    for (name, content) in [
        ("[Content_Types].xml", content_types),
        ("_rels/.rels", rels),
        ("word/document.xml", document.as_str()),
    ] {
        zip.start_file(name, options)?;
        zip.write_all(content.as_bytes())?;
    }
    zip.finish()?;
    Ok(buffer.into_inner())
}

//! Names for files served back: the name a person gave, with the extension of the type the
//! content was recognised as, so that `x.html` that starts with `%PDF` is served as
//! `x.pdf` (security review F14) and a browser or office program opens it as what it is.

/// The usual extension of a content type this program accepts, with its dot.
pub fn extension(content_type: &str) -> Option<&'static str> {
    Some(match content_type {
        "application/pdf" => ".pdf",
        "image/png" => ".png",
        "image/jpeg" => ".jpg",
        "application/msword" => ".doc",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => ".docx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => ".xlsx",
        _ => return None,
    })
}

/// `name` with the extension of `content_type`: kept when it already has it (`.jpeg` for
/// a JPEG too, in any case), replacing another one, added when there is none.
pub fn download_name(name: &str, content_type: &str) -> String {
    let Some(wanted) = extension(content_type) else {
        return name.to_string();
    };
    let lower = name.to_lowercase();
    if lower.ends_with(wanted) || (wanted == ".jpg" && lower.ends_with(".jpeg")) {
        return name.to_string();
    }
    let stem = match name.rfind('.') {
        Some(dot) if dot > 0 && name.len() - dot <= 6 => &name[..dot],
        _ => name,
    };
    format!("{stem}{wanted}")
}

#[cfg(test)]
mod tests {
    use super::download_name;

    #[test]
    fn a_download_is_named_after_what_its_content_is() {
        let pdf = "application/pdf";
        assert_eq!(download_name("申请书.pdf", pdf), "申请书.pdf");
        assert_eq!(download_name("申请书.PDF", pdf), "申请书.PDF");
        assert_eq!(download_name("x.html", pdf), "x.pdf");
        assert_eq!(download_name("附件", pdf), "附件.pdf");
        assert_eq!(download_name("合影.jpeg", "image/jpeg"), "合影.jpeg");
        assert_eq!(download_name("合影.png", "image/jpeg"), "合影.jpg");
        assert_eq!(download_name("v1.2 方案", pdf), "v1.2 方案.pdf");
        assert_eq!(download_name("x.bin", "text/plain"), "x.bin");
    }
}

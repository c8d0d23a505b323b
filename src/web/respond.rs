//! One way to answer a form refused with its faults (422), and a file download: the content type and an RFC 6266
//! `Content-Disposition` whose `filename*` carries the Chinese name in UTF-8 (RFC 5987,
//! percent-encoded by the `percent-encoding` crate) beside an ASCII `filename` for old
//! clients.

use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// RFC 5987 `attr-char`: the bytes `filename*` may carry unescaped.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// A form page shown again with its faults: 422, so that a test or a script sees the
/// refusal, and the browser still shows the page.
pub fn invalid(page: impl IntoResponse) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

/// `attachment; filename="FALLBACK"; filename*=UTF-8''NAME`. `fallback` must be plain
/// ASCII without quotes (a constant such as `survey.xlsx`).
pub fn content_disposition(file_name: &str, fallback: &str) -> String {
    format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        utf8_percent_encode(file_name, ATTR_CHAR)
    )
}

/// A file to save: `file_name` as the browser should name it, `fallback` as above.
pub fn download(file_name: &str, fallback: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (CONTENT_TYPE, content_type.to_string()),
            (
                CONTENT_DISPOSITION,
                content_disposition(file_name, fallback),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_file_names_are_percent_encoded() {
        assert_eq!(
            content_disposition("摸排.xlsx", "survey.xlsx"),
            "attachment; filename=\"survey.xlsx\"; filename*=UTF-8''%E6%91%B8%E6%8E%92.xlsx"
        );
    }

    #[test]
    fn a_chinese_name_travels_in_utf_8_beside_the_ascii_fallback() {
        assert_eq!(
            content_disposition("摸排 2018.xlsx", "survey.xlsx"),
            "attachment; filename=\"survey.xlsx\"; filename*=UTF-8''%E6%91%B8%E6%8E%92%202018.xlsx"
        );
        assert_eq!(
            content_disposition("a\"b;c\r\n.docx", "reply.docx"),
            "attachment; filename=\"reply.docx\"; filename*=UTF-8''a%22b%3Bc%0D%0A.docx"
        );
    }
}

//! Text people send carries no stray control characters: a NUL pasted into any field made
//! PostgreSQL refuse the statement (a 500), and a vertical tab copied from Word made a
//! reply .docx that Word cannot open. This layer removes them (`domain::text::
//! strip_controls`) from the query string and from url-encoded form bodies before any
//! handler reads them, so every form and filter gets clean text. It runs inside the
//! route's role and CSRF layers, so nobody's body is read before they are allowed to send
//! it; uploads (multipart) are files, not text, and pass untouched.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderValue, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::domain::text::{is_stray_control, strip_controls};
use crate::error::AppError;

/// Forms are small (as the CSRF check reads them).
const FORM_LIMIT: usize = 2 * 1024 * 1024;

/// Whether url-encoded text can decode to a stray control: a raw control byte, or an escape
/// of one (`%00`–`%1F`, `%7F`, the C1 range `%C2%80`–`%C2%9F`, U+FFFE/F as `%EF%BF%BE/F`).
/// Nearly every request has none, and is then passed on without decoding.
fn may_hold_controls(encoded: &[u8]) -> bool {
    let upper = encoded.to_ascii_uppercase();
    upper.iter().any(|b| b.is_ascii_control())
        || upper.windows(2).any(|w| matches!(w, b"%0" | b"%1"))
        || upper.windows(3).any(|w| w == b"%7F")
        || upper.windows(5).any(|w| matches!(w, b"%C2%8" | b"%C2%9"))
        || upper.windows(8).any(|w| matches!(w, b"%EF%BF%B"))
}

/// The pairs of a url-encoded text, without stray controls; `None` when it had none.
fn cleaned(encoded: &[u8]) -> Option<String> {
    if !may_hold_controls(encoded) {
        return None;
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(encoded).ok()?;
    if !pairs
        .iter()
        .any(|(k, v)| k.chars().chain(v.chars()).any(is_stray_control))
    {
        return None;
    }
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| {
            (
                strip_controls(k).into_owned(),
                strip_controls(v).into_owned(),
            )
        })
        .collect();
    serde_urlencoded::to_string(pairs).ok()
}

fn clean_query(uri: &Uri) -> Option<Uri> {
    let query = cleaned(uri.query()?.as_bytes())?;
    let path_and_query = if query.is_empty() {
        uri.path().to_string()
    } else {
        format!("{}?{query}", uri.path())
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = path_and_query.parse().ok();
    Uri::from_parts(parts).ok()
}

/// The layer: see the module's comment.
pub async fn strip_stray_controls(request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    if let Some(uri) = clean_query(&parts.uri) {
        parts.uri = uri;
    }
    let urlencoded = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if !urlencoded {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let Ok(bytes) = to_bytes(body, FORM_LIMIT).await else {
        return AppError::BadRequest("提交的内容过大。".into()).into_response();
    };
    let body = match cleaned(&bytes) {
        Some(text) => {
            parts
                .headers
                .insert(CONTENT_LENGTH, HeaderValue::from(text.len()));
            Body::from(text)
        }
        None => Body::from(bytes),
    };
    next.run(Request::from_parts(parts, body)).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn controls_leave_pairs_and_the_rest_stays() {
        assert_eq!(
            super::cleaned(b"name=a%00b&note=%E7%AC%AC%0B%E4%B8%80%0D%0A").as_deref(),
            Some("name=ab&note=%E7%AC%AC%E4%B8%80%0D%0A")
        );
        assert_eq!(super::cleaned(b"name=%E7%8E%8B&q=a+b"), None);
        assert_eq!(super::cleaned(b"a=%c2%85x").as_deref(), Some("a=x"));
        assert_eq!(super::cleaned(b"a=%ef%bf%bfx").as_deref(), Some("a=x"));
        assert!(!super::may_hold_controls(b"name=%E7%8E%8B%E5%B0%8F&n=10"));
        let uri: axum::http::Uri = "/units?q=%00&kind=enterprise".parse().unwrap();
        assert_eq!(
            super::clean_query(&uri).unwrap().to_string(),
            "/units?q=&kind=enterprise"
        );
    }
}

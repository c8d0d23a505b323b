//! CSRF: every POST, PUT, PATCH and DELETE must carry the session's token (form field
//! `csrf_token` or header `X-CSRF-Token`) and must not come from a foreign origin.
//! Before sign-in the token lives in its own cookie (double submit). The origin is checked
//! globally (`protect`); the token after the route's role layer (`check`).

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, HOST, ORIGIN, SET_COOKIE};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;

use crate::auth::extract::CurrentUser;
use crate::auth::session::{CSRF_COOKIE, cookie, random_token, read_cookie};
use crate::config::Settings;
use crate::error::AppError;
use crate::state::AppState;

pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "x-csrf-token";
/// Forms are small.
const FORM_LIMIT: usize = 2 * 1024 * 1024;

/// The token pages put into their forms.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

/// The global layer: settles the token of this client (the session's, or before sign-in
/// a cookie's) for the pages and for `check`, and refuses a state change from a foreign
/// origin. It never reads a body: the token itself is checked by `check`, which runs after
/// the route's role layer, so that a request from someone who may not make it is refused
/// before its body is read.
pub async fn protect(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (expected, new_cookie) = match request.extensions().get::<CurrentUser>() {
        Some(user) => (user.csrf_token.clone(), None),
        None => match read_cookie(request.headers(), &state.settings, CSRF_COOKIE) {
            Some(token) if token.len() == 43 => (token, None),
            _ => {
                let token = random_token();
                (token.clone(), Some(token))
            }
        },
    };
    if !is_safe(request.method()) && !same_origin(request.headers(), &state.settings) {
        tracing::warn!("refused a cross-origin state change");
        return AppError::Csrf.into_response();
    }
    let mut request = request;
    request.extensions_mut().insert(CsrfToken(expected));
    let mut response = next.run(request).await;
    if let Some(token) = new_cookie {
        response.headers_mut().append(
            SET_COOKIE,
            cookie(&state.settings, CSRF_COOKIE, &token, None),
        );
    }
    response
}

/// The route layer: a POST, PUT, PATCH or DELETE must present the token settled by
/// `protect`, in the `X-CSRF-Token` header (htmx), a form's `csrf_token` field, or the
/// first field of a multipart form (read as the body streams; the file behind it is not
/// buffered here).
pub async fn check(request: Request, next: Next) -> Response {
    if is_safe(request.method()) {
        return next.run(request).await;
    }
    let Some(CsrfToken(expected)) = request.extensions().get::<CsrfToken>().cloned() else {
        return AppError::Csrf.into_response();
    };
    let (request, presented) = match presented_token(request).await {
        Ok(pair) => pair,
        Err(response) => return response,
    };
    if !presented.is_some_and(|p| constant_time_eq(p.as_bytes(), expected.as_bytes())) {
        tracing::warn!("refused a state change without a valid CSRF token");
        return AppError::Csrf.into_response();
    }
    next.run(request).await
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A browser says where a request comes from; a foreign or opaque origin is refused.
/// Requests without the headers (non-browser clients) still need the token.
fn same_origin(headers: &HeaderMap, settings: &Settings) -> bool {
    if headers
        .get("sec-fetch-site")
        .is_some_and(|site| site.as_bytes() == b"cross-site")
    {
        return false;
    }
    let Some(origin) = headers.get(ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    if let Some(expected) = &settings.public_origin {
        return origin == expected;
    }
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let origin_host = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    !host.is_empty() && origin_host == Some(host)
}

/// Finds the token in the header or the form body, handing back a request whose body
/// can still be read by the handler.
async fn presented_token(request: Request) -> Result<(Request, Option<String>), Response> {
    if let Some(token) = request.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        let token = token.to_string();
        return Ok((request, Some(token)));
    }
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if content_type.starts_with("multipart/form-data") {
        return multipart_token(request, &content_type).await;
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Ok((request, None));
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, FORM_LIMIT)
        .await
        .map_err(|_| AppError::BadRequest("提交的内容过大。".into()).into_response())?;
    let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v));
    Ok((Request::from_parts(parts, Body::from(bytes)), token))
}

/// How much of a multipart body is read to find the token, which forms put first.
const MULTIPART_PREFIX: usize = 64 * 1024;

/// The `csrf_token` field of a multipart form, which must come first: the body is read only
/// until that field is complete (at most `MULTIPART_PREFIX` bytes), and handed on as the
/// bytes read followed by the rest of the stream.
async fn multipart_token(
    request: Request,
    content_type: &str,
) -> Result<(Request, Option<String>), Response> {
    let Ok(boundary) = multer::parse_boundary(content_type) else {
        return Ok((request, None));
    };
    let (parts, body) = request.into_parts();
    let mut stream = body.into_data_stream();
    let mut prefix: Vec<u8> = Vec::new();
    let mut token = None;
    while prefix.len() < MULTIPART_PREFIX {
        match stream.next().await {
            Some(Ok(chunk)) => prefix.extend_from_slice(&chunk),
            Some(Err(_)) => return Err(AppError::TooLarge.into_response()),
            None => {
                token = first_field_token(&prefix, &boundary, true).await.flatten();
                break;
            }
        }
        if let Some(found) = first_field_token(&prefix, &boundary, false).await {
            token = found;
            break;
        }
    }
    let rest =
        futures_util::stream::once(
            async move { Ok::<_, axum::Error>(axum::body::Bytes::from(prefix)) },
        )
        .chain(stream);
    Ok((Request::from_parts(parts, Body::from_stream(rest)), token))
}

/// Parses `prefix` as the start of a multipart body: `Some(token)` once the first field is
/// complete (`Some(None)` when it is not the token), `None` while more bytes are needed.
/// With `whole`, the prefix is the whole body and an incomplete field means no token.
async fn first_field_token(prefix: &[u8], boundary: &str, whole: bool) -> Option<Option<String>> {
    let bytes = axum::body::Bytes::copy_from_slice(prefix);
    let stream =
        futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(bytes) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    match multipart.next_field().await {
        Ok(Some(field)) if field.name() == Some(FIELD) => match field.text().await {
            Ok(text) => Some(Some(text)),
            Err(_) if whole => Some(None),
            Err(_) => None,
        },
        Ok(Some(_)) | Ok(None) => Some(None),
        Err(_) if whole => Some(None),
        Err(_) => None,
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn origins_are_compared_with_the_host() {
        let local = Settings::local();
        assert!(same_origin(&headers(&[("host", "127.0.0.1:8080")]), &local));
        assert!(same_origin(
            &headers(&[
                ("host", "127.0.0.1:8080"),
                ("origin", "http://127.0.0.1:8080")
            ]),
            &local
        ));
        assert!(!same_origin(
            &headers(&[
                ("host", "127.0.0.1:8080"),
                ("origin", "http://evil.example")
            ]),
            &local
        ));
        assert!(!same_origin(
            &headers(&[("host", "127.0.0.1:8080"), ("origin", "null")]),
            &local
        ));
        assert!(!same_origin(
            &headers(&[("host", "127.0.0.1:8080"), ("sec-fetch-site", "cross-site")]),
            &local
        ));
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}

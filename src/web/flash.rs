//! One-time messages shown on the next page ("账户已创建"), carried in a short cookie.

use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, SET_COOKIE};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::auth::session::{FLASH_COOKIE, cookie, read_cookie};
use crate::config::Settings;
use crate::state::AppState;

/// Whether the message reports something done or something refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ok,
    Error,
}

impl Kind {
    /// The code in the cookie, also the CSS class (`flash-ok`, `flash-error`).
    pub fn code(self) -> &'static str {
        match self {
            Kind::Ok => "ok",
            Kind::Error => "error",
        }
    }

    fn parse(code: &str) -> Option<Kind> {
        match code {
            "ok" => Some(Kind::Ok),
            "error" => Some(Kind::Error),
            _ => None,
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub kind: Kind,
    pub message: String,
}

/// Redirects to `to` with the message that something was done.
pub fn ok(settings: &Settings, to: &str, message: &str) -> Response {
    redirect(settings, to, Kind::Ok, message)
}

/// Redirects to `to` with the message that something was refused, and why.
pub fn error(settings: &Settings, to: &str, message: &str) -> Response {
    redirect(settings, to, Kind::Error, message)
}

/// Redirects to `to` with a message for the next page.
pub fn redirect(settings: &Settings, to: &str, kind: Kind, message: &str) -> Response {
    let value = format!("{}:{}", kind.code(), percent_encode(message));
    let mut response = Redirect::to(to).into_response();
    response
        .headers_mut()
        .append(SET_COOKIE, cookie(settings, FLASH_COOKIE, &value, Some(60)));
    response
}

/// Redirects to `to` after a use case: with `ok` when it was done, with its refusal when it
/// was refused; a database failure becomes the error page.
pub fn outcome(
    settings: &Settings,
    to: &str,
    done: crate::services::Outcome<()>,
    ok: &str,
) -> crate::error::Result<Response> {
    match done {
        Ok(()) => Ok(redirect(settings, to, Kind::Ok, ok)),
        Err(crate::services::Error::Refused(message)) => {
            Ok(redirect(settings, to, Kind::Error, &message))
        }
        Err(crate::services::Error::Database(e)) => Err(e.into()),
    }
}

/// Reads the flash cookie into the request, and clears it once a page has shown it.
pub async fn take_flash(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let flash =
        read_cookie(request.headers(), &state.settings, FLASH_COOKIE).and_then(|v| parse(&v));
    let had_flash = flash.is_some();
    if let Some(flash) = flash {
        request.extensions_mut().insert(flash);
    }
    let mut response = next.run(request).await;
    let shown = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|ct| ct.as_bytes().starts_with(b"text/html"));
    if had_flash && shown {
        response.headers_mut().append(
            SET_COOKIE,
            cookie(&state.settings, FLASH_COOKIE, "", Some(0)),
        );
    }
    response
}

fn parse(value: &str) -> Option<Flash> {
    let (kind, message) = value.split_once(':')?;
    let kind = Kind::parse(kind)?;
    let message = percent_decode(message)?;
    Some(Flash { kind, message })
}

/// RFC 3986 unreserved characters stay; everything else in the message is escaped, so that
/// the cookie value holds no `;`, space or non-ASCII byte.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn percent_encode(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

fn percent_decode(s: &str) -> Option<String> {
    percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|m| m.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_messages_survive_the_cookie() {
        let encoded = format!("ok:{}", percent_encode("账户 zhang 已创建；"));
        assert_eq!(
            parse(&encoded),
            Some(Flash {
                kind: Kind::Ok,
                message: "账户 zhang 已创建；".into()
            })
        );
        assert_eq!(parse("evil:x"), None);
        assert_eq!(parse("ok:%E8%B4"), None);
    }
}

//! The cookies this server sets and reads: their names, with the `__Host-` prefix when
//! served securely, and their attributes, in one place.

use axum::http::header::COOKIE;
use axum::http::{HeaderMap, HeaderValue};

use crate::config::Settings;

pub const SESSION_COOKIE: &str = "tj_session";
pub const CSRF_COOKIE: &str = "tj_csrf";
pub const FLASH_COOKIE: &str = "tj_flash";

/// The name a cookie goes by: `__Host-` prefixed when cookies are secure.
pub fn cookie_name(settings: &Settings, name: &str) -> String {
    if settings.secure_cookies {
        format!("__Host-{name}")
    } else {
        name.to_string()
    }
}

/// Every cookie this server sets is built here: Path=/, HttpOnly, SameSite=Lax, and
/// Secure with the `__Host-` prefix unless served as plain HTTP on loopback.
/// `max_age` 0 deletes the cookie.
pub fn cookie(settings: &Settings, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let mut text = format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax",
        cookie_name(settings, name)
    );
    if settings.secure_cookies {
        text.push_str("; Secure");
    }
    if let Some(seconds) = max_age {
        text.push_str(&format!("; Max-Age={seconds}"));
    }
    HeaderValue::from_str(&text).expect("cookie values are ASCII tokens")
}

pub fn read_cookie(headers: &HeaderMap, settings: &Settings, name: &str) -> Option<String> {
    let wanted = cookie_name(settings, name);
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == wanted)
        .map(|(_, v)| v.to_string())
}

//! Session tokens (their cookies are built in `auth::cookie`), and the layer that turns a cookie
//! into a `CurrentUser` on each request, enforcing the idle and absolute limits.

use axum::extract::{Request, State};
use axum::http::header::SET_COOKIE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use crate::auth::extract::CurrentUser;
use crate::db;
use crate::domain::role::Scope;
use crate::error::AppError;
use crate::state::AppState;

pub const IDLE_LIMIT: Duration = Duration::minutes(30);
/// How long a session that gave the password may wait for its second-factor code: a
/// stolen password alone then holds a session only this long (ASVS 6.3).
pub const CODE_LIMIT: Duration = Duration::minutes(5);
pub const ABSOLUTE_LIMIT: Duration = Duration::hours(12);
/// last_seen_at is written at most this often, so a page view is not always a write.
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// Sign-in attempts are kept this long: well past the rate window, for a look at an attack.
pub const ATTEMPTS_KEPT: Duration = Duration::days(1);

/// How many expired sessions and old sign-in attempts a purge removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub attempts: u64,
}

/// Removes the sessions past the idle or absolute limit at `now` (a session is otherwise
/// deleted only when presented again) and sign-in attempts older than `ATTEMPTS_KEPT`,
/// counted with the certificate verification page's lookups, kept as long for its own rate
/// limit. The server runs it hourly.
pub async fn purge_expired(
    db: &sqlx::PgPool,
    now: chrono::DateTime<chrono::Utc>,
) -> sqlx::Result<Purged> {
    Ok(Purged {
        sessions: db::session::delete_expired(db, now - IDLE_LIMIT, now - ABSOLUTE_LIMIT).await?,
        attempts: db::login_attempt::delete_before(db, now - ATTEMPTS_KEPT).await?
            + db::volunteer_certificate::delete_lookups_before(db, now - ATTEMPTS_KEPT).await?,
    })
}

pub use crate::auth::cookie::{
    CSRF_COOKIE, FLASH_COOKIE, SESSION_COOKIE, cookie, cookie_name, read_cookie,
};

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The pages a user whose password an administrator set may still use: the password
/// form itself, signing out, and signing in again (as someone else).
pub const REACHABLE_BEFORE_CHANGE: [&str; 3] = ["/account/password", "/logout", "/login"];
/// All a session opened by the password of an account with a second factor may reach
/// until the code is given.
pub const REACHABLE_BEFORE_CODE: [&str; 2] = ["/login/code", "/logout"];
/// All an account of a role that must use a second factor may reach until it has one.
pub const REACHABLE_BEFORE_ENROLMENT: [&str; 2] = ["/account/second-factor", "/logout"];

/// A session that is not fully signed in yet, and the one place it must go first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    Code,
    Enrolment,
    Password,
}

impl Gate {
    fn of(pending: bool, must_enrol: bool, must_change_password: bool) -> Option<Gate> {
        if pending {
            Some(Gate::Code)
        } else if must_enrol {
            Some(Gate::Enrolment)
        } else if must_change_password {
            Some(Gate::Password)
        } else {
            None
        }
    }

    fn lets_through(self, path: &str) -> bool {
        match self {
            Gate::Code => REACHABLE_BEFORE_CODE.contains(&path),
            Gate::Enrolment => REACHABLE_BEFORE_ENROLMENT.contains(&path),
            Gate::Password => REACHABLE_BEFORE_CHANGE.contains(&path),
        }
    }

    /// Where any other request goes: the gate's page for pages; for the API 401 while the
    /// code is missing (not signed in yet) and 403 otherwise (a script cannot enrol or
    /// change the password for its user).
    fn refuse(self, path: &str) -> Response {
        let (status, error, page) = match self {
            Gate::Code => (
                axum::http::StatusCode::UNAUTHORIZED,
                "登录尚未完成，请先在网页上输入两步验证码",
                "/login/code",
            ),
            Gate::Enrolment => (
                axum::http::StatusCode::FORBIDDEN,
                "该账户须启用两步验证，请先登录网页完成设置",
                "/account/second-factor",
            ),
            Gate::Password => (
                axum::http::StatusCode::FORBIDDEN,
                "管理员重置了密码，请先登录网页修改密码",
                "/account/password",
            ),
        };
        if path.starts_with("/api/") {
            return (status, axum::Json(serde_json::json!({ "error": error }))).into_response();
        }
        axum::response::Redirect::to(page).into_response()
    }
}

/// Marks the response with the user, for the request log.
#[derive(Debug, Clone, Copy)]
pub struct LoggedUser(pub i64);

/// Loads the session named by the cookie. An expired, ended or unknown session is removed
/// and its cookie cleared; the request then goes on as anonymous.
pub async fn load_session(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, AppError> {
    // Static files and health checks need no session: no database query for them.
    let path = request.uri().path().to_string();
    if path.starts_with("/static/") || path == "/healthz" || path == "/readyz" {
        return Ok(next.run(request).await);
    }
    let token = read_cookie(request.headers(), &state.settings, SESSION_COOKIE);
    let mut clear_cookie = false;
    let mut user_id = None;
    if let Some(token) = token {
        let hash = token_hash(&token);
        match db::session::load(&state.db, &hash).await? {
            Some(row) => {
                let now = state.clock.now();
                let expired = row.disabled
                    || now - row.last_seen_at > IDLE_LIMIT
                    || now - row.created_at > ABSOLUTE_LIMIT
                    || (row.second_factor_pending && now - row.created_at > CODE_LIMIT);
                if expired {
                    db::session::delete(&state.db, &hash).await?;
                    clear_cookie = true;
                } else {
                    if now - row.last_seen_at > TOUCH_EVERY {
                        db::session::touch(&state.db, &hash, now).await?;
                    }
                    let grants = row.grants();
                    user_id = Some(row.account_id.0);
                    let must_enrol = !row.second_factor_enrolled
                        && state.settings.requires_second_factor(&grants);
                    let gate = Gate::of(
                        row.second_factor_pending,
                        must_enrol,
                        row.must_change_password,
                    );
                    if let Some(gate) = gate.filter(|g| !g.lets_through(&path)) {
                        let mut response = gate.refuse(&path);
                        response
                            .extensions_mut()
                            .insert(LoggedUser(row.account_id.0));
                        return Ok(response);
                    }
                    request.extensions_mut().insert(CurrentUser {
                        account_id: row.account_id,
                        username: row.username,
                        display_name: row.display_name,
                        scope: Scope::of(&grants),
                        must_change_password: row.must_change_password,
                        second_factor_pending: row.second_factor_pending,
                        second_factor_enrolled: row.second_factor_enrolled,
                        must_enrol_second_factor: must_enrol,
                        grants,
                        csrf_token: row.csrf_token,
                        unread: row.unread,
                        session_hash: hash,
                    });
                }
            }
            None => clear_cookie = true,
        }
    }
    let mut response = next.run(request).await;
    if clear_cookie && !response.headers().contains_key(SET_COOKIE) {
        response.headers_mut().append(
            SET_COOKIE,
            cookie(&state.settings, SESSION_COOKIE, "", Some(0)),
        );
    }
    if let Some(id) = user_id {
        response.extensions_mut().insert(LoggedUser(id));
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;
    use axum::http::header::COOKIE;
    use axum::http::{HeaderMap, HeaderValue};

    #[test]
    fn secure_cookies_are_host_prefixed_and_flagged() {
        let mut settings = Settings::local();
        let plain = cookie(&settings, SESSION_COOKIE, "abc", None);
        assert_eq!(plain, "tj_session=abc; Path=/; HttpOnly; SameSite=Lax");
        settings.secure_cookies = true;
        let secure = cookie(&settings, SESSION_COOKIE, "abc", Some(0));
        assert_eq!(
            secure,
            "__Host-tj_session=abc; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0"
        );
    }

    #[test]
    fn tokens_are_random_and_hashes_are_hex_sha256() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash("abc").len(), 64);
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_right_cookie_is_read_among_several() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("a=1; tj_session=xyz; tj_csrf=q"),
        );
        assert_eq!(
            read_cookie(&headers, &Settings::local(), SESSION_COOKIE).as_deref(),
            Some("xyz")
        );
        assert_eq!(
            read_cookie(&headers, &Settings::local(), FLASH_COOKIE),
            None
        );
    }
}

//! Sign-in, sign-out and the user's own password change.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::header::{SET_COOKIE, USER_AGENT};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Router, routing::post};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::auth::extract::{ClientAddr, CurrentUser};
use crate::auth::session::{ABSOLUTE_LIMIT, SESSION_COOKIE, cookie, read_cookie};
use crate::auth::signin::{self, Attempt, LOCK_THRESHOLD, Outcome, PasswordChange};
use crate::error::Result;
use crate::state::AppState;
use crate::web::AfterRole;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::respond::invalid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(show_login).post(sign_in))
        .route("/logout", post(sign_out))
        .route(
            "/account/password",
            get(show_password_form).post(change_password),
        )
        .after_role()
}

pub const FAILED_MESSAGE: &str = "用户名或密码错误。连续失败5次后账户将被锁定15分钟。";
pub const RATE_LIMITED_MESSAGE: &str = "登录尝试过于频繁，请稍后再试。";

#[derive(Template, WebTemplate)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    ctx: PageContext,
    username: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    pub(crate) next: Option<String>,
}

/// Only a local path is a safe place to go back to after signing in.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        // Browsers drop tabs and line breaks from a URL and read `\` as `/`, so `/\t/evil`
        // or `/\\evil` would leave the site (security review F7); a control character
        // would also make the Location header fail.
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

async fn show_login(ctx: PageContext, Query(query): Query<NextQuery>) -> Response {
    if ctx.user.is_some() {
        return Redirect::to(&safe_next(query.next.as_deref())).into_response();
    }
    LoginPage {
        ctx,
        username: String::new(),
        next: safe_next(query.next.as_deref()),
        error: None,
    }
    .into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

async fn sign_in(
    State(state): State<AppState>,
    ctx: PageContext,
    address: ClientAddr,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response> {
    let next = safe_next(form.next.as_deref());
    let previous = read_cookie(&headers, &state.settings, SESSION_COOKIE);
    let user_agent = headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let outcome = signin::sign_in(
        &state,
        Attempt {
            username: &form.username,
            password: form.password,
            address: &address,
            user_agent,
            previous_token: previous.as_deref(),
        },
    )
    .await?;
    let (status, error) = match outcome {
        Outcome::Success {
            token,
            must_change_password,
        } => {
            let to = if must_change_password {
                "/account/password"
            } else {
                &next
            };
            return Ok(with_session(
                &state,
                Redirect::to(to).into_response(),
                &token,
            ));
        }
        Outcome::CodeNeeded { token } => {
            let to = if next == "/" {
                "/login/code".to_string()
            } else {
                format!(
                    "/login/code?next={}",
                    crate::auth::extract::urlencode(&next)
                )
            };
            return Ok(with_session(
                &state,
                Redirect::to(&to).into_response(),
                &token,
            ));
        }
        Outcome::Locked { until } => (StatusCode::UNAUTHORIZED, locked_message(&state, until)),
        Outcome::Failed => (StatusCode::UNAUTHORIZED, FAILED_MESSAGE.to_string()),
        Outcome::RateLimited => (
            StatusCode::TOO_MANY_REQUESTS,
            RATE_LIMITED_MESSAGE.to_string(),
        ),
    };
    let page = LoginPage {
        ctx,
        username: form.username.trim().chars().take(64).collect(),
        next,
        error: Some(error),
    };
    Ok((status, page).into_response())
}

/// Sets the cookie of a new session on a response.
pub fn with_session(state: &AppState, mut response: Response, token: &str) -> Response {
    response.headers_mut().append(
        SET_COOKIE,
        cookie(
            &state.settings,
            SESSION_COOKIE,
            token,
            Some(ABSOLUTE_LIMIT.num_seconds()),
        ),
    );
    response
}

/// Told only to whoever gave the right password: the cause, and the local time the lock
/// ends (with the date when that is not today).
pub fn locked_message(state: &AppState, until: DateTime<Utc>) -> String {
    let clock = &state.clock;
    let local = clock.local(until);
    let when = if local.date_naive() == clock.today() {
        local.format("%H:%M").to_string()
    } else {
        local.format("%-m月%-d日 %H:%M").to_string()
    };
    format!(
        "因连续{}次用户名或密码错误，账户已锁定，至 {when}（{}）后可再次登录。",
        LOCK_THRESHOLD,
        clock.zone_label()
    )
}

async fn sign_out(
    State(state): State<AppState>,
    user: CurrentUser,
    address: ClientAddr,
) -> Result<Response> {
    signin::sign_out(&state, &user, &address).await?;
    let mut response = flash::ok(&state.settings, "/login", "您已安全退出。");
    response.headers_mut().append(
        SET_COOKIE,
        cookie(&state.settings, SESSION_COOKIE, "", Some(0)),
    );
    Ok(response)
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/password.html")]
pub struct PasswordPage {
    ctx: PageContext,
    /// An administrator set the password: say why this page comes first.
    required: bool,
    error: Option<&'static str>,
}

async fn show_password_form(user: CurrentUser, ctx: PageContext) -> PasswordPage {
    PasswordPage {
        ctx,
        required: user.must_change_password,
        error: None,
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    address: ClientAddr,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Result<Response> {
    let required = user.must_change_password;
    let refuse = |ctx, error| {
        Ok(invalid(PasswordPage {
            ctx,
            required,
            error: Some(error),
        }))
    };
    if form.new_password != form.confirm_password {
        return refuse(ctx, "两次输入的新密码不一致");
    }
    let user_agent = headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let outcome = signin::change_password(
        &state,
        &user,
        &address,
        form.current_password,
        form.new_password,
        user_agent,
    )
    .await?;
    match outcome {
        PasswordChange::Changed { token } => {
            let response = flash::ok(
                &state.settings,
                "/",
                "密码已修改，其他设备上的登录已全部退出。",
            );
            Ok(with_session(&state, response, &token))
        }
        PasswordChange::WrongCurrent => refuse(ctx, "当前密码不正确"),
        PasswordChange::Refused(message) => refuse(ctx, message),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/admin/audit?x=1")), "/admin/audit?x=1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("/\t/evil.example/again")), "/");
        assert_eq!(safe_next(Some("/\r\nSet-Cookie: x=1")), "/");
        assert_eq!(safe_next(Some("/ /evil.example")), "/");
        assert_eq!(safe_next(Some("/\u{3000}/evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}

//! The user's own second factor: enrolment (QR code, confirmation, recovery codes shown
//! once), new recovery codes and turning it off. The code form is in `login_code`.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::HeaderMap;
use axum::http::header::USER_AGENT;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use qrcode::QrCode;
use qrcode::render::svg;
use serde::Deserialize;

use crate::auth::extract::{ClientAddr, CurrentUser};
use crate::auth::second_factor::{self, Enrolment};
use crate::auth::totp;
use crate::db;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::AfterRole;
use crate::web::auth::with_session;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::respond::invalid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/account/second-factor",
            get(show_second_factor).post(confirm_enrolment),
        )
        .route(
            "/account/second-factor/recovery-codes",
            post(regenerate_recovery_codes),
        )
        .route("/account/second-factor/disable", post(disable))
        .after_role()
}

pub(crate) fn user_agent(headers: &HeaderMap) -> &str {
    headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/second_factor.html")]
pub struct SecondFactorPage {
    ctx: PageContext,
    /// The account name the authenticator app shows, as in the QR code.
    username: String,
    enrolled: bool,
    enrolled_at: String,
    codes_left: i64,
    /// The user's role must use a second factor.
    required: bool,
    /// While not enrolled: the QR code as a data: URI, the secret to type, and the same
    /// sealed for the form.
    qr: String,
    secret: String,
    sealed: String,
    error: Option<&'static str>,
    /// Which form the error belongs to: enrol, recovery or disable.
    error_for: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/recovery_codes.html")]
pub struct RecoveryCodesPage {
    ctx: PageContext,
    codes: Vec<String>,
    /// Shown right after enrolment (rather than after asking for new ones).
    enrolled_now: bool,
}

fn qr_data_uri(text: &str) -> Result<String> {
    let code = QrCode::new(text.as_bytes())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("QR code: {e}")))?;
    let image = code
        .render::<svg::Color>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    Ok(format!(
        "data:image/svg+xml;base64,{}",
        STANDARD.encode(image.as_bytes())
    ))
}

/// The page as it stands; `enrolment` is the secret (and its sealed form) of an enrolment
/// being retried, otherwise a new one is offered to an account without a second factor.
async fn second_factor_page(
    state: &AppState,
    user: &CurrentUser,
    ctx: PageContext,
    enrolment: Option<(Vec<u8>, String)>,
    error: Option<(&'static str, &'static str)>,
) -> Result<SecondFactorPage> {
    let stored = db::second_factor::get(&state.db, user.account_id).await?;
    let (qr, secret, sealed) = if stored.enrolled() {
        (String::new(), String::new(), String::new())
    } else {
        let (secret, sealed) =
            enrolment.unwrap_or_else(|| second_factor::new_enrolment(state, user));
        (
            qr_data_uri(&totp::otpauth_uri(&secret, &user.username))?,
            totp::secret_for_typing(&secret),
            sealed,
        )
    };
    Ok(SecondFactorPage {
        username: user.username.clone(),
        enrolled: stored.enrolled(),
        enrolled_at: stored
            .enrolled_at
            .map(|t| state.clock.local(t).format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default(),
        codes_left: db::second_factor::recovery_codes_left(&state.db, user.account_id).await?,
        required: state.settings.requires_second_factor(&user.grants),
        qr,
        secret,
        sealed,
        error: error.map(|(_, message)| message),
        error_for: error.map(|(form, _)| form).unwrap_or(""),
        ctx,
    })
}

async fn show_second_factor(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
) -> Result<SecondFactorPage> {
    second_factor_page(&state, &user, ctx, None, None).await
}

#[derive(Deserialize)]
pub struct EnrolForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    sealed: String,
}

async fn confirm_enrolment(
    State(state): State<AppState>,
    user: CurrentUser,
    mut ctx: PageContext,
    address: ClientAddr,
    headers: HeaderMap,
    Form(form): Form<EnrolForm>,
) -> Result<Response> {
    let Some(secret) = second_factor::open_enrolment(&state, &user, &form.sealed) else {
        return Ok(invalid(
            second_factor_page(
                &state,
                &user,
                ctx,
                None,
                Some(("enrol", "设置已过期，请重新扫描本页的二维码")),
            )
            .await?,
        ));
    };
    let outcome = second_factor::confirm_enrolment(
        &state,
        &user,
        &address,
        user_agent(&headers),
        &secret,
        &form.code,
    )
    .await?;
    match outcome {
        Enrolment::Enrolled {
            session,
            recovery_codes,
        } => {
            // The page is drawn for the new session: its token, and the menu of a user
            // who may now go anywhere.
            ctx.csrf = session.csrf_token;
            if let Some(shown) = ctx.user.as_mut() {
                shown.second_factor_enrolled = true;
                shown.must_enrol_second_factor = false;
            }
            let page = RecoveryCodesPage {
                ctx,
                codes: recovery_codes,
                enrolled_now: true,
            };
            Ok(with_session(&state, page.into_response(), &session.token))
        }
        Enrolment::Refused(message) => Ok(invalid(
            second_factor_page(
                &state,
                &user,
                ctx,
                Some((secret, form.sealed)),
                Some(("enrol", message)),
            )
            .await?,
        )),
    }
}

async fn regenerate_recovery_codes(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    address: ClientAddr,
    Form(form): Form<EnrolForm>,
) -> Result<Response> {
    match second_factor::regenerate_recovery_codes(&state, &user, &address, &form.code).await? {
        Ok(codes) => Ok(RecoveryCodesPage {
            ctx,
            codes,
            enrolled_now: false,
        }
        .into_response()),
        Err(message) => Ok(invalid(
            second_factor_page(&state, &user, ctx, None, Some(("recovery", message))).await?,
        )),
    }
}

#[derive(Deserialize)]
pub struct DisableForm {
    #[serde(default)]
    current_password: String,
}

async fn disable(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    address: ClientAddr,
    Form(form): Form<DisableForm>,
) -> Result<Response> {
    match second_factor::disable(&state, &user, &address, form.current_password).await? {
        Ok(()) => Ok(flash::ok(
            &state.settings,
            "/account/second-factor",
            "两步验证已停用，恢复码已全部作废。",
        )),
        Err(message) => Ok(invalid(
            second_factor_page(&state, &user, ctx, None, Some(("disable", message))).await?,
        )),
    }
}

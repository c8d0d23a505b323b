//! The code form after the password: the one page (with signing out) a session waiting
//! for its second factor may reach.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::auth::extract::{ClientAddr, CurrentUser};
use crate::auth::session::{SESSION_COOKIE, cookie};
use crate::auth::signin_code::{self, CodeOutcome};
use crate::error::Result;
use crate::state::AppState;
use crate::web::AfterRole;
use crate::web::auth::{NextQuery, RATE_LIMITED_MESSAGE, locked_message, safe_next, with_session};
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::second_factor::user_agent;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login/code", get(show_code_form).post(submit_code))
        .after_role()
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/code.html")]
pub struct CodePage {
    ctx: PageContext,
    next: String,
    error: Option<String>,
}

async fn show_code_form(
    user: CurrentUser,
    ctx: PageContext,
    Query(query): Query<NextQuery>,
) -> Response {
    let next = safe_next(query.next.as_deref());
    if !user.second_factor_pending {
        return Redirect::to(&next).into_response();
    }
    CodePage {
        ctx,
        next,
        error: None,
    }
    .into_response()
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    next: Option<String>,
}

async fn submit_code(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
    address: ClientAddr,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response> {
    let next = safe_next(form.next.as_deref());
    if !user.second_factor_pending {
        return Ok(Redirect::to(&next).into_response());
    }
    let outcome =
        signin_code::complete_sign_in(&state, &user, &address, user_agent(&headers), &form.code)
            .await?;
    let (status, error) = match outcome {
        CodeOutcome::SignedIn { token } => {
            return Ok(with_session(
                &state,
                Redirect::to(&next).into_response(),
                &token,
            ));
        }
        CodeOutcome::Locked { until } => {
            let mut response =
                flash::error(&state.settings, "/login", &locked_message(&state, until));
            response.headers_mut().append(
                SET_COOKIE,
                cookie(&state.settings, SESSION_COOKIE, "", Some(0)),
            );
            return Ok(response);
        }
        CodeOutcome::Refused(message) => (StatusCode::UNPROCESSABLE_ENTITY, message.to_string()),
        CodeOutcome::Wrong(message) => (StatusCode::UNAUTHORIZED, message.to_string()),
        CodeOutcome::RateLimited => (
            StatusCode::TOO_MANY_REQUESTS,
            RATE_LIMITED_MESSAGE.to_string(),
        ),
    };
    Ok((
        status,
        CodePage {
            ctx,
            next,
            error: Some(error),
        },
    )
        .into_response())
}

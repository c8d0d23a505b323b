//! Check-in by phone for participants (issue 16 item 3): the page a check-in link's QR code
//! opens, with no account. It shows the activity's title, time and place and a form for
//! name and mobile number (unit optional); a first form checks in, a second with the same
//! name and number checks out. It shows nothing about anyone else. The form carries the
//! pre-sign-in CSRF token as the sign-in form does (`csrf::protect` / `csrf::check`); what
//! it did comes back as the next page's message, so that reloading sends nothing again.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::auth::extract::ClientAddr;
use crate::auth::session::token_hash;
use crate::db::activity::ActivityRow;
use crate::db::checkin::Link;
use crate::domain::participation::hours_text;
use crate::domain::role::Scope;
use crate::error::{AppError, Result};
use crate::services::Error;
use crate::services::checkin::{self, Done, Visit};
use crate::state::AppState;
use crate::web::layout::PageContext;
use crate::web::respond::invalid;
use crate::web::{AfterRole, PathOr404};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/checkin/{token}", get(show_checkin).post(check_in))
        .after_role()
}

#[derive(Template, WebTemplate)]
#[template(path = "checkin/show.html")]
pub struct CheckinPage {
    ctx: PageContext,
    token: String,
    title: String,
    when: String,
    place: String,
    /// Why the link takes no form now, or None.
    closed: Option<String>,
    /// Why the form was refused.
    error: Option<String>,
    name: String,
    phone: String,
    unit: String,
}

/// The link and its activity; 404 for a token that names none (whatever its shape).
async fn reach(state: &AppState, token: &str) -> Result<(Link, ActivityRow)> {
    if token.len() != 43 {
        return Err(AppError::NotFound);
    }
    let link = crate::db::checkin::find(&state.db, &token_hash(token))
        .await?
        .ok_or(AppError::NotFound)?;
    let activity = crate::db::activity::get(&state.db, link.activity_id, &Scope::Zone)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((link, activity))
}

fn page(state: &AppState, ctx: PageContext, token: String, activity: &ActivityRow) -> CheckinPage {
    CheckinPage {
        ctx,
        token,
        title: activity.title.clone(),
        when: format!(
            "{}（{}）",
            crate::web::activities::span_text(state, activity.starts_at, activity.ends_at),
            state.clock.zone_label()
        ),
        place: activity.place.clone(),
        closed: None,
        error: None,
        name: String::new(),
        phone: String::new(),
        unit: String::new(),
    }
}

async fn show_checkin(
    State(state): State<AppState>,
    ctx: PageContext,
    PathOr404(token): PathOr404<String>,
) -> Result<CheckinPage> {
    let (link, activity) = reach(&state, &token).await?;
    let closed = checkin::unavailable(&link, &activity, state.clock.now());
    Ok(CheckinPage {
        closed,
        ..page(&state, ctx, token, &activity)
    })
}

#[derive(Deserialize)]
pub struct CheckinForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    unit: String,
}

async fn check_in(
    State(state): State<AppState>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404(token): PathOr404<String>,
    Form(form): Form<CheckinForm>,
) -> Result<Response> {
    let (link, activity) = reach(&state, &token).await?;
    let done = checkin::visit(
        &state.db,
        &state.keys,
        &link,
        &activity,
        &Visit {
            name: &form.name,
            phone: &form.phone,
            unit: &form.unit,
            address: &address.0,
        },
        state.clock.now(),
    )
    .await;
    let time = |at| state.clock.local(at).format("%H:%M").to_string();
    let base = page(&state, ctx, token, &activity);
    let message = match done {
        Ok(Done::CheckedIn { name, at }) => format!(
            "签到成功：{name}，{}。活动结束后请再次扫码，填写相同的姓名和手机号签退。",
            time(at)
        ),
        Ok(Done::CheckedOut { name, at, proposed }) => format!(
            "签退成功：{name}，{}。服务时长约{}小时，以组织者确认为准。",
            time(at),
            hours_text(proposed)
        ),
        Ok(Done::AlreadyIn { at }) => format!(
            "您已于{}签到成功，无需重复提交；活动结束后再提交即为签退。",
            time(at)
        ),
        Ok(Done::AlreadyOut { at }) => {
            format!("您已于{}签退，无需再次提交。", time(at))
        }
        Err(Error::Refused(message)) => {
            let status = if message == checkin::TOO_OFTEN {
                axum::http::StatusCode::TOO_MANY_REQUESTS
            } else {
                axum::http::StatusCode::UNPROCESSABLE_ENTITY
            };
            let page = CheckinPage {
                closed: checkin::unavailable(&link, &activity, state.clock.now()),
                error: Some(message.into_owned()),
                name: form.name.chars().take(40).collect(),
                phone: form.phone.chars().take(20).collect(),
                unit: form.unit.chars().take(100).collect(),
                ..base
            };
            return Ok(if status == axum::http::StatusCode::UNPROCESSABLE_ENTITY {
                invalid(page)
            } else {
                (status, page).into_response()
            });
        }
        Err(Error::Database(e)) => return Err(e.into()),
    };
    // Back to the page (a reload then sends nothing again, which would check out).
    Ok(crate::web::flash::ok(
        &state.settings,
        &format!("/checkin/{}", base.token),
        &message,
    ))
}

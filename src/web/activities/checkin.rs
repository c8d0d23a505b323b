//! The organiser's side of check-in by phone, on the activity's page: open the link and
//! show it as a QR code (SVG drawn here by the `qrcode` crate), close it, see who checked
//! in and out (names, masked phones, times, the address each came from) and confirm the
//! hours proposed, one or all.

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use qrcode::QrCode;
use qrcode::render::svg;

use crate::auth::extract::{ClientAddr, Reporter, Require};
use crate::auth::session::{random_token, token_hash};
use crate::db::activity::ActivityRow;
use crate::domain::checkin::proposed_tenths;
use crate::domain::ids::ActivityId;
use crate::domain::participation::hours_text;
use crate::error::{AppError, Result};
use crate::services::{Error, checkin};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;

use super::open_for_write;

/// The check-in part of an activity's page, for those who may change the activity.
pub struct CheckinPanel {
    /// The open link's address, as the QR code carries it.
    pub link: Option<String>,
    pub entries: Vec<EntryLine>,
    /// Check-ins that checked out and wait for their hours to be confirmed.
    pub pending: usize,
}

/// One person's check-in, as the organiser reads it.
pub struct EntryLine {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub checked_in: String,
    pub checked_out: String,
    /// The client addresses the check-in (and check-out) came from.
    pub addresses: String,
    /// The hours proposed from the times, once checked out.
    pub proposed: String,
    pub confirmed: bool,
    pub waiting: bool,
}

/// Where the server is reached, for the link in the QR code: the configured public URL,
/// or the address the organiser's browser used.
fn origin(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(origin) = &state.settings.public_origin {
        return origin.clone();
    }
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:8080");
    let scheme = if state.settings.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// The open link's full address, None when no link is open.
async fn open_link(
    state: &AppState,
    headers: &HeaderMap,
    activity: ActivityId,
) -> Result<Option<String>> {
    let Some(open) = crate::db::checkin::open_link(&state.db, activity).await? else {
        return Ok(None);
    };
    let token = state
        .keys
        .decrypt(open.token_version, &open.token_cipher)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("check-in token: {e}")))?;
    Ok(Some(format!("{}/checkin/{token}", origin(state, headers))))
}

/// The panel of an activity the user may change.
pub async fn panel(
    state: &AppState,
    headers: &HeaderMap,
    activity: &ActivityRow,
) -> Result<CheckinPanel> {
    let time = |at| state.clock.local(at).format("%H:%M").to_string();
    let entries: Vec<EntryLine> =
        crate::db::checkin_entry::entries(&state.db, activity.activity_id)
            .await?
            .into_iter()
            .map(|e| {
                let proposed = e.checked_out_at.map(|out| {
                    hours_text(proposed_tenths(
                        e.checked_in_at,
                        out,
                        activity.starts_at,
                        activity.ends_at,
                    ))
                });
                let addresses = match &e.out_address {
                    Some(out) if *out != e.in_address => format!("{} / {out}", e.in_address),
                    _ => e.in_address.clone(),
                };
                EntryLine {
                    id: e.checkin_entry_id,
                    name: e.name,
                    phone: e.phone_masked.unwrap_or_else(|| "—".into()),
                    checked_in: time(e.checked_in_at),
                    checked_out: e.checked_out_at.map(time).unwrap_or_default(),
                    addresses,
                    waiting: proposed.is_some() && e.confirmed_at.is_none(),
                    proposed: proposed.unwrap_or_default(),
                    confirmed: e.confirmed_at.is_some(),
                }
            })
            .collect();
    Ok(CheckinPanel {
        link: open_link(state, headers, activity.activity_id).await?,
        pending: entries.iter().filter(|e| e.waiting).count(),
        entries,
    })
}

/// What a use case's answer becomes: the activity's page again with its message.
fn answered(
    state: &AppState,
    id: ActivityId,
    done: Result<(), Error>,
    ok: &str,
) -> Result<Response> {
    let back = format!("/activities/{id}#checkin");
    match done {
        Ok(()) => Ok(flash::ok(&state.settings, &back, ok)),
        Err(Error::Refused(message)) => Ok(flash::error(&state.settings, &back, &message)),
        Err(Error::Database(e)) => Err(e.into()),
    }
}

pub async fn open_checkin(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<ActivityId>,
) -> Result<Response> {
    let activity = open_for_write(&state, &user, id).await?;
    let token = random_token();
    let done = checkin::open(
        &state.db,
        &state.keys,
        &user.actor(&address),
        &activity,
        (&token, &token_hash(&token)),
        state.clock.now(),
    )
    .await;
    answered(
        &state,
        id,
        done,
        "签到已开启：请参与人员用手机扫描二维码签到、签退。",
    )
}

pub async fn close_checkin(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<ActivityId>,
) -> Result<Response> {
    let activity = open_for_write(&state, &user, id).await?;
    let done = checkin::close(
        &state.db,
        &user.actor(&address),
        &activity,
        state.clock.now(),
    )
    .await;
    answered(&state, id, done, "签到已关闭，二维码和链接不再有效。")
}

/// The open link as a QR code, SVG.
pub async fn checkin_qr(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    headers: HeaderMap,
    PathOr404(id): PathOr404<ActivityId>,
) -> Result<Response> {
    open_for_write(&state, &user, id).await?;
    let link = open_link(&state, &headers, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let code = QrCode::new(link.as_bytes())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("QR code: {e}")))?;
    let image = code
        .render::<svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    let mut response = image.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("image/svg+xml"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// Confirms the proposed hours of one check-in (`entry`) or of all waiting.
async fn confirm(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    address: &ClientAddr,
    id: ActivityId,
    entry: Option<i64>,
) -> Result<Response> {
    let activity = open_for_write(state, user, id).await?;
    let done = checkin::confirm(
        &state.db,
        &user.actor(address),
        &activity,
        entry,
        state.clock.now(),
    )
    .await;
    let done = match done {
        Ok(Ok(n)) => Ok(format!("已确认{n}人的服务时长。")),
        Ok(Err(faults)) => Err(Error::refused(format!(
            "服务时长未确认：{}",
            faults.join("；")
        ))),
        Err(e) => Err(e),
    };
    match done {
        Ok(message) => answered(state, id, Ok(()), &message),
        Err(e) => answered(state, id, Err(e), ""),
    }
}

pub async fn confirm_all(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<ActivityId>,
) -> Result<Response> {
    confirm(&state, &user, &address, id, None).await
}

pub async fn confirm_one(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404((id, entry)): PathOr404<(ActivityId, i64)>,
) -> Result<Response> {
    confirm(&state, &user, &address, id, Some(entry)).await
}

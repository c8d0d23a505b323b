//! The official reply (批复) to an approved application: a printable page and a .docx.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;

use crate::auth::CurrentUser;
use crate::auth::extract::{Business, Require};
use crate::db::application::Application;
use crate::domain::application::{Approval, Reply};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::layout::PageContext;
use crate::web::respond::{DOCX, download};

use super::open_application;
use crate::domain::ids::ApplicationId;

/// The reply's text for an approved application; none before approval.
fn reply_of(app: &Application) -> Option<Reply> {
    Some(Reply::new(&Approval {
        unit_name: &app.unit_name,
        name: &app.proposed_name,
        kind: app.proposed_kind.label(),
        secretary: app.proposed_secretary.as_deref(),
        number: app.approval_number.as_deref()?,
        on: app.approved_on?,
    }))
}

#[derive(Template, WebTemplate)]
#[template(path = "applications/reply.html")]
pub struct ReplyPage {
    ctx: PageContext,
    id: ApplicationId,
    reply: Reply,
}

async fn approved(state: &AppState, user: &CurrentUser, id: ApplicationId) -> Result<Reply> {
    let app = open_application(state, user, id).await?;
    reply_of(&app).ok_or(AppError::NotFound)
}

pub async fn show_reply(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    PathOr404(id): PathOr404<ApplicationId>,
) -> Result<ReplyPage> {
    Ok(ReplyPage {
        ctx,
        id,
        reply: approved(&state, &user, id).await?,
    })
}

pub async fn download_reply(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    PathOr404(id): PathOr404<ApplicationId>,
) -> Result<Response> {
    let reply = approved(&state, &user, id).await?;
    let bytes = crate::export::docx::reply(&reply)?;
    Ok(download(
        &format!("{}.docx", reply.title),
        "reply.docx",
        DOCX,
        bytes,
    ))
}

//! Formation applications (建团申请 → 批复): the secretary drafts, submits and resubmits;
//! the committee returns, approves (文号) or rejects, from the queue or the application.
//! Every transition is a history row; an illegal one is refused with a message and no change.

mod attachments;
mod decide;
mod edit;
mod form;
mod list;
mod reply;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use axum::routing::{get, post};

use crate::auth::CurrentUser;
use crate::auth::extract::{Business, Committee, Require, RoleSet, Secretary};
use crate::config::UPLOAD_LIMIT;
use crate::db::application::{Application, AttachmentRow, EventRow};
use crate::db::{self};
use crate::domain::application::warnings;
use crate::domain::role::Role;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::layout::PageContext;
use crate::web::only;
use crate::web::scoped::open_for;

use crate::domain::ids::ApplicationId;
use attachments::{add_attachment, download_attachment};
use decide::{approve_application, reject_application, return_application, submit_application};
use edit::{create_application, edit_application, new_application, update_application};
use list::list_applications;
use reply::{download_reply, show_reply};

async fn open_application(
    state: &AppState,
    user: &CurrentUser,
    id: ApplicationId,
) -> Result<Application> {
    db::application::get(&state.db, id, &user.scope)
        .await?
        .ok_or(AppError::NotFound)
}

/// An application to act on through the grants holding one of `R`'s roles: a secretary
/// drafts for their own units only, whatever a leader grant lets them read.
async fn application_for<R: RoleSet>(
    state: &AppState,
    user: &CurrentUser,
    id: ApplicationId,
) -> Result<Application> {
    open_for::<R, _, _, _>(user, |scope| async move {
        db::application::get(&state.db, id, &scope).await
    })
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "applications/show.html")]
pub struct ApplicationPage {
    ctx: PageContext,
    app: Application,
    history: Vec<EventRow>,
    attachments: Vec<AttachmentRow>,
    warnings: Vec<&'static str>,
    can_edit: bool,
    can_decide: bool,
    today: String,
}

pub async fn show_application(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    PathOr404(id): PathOr404<ApplicationId>,
) -> Result<ApplicationPage> {
    let app = open_application(&state, &user, id).await?;
    let own = user
        .grants
        .iter()
        .any(|g| g.role == Role::Secretary && g.unit_id == Some(app.unit_id));
    Ok(ApplicationPage {
        history: db::application::history(&state.db, id).await?,
        attachments: db::application::attachments(&state.db, id).await?,
        warnings: warnings(app.proposed_kind, app.member_count),
        can_edit: own && app.state.is_editable(),
        can_decide: user.has(Role::Committee) && app.state.is_pending(),
        today: state.clock.today().to_string(),
        app,
        ctx,
    })
}

/// The applications' routes: the list and queue for every business role, drafting for the
/// unit's secretary, decisions for the committee.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/applications",
            only::<Business>(get(list_applications))
                .merge(only::<Secretary>(post(create_application))),
        )
        .route("/applications/new", only::<Secretary>(get(new_application)))
        .route(
            "/applications/{id}",
            only::<Business>(get(show_application))
                .merge(only::<Secretary>(post(update_application))),
        )
        .route(
            "/applications/{id}/edit",
            only::<Secretary>(get(edit_application)),
        )
        .route(
            "/applications/{id}/submit",
            only::<Secretary>(post(submit_application)),
        )
        .route(
            "/applications/{id}/return",
            only::<Committee>(post(return_application)),
        )
        .route(
            "/applications/{id}/approve",
            only::<Committee>(post(approve_application)),
        )
        .route(
            "/applications/{id}/reject",
            only::<Committee>(post(reject_application)),
        )
        .route(
            "/applications/{id}/attachments",
            only::<Secretary>(post(add_attachment)).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/applications/{id}/attachments/{attachment}",
            only::<Business>(get(download_attachment)),
        )
        .route(
            "/applications/{id}/reply",
            only::<Business>(get(show_reply)),
        )
        .route(
            "/applications/{id}/reply.docx",
            only::<Business>(get(download_reply)),
        )
}

//! The in-app inbox: reminders and decisions addressed to the user.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};

use crate::auth::CurrentUser;
use crate::db::{self, notification::NotificationRow};
use crate::error::Result;
use crate::state::AppState;
use crate::web::AfterRole;
use crate::web::flash;
use crate::web::layout::PageContext;

#[derive(Template, WebTemplate)]
#[template(path = "inbox/index.html")]
pub struct InboxPage {
    ctx: PageContext,
    items: Vec<NotificationRow>,
    has_unread: bool,
}

pub async fn show_inbox(
    State(state): State<AppState>,
    user: CurrentUser,
    ctx: PageContext,
) -> Result<InboxPage> {
    let items = db::notification::inbox(&state.db, user.account_id, 100).await?;
    Ok(InboxPage {
        has_unread: items.iter().any(|n| n.read_at.is_none()),
        items,
        ctx,
    })
}

pub async fn mark_read(State(state): State<AppState>, user: CurrentUser) -> Result<Response> {
    db::notification::mark_all_read(&state.db, user.account_id, state.clock.now()).await?;
    Ok(flash::ok(&state.settings, "/inbox", "已全部标为已读。"))
}

/// Every signed-in person's notices.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/inbox", get(show_inbox))
        .route("/inbox/read", post(mark_read))
        .after_role()
}

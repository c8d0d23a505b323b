//! Work-plan items (工作安排, issue 17 item 1): a year's list with progress at a glance,
//! printable and exported as a workbook; one page per item with its progress notes; and the
//! forms. The committee enters and changes items and records progress on any; leaders read
//! everything; a secretary reads the items their organisations own (or that name their
//! account) and records progress on them, moving them among 未开始, 推进中 and 已完成 — who
//! cancels an item is the committee. Another unit's secretary finds nothing (404).

mod form;
mod list;
mod show;

use axum::Router;
use axum::routing::{get, post};

use crate::auth::CurrentUser;
use crate::auth::extract::{Business, Committee, Reporter};
use crate::db::{self, work_plan::ItemRow};
use crate::domain::ids::WorkPlanItemId;
use crate::domain::role::{Role, Scope};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::only;

/// The item if the user may read it, else 404.
async fn open(state: &AppState, user: &CurrentUser, id: WorkPlanItemId) -> Result<ItemRow> {
    db::work_plan::get(&state.db, id, (&user.scope, user.account_id))
        .await?
        .ok_or(AppError::NotFound)
}

/// The item to record progress on, and whether the user writes as the committee: through
/// the grants that may record (committee anywhere, a secretary for their organisations'
/// items); 403 when the user reads it but may not record, 404 when they cannot see it.
async fn open_for_notes(
    state: &AppState,
    user: &CurrentUser,
    id: WorkPlanItemId,
) -> Result<(ItemRow, bool)> {
    let scope = user.scope_for::<Reporter>();
    if scope != Scope::Nothing
        && let Some(item) = db::work_plan::get(&state.db, id, (&scope, user.account_id)).await?
    {
        return Ok((item, user.has(Role::Committee)));
    }
    open(state, user, id).await?;
    Err(AppError::Forbidden)
}

/// The items' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/plans",
            only::<Business>(get(list::list_plans))
                .merge(only::<Committee>(post(form::create_plan))),
        )
        .route("/plans/new", only::<Committee>(get(form::new_plan)))
        .route("/plans/export", only::<Business>(get(list::export_plans)))
        .route(
            "/plans/{id}",
            only::<Business>(get(show::show_plan))
                .merge(only::<Committee>(post(form::update_plan))),
        )
        .route("/plans/{id}/edit", only::<Committee>(get(form::edit_plan)))
        .route("/plans/{id}/notes", only::<Reporter>(post(show::add_note)))
}

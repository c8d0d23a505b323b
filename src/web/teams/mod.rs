//! Volunteer teams (志愿服务队): the list with its domain filter and search for every
//! business role, one page per team with its members and its hours month by month, and
//! founding and changing them for the committee (any host unit) and a secretary (their own
//! units' teams). Another unit's secretary finds nothing (404).

mod form;
mod list;
mod show;

use axum::Router;
use axum::routing::{get, post};

use crate::auth::CurrentUser;
use crate::auth::extract::{Business, Reporter};
use crate::db::{self, volunteer_team::TeamRow};
use crate::domain::ids::VolunteerTeamId;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::only;

/// The team to change, through the grants that may record: 404 when the user cannot see
/// it, 403 when they see it but its host unit lies outside their write scope.
async fn open_for_write(
    state: &AppState,
    user: &CurrentUser,
    id: VolunteerTeamId,
) -> Result<TeamRow> {
    let scope = user.scope_for::<Reporter>();
    if let Some(found) = db::volunteer_team::get(&state.db, id, &scope).await? {
        return Ok(found);
    }
    if db::volunteer_team::get(&state.db, id, &user.scope)
        .await?
        .is_some()
    {
        return Err(AppError::Forbidden);
    }
    Err(AppError::NotFound)
}

/// The teams' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/teams",
            only::<Business>(get(list::list_teams))
                .merge(only::<Reporter>(post(form::create_team))),
        )
        .route("/teams/new", only::<Reporter>(get(form::new_team)))
        .route(
            "/teams/{id}",
            only::<Business>(get(show::show_team)).merge(only::<Reporter>(post(form::update_team))),
        )
        .route("/teams/{id}/edit", only::<Reporter>(get(form::edit_team)))
        .route(
            "/teams/{id}/members",
            only::<Reporter>(post(show::add_member)),
        )
        .route(
            "/teams/{id}/members/{member}/delete",
            only::<Reporter>(post(show::remove_member)),
        )
}

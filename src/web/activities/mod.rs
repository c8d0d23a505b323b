//! Activities (活动): the list and month calendar for every business role, one page per
//! activity, and recording and changing them for the committee (zone activities) and a
//! secretary (their own organisation's). Another unit's secretary finds nothing (404).

mod awards;
mod calendar;
mod checkin;
mod entries;
mod files;
mod form;
mod list;
mod participants;
mod results;
mod show;
mod signin;
mod volunteers;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::auth::CurrentUser;
use crate::auth::extract::{Business, Reporter};
use crate::config::UPLOAD_LIMIT;
use crate::db::{self, activity::ActivityRow};
use crate::domain::ids::ActivityId;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::only;

pub use list::{PAGE, parse_year, span_text};

/// The activity to change, through the grants that may record activities: 404 when the
/// user cannot see it, 403 when they see it but another organisation organised it.
async fn open_for_write(
    state: &AppState,
    user: &CurrentUser,
    id: ActivityId,
) -> Result<ActivityRow> {
    let scope = user.scope_for::<Reporter>();
    if let Some(found) = db::activity::get_for_write(&state.db, id, &scope).await? {
        return Ok(found);
    }
    if db::activity::get(&state.db, id, &user.scope)
        .await?
        .is_some()
    {
        return Err(AppError::Forbidden);
    }
    Err(AppError::NotFound)
}

/// The activities' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/activities",
            only::<Business>(get(list::list_activities))
                .merge(only::<Reporter>(post(form::create_activity))),
        )
        .route("/activities/new", only::<Reporter>(get(form::new_activity)))
        .route(
            "/activities/export",
            only::<Business>(get(list::export_activities)),
        )
        .route(
            "/volunteers",
            only::<Business>(get(volunteers::list_volunteers)),
        )
        .route(
            "/volunteers/export",
            only::<Business>(get(volunteers::export_volunteers)),
        )
        .route(
            "/activities/calendar",
            only::<Business>(get(calendar::show_calendar)),
        )
        .route(
            "/activities/{id}",
            only::<Business>(get(show::show_activity))
                .merge(only::<Reporter>(post(form::update_activity))),
        )
        .route(
            "/activities/{id}/edit",
            only::<Reporter>(get(form::edit_activity)),
        )
        .route(
            "/activities/{id}/state",
            only::<Reporter>(post(show::change_state)),
        )
        .route(
            "/activities/{id}/units",
            only::<Reporter>(post(show::add_unit)),
        )
        .route(
            "/activities/{id}/units/{unit}/delete",
            only::<Reporter>(post(show::remove_unit)),
        )
        .route(
            "/activities/{id}/participants/member",
            only::<Reporter>(post(participants::add_member)),
        )
        .route(
            "/activities/{id}/participants/person",
            only::<Reporter>(post(participants::add_person)),
        )
        .route(
            "/activities/{id}/participants/import",
            only::<Reporter>(post(signin::import_signin))
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/activities/{id}/participants/{participation}/delete",
            only::<Reporter>(post(participants::remove)),
        )
        .route(
            "/activities/{id}/files",
            only::<Reporter>(post(files::upload_file)).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/activities/{id}/files/{file}",
            only::<Business>(get(files::download_file)),
        )
        .route(
            "/activities/{id}/files/{file}/thumb",
            only::<Business>(get(files::thumbnail)),
        )
        .route(
            "/activities/{id}/files/{file}/delete",
            only::<Reporter>(post(files::remove_file)),
        )
        .route(
            "/activities/{id}/hours",
            only::<Reporter>(post(participants::record_hours)),
        )
        .route(
            "/activities/{id}/results",
            only::<Business>(get(results::show_results)),
        )
        .route(
            "/activities/{id}/results/print",
            only::<Business>(get(results::print_results)),
        )
        .route(
            "/activities/{id}/results/export",
            only::<Business>(get(results::export_results)),
        )
        .route(
            "/activities/{id}/entries",
            only::<Reporter>(post(entries::add_entry)),
        )
        .route(
            "/activities/{id}/entries/{entry}/delete",
            only::<Reporter>(post(entries::remove_entry)),
        )
        .route(
            "/activities/{id}/entries/{entry}/scores",
            only::<Reporter>(post(entries::record_score)),
        )
        .route(
            "/activities/{id}/entries/{entry}/scores/delete",
            only::<Reporter>(post(entries::remove_score)),
        )
        .route(
            "/activities/{id}/entries/{entry}/rank",
            only::<Reporter>(post(entries::set_rank)),
        )
        .route(
            "/activities/{id}/entries/{entry}/award",
            only::<Reporter>(post(awards::set_award)),
        )
        .route(
            "/activities/{id}/contest/method",
            only::<Reporter>(post(entries::set_method)),
        )
        .route(
            "/activities/{id}/awards/by-rank",
            only::<Reporter>(post(awards::award_by_rank)),
        )
        .route(
            "/activities/{id}/awards/organizing",
            only::<Reporter>(post(awards::add_organizing)),
        )
        .route(
            "/activities/{id}/awards/organizing/{unit}/delete",
            only::<Reporter>(post(awards::remove_organizing)),
        )
        .route(
            "/activities/{id}/checkin",
            only::<Reporter>(post(checkin::open_checkin)),
        )
        .route(
            "/activities/{id}/checkin/close",
            only::<Reporter>(post(checkin::close_checkin)),
        )
        .route(
            "/activities/{id}/checkin/qr.svg",
            only::<Reporter>(get(checkin::checkin_qr)),
        )
        .route(
            "/activities/{id}/checkin/confirm",
            only::<Reporter>(post(checkin::confirm_all)),
        )
        .route(
            "/activities/{id}/checkin/{entry}/confirm",
            only::<Reporter>(post(checkin::confirm_one)),
        )
}

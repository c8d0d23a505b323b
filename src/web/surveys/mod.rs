//! Survey rounds (摸排轮次): open one (carrying the units over), follow who has reported,
//! remind those who have not, export the round as the office workbook, close and lock it,
//! or discard one opened by mistake.
//! A locked round never changes.

mod export;
mod remind;
mod rounds;
mod upload;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::Response;
use axum::routing::{get, post};

use crate::auth::extract::{Committee, Staff};
use crate::config::UPLOAD_LIMIT;
use crate::db::{self, survey::RoundDetail};
use crate::domain::ids::SurveyId;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::flash;
use crate::web::only;

async fn load_round(state: &AppState, id: SurveyId) -> Result<RoundDetail> {
    db::survey::round(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

fn locked_refusal(state: &AppState, id: SurveyId) -> Response {
    flash::error(
        &state.settings,
        &format!("/surveys/{id}"),
        crate::services::rounds::LOCKED,
    )
}

/// The rounds' routes: reading and the export for the staff, everything that changes a
/// round (and the workbook upload) for the committee.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/surveys",
            only::<Staff>(get(rounds::list_rounds))
                .merge(only::<Committee>(post(rounds::open_round))),
        )
        .route("/surveys/new", only::<Committee>(get(rounds::new_round)))
        .route(
            "/surveys/{id}",
            only::<Staff>(get(rounds::show_round))
                .merge(only::<Committee>(post(rounds::update_round))),
        )
        .route(
            "/surveys/{id}/lock",
            only::<Committee>(post(rounds::lock_round)),
        )
        .route(
            "/surveys/{id}/discard",
            only::<Committee>(post(rounds::discard_round)),
        )
        .route(
            "/surveys/{id}/remind",
            only::<Committee>(post(remind::remind)),
        )
        .route(
            "/surveys/{id}/export",
            only::<Staff>(get(export::export_round)),
        )
        .route(
            "/surveys/upload",
            only::<Committee>(get(upload::upload_form).post(upload::receive_upload))
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/surveys/upload/{id}",
            only::<Committee>(get(upload::preview)),
        )
        .route(
            "/surveys/upload/{id}/commit",
            only::<Committee>(post(upload::commit)),
        )
        .route(
            "/surveys/upload/{id}/faults",
            only::<Committee>(get(upload::download_faults)),
        )
}

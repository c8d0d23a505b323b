//! 青年文明号 (youth civilization posts): the list with its filters and the review-due flag,
//! its export, one page per post with its history, registering a creation, and the
//! committee's forms for the next step.
//!
//! Who does what: the committee registers a creation for any unit and records every step;
//! a secretary registers a creation for their own unit and reads their units' posts, but the
//! steps (推荐, 认定, 复核, 警告, 撤销) are the committee's decisions and stay with it; the
//! leader reads everything; the administrator nothing. Another unit's post is 404.

mod form;
mod list;
mod show;

use axum::Router;
use axum::routing::{get, post};

use crate::auth::extract::{Business, Committee, Reporter};
use crate::state::AppState;
use crate::web::only;

/// The posts' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/awards",
            only::<Business>(get(list::list_awards))
                .merge(only::<Reporter>(post(form::register_award))),
        )
        .route("/awards/new", only::<Reporter>(get(form::new_award)))
        .route("/awards/export", only::<Business>(get(list::export_awards)))
        .route("/awards/{id}", only::<Business>(get(show::show_award)))
        .route(
            "/awards/{id}/steps",
            only::<Committee>(post(show::take_step)),
        )
}

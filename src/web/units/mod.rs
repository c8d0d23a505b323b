//! Units (单位): the list with its filters and counts, a unit's page, the committee's form
//! to create, edit and close one, and the unit's own figures for the open survey round
//! (填报).

mod edit;
mod form;
mod list;
mod report;
mod show;

use axum::Router;
use axum::routing::{get, post};

use crate::auth::extract::{Business, Committee, Reporter};
use crate::state::AppState;
use crate::web::only;

/// The page size and cursor of the units list, which `make bench` builds its deep-page
/// links with.
pub use list::{PAGE_SIZE, encode_cursor};
pub use show::contact_phone;

/// The units' routes: reading for every business role, the form for the committee, the
/// figures for the committee and the unit's secretary.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/units",
            only::<Business>(get(list::list_units))
                .merge(only::<Committee>(post(edit::create_unit))),
        )
        .route("/units/new", only::<Committee>(get(edit::new_unit)))
        .route(
            "/units/{id}",
            only::<Business>(get(show::show_unit))
                .merge(only::<Committee>(post(edit::update_unit))),
        )
        .route("/units/{id}/edit", only::<Committee>(get(edit::edit_unit)))
        .route(
            "/units/{id}/close",
            only::<Committee>(post(edit::close_unit)),
        )
        .route(
            "/units/{id}/report",
            only::<Reporter>(get(report::show_report_form).post(report::submit_report)),
        )
}

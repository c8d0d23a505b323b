//! The pages and the API, one module per area; this root merges their routers and puts
//! each role's layer on its routes.

pub mod admin;
pub mod api;
pub mod applications;
pub mod assets;
pub mod auth;
pub mod dashboard;
pub mod flash;
pub mod health;
pub mod home;
pub mod inbox;
pub mod layout;
pub mod members;
pub mod organizations;
pub mod reminders;
pub mod report;
pub mod respond;
pub mod security;
pub mod surveys;
pub mod unit_form;
pub mod units;
pub mod upload;

use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, get, post};
use axum::{Router, middleware};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::auth::extract::{self, Business, Committee, Reporter, RoleSet, Staff};
use crate::config::UPLOAD_LIMIT;
use crate::state::AppState;

/// Keyset paging: `rows` were fetched with one more than `size`; keeps `size` of them and
/// answers the next page's cursor, made from the last row kept, when there is a next page.
pub fn next_page<T>(
    rows: &mut Vec<T>,
    size: i64,
    cursor: impl FnOnce(&T) -> String,
) -> Option<String> {
    if rows.len() as i64 > size {
        rows.truncate(size as usize);
        rows.last().map(cursor)
    } else {
        None
    }
}

/// A yes/no filter of a query string; anything else (or nothing) leaves the filter off.
pub fn flag(value: &Option<String>) -> Option<bool> {
    match value.as_deref().map(str::trim) {
        Some("true" | "1" | "on" | "yes") => Some(true),
        Some("false" | "0" | "no") => Some(false),
        _ => None,
    }
}

/// A keyset cursor of a sort key (as text) and an id, as `pair_cursor` reads it: base64 of
/// JSON, so any key text is safe in a link.
pub fn encode_pair(key: &str, id: i64) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&(key, id)).unwrap_or_default())
}

/// Reads a cursor written by `encode_pair`; a missing or broken one is the first page.
pub fn pair_cursor(after: Option<&str>) -> Option<(String, i64)> {
    let bytes = URL_SAFE_NO_PAD.decode(after?).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The role layer on a route's methods; the handlers check again with their extractor.
fn only<R: RoleSet>(methods: MethodRouter<AppState>) -> MethodRouter<AppState> {
    methods.route_layer(middleware::from_fn(extract::require::<R>))
}

/// Every page and the API: the areas' routes, each method behind its role layer.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/static/{*path}", get(assets::serve_asset))
        .route("/dashboard", only::<Staff>(get(dashboard::show_dashboard)))
        .route(
            "/dashboard/charts",
            only::<Staff>(get(dashboard::chart_data)),
        )
        .route("/my-unit", only::<Business>(get(home::my_unit)))
        .route(
            "/units",
            only::<Business>(get(units::list_units))
                .merge(only::<Committee>(post(unit_form::create_unit))),
        )
        .route("/units/new", only::<Committee>(get(unit_form::new_unit)))
        .route(
            "/units/{id}",
            only::<Business>(get(units::show_unit))
                .merge(only::<Committee>(post(unit_form::update_unit))),
        )
        .route(
            "/units/{id}/edit",
            only::<Committee>(get(unit_form::edit_unit)),
        )
        .route(
            "/units/{id}/close",
            only::<Committee>(post(unit_form::close_unit)),
        )
        .route(
            "/units/{id}/report",
            only::<Reporter>(get(report::show_report_form).post(report::submit_report)),
        )
        .route(
            "/surveys",
            only::<Staff>(get(surveys::list_rounds))
                .merge(only::<Committee>(post(surveys::open_round))),
        )
        .route("/surveys/new", only::<Committee>(get(surveys::new_round)))
        .route(
            "/surveys/{id}",
            only::<Staff>(get(surveys::show_round))
                .merge(only::<Committee>(post(surveys::update_round))),
        )
        .route(
            "/surveys/{id}/lock",
            only::<Committee>(post(surveys::lock_round)),
        )
        .route(
            "/surveys/{id}/remind",
            only::<Committee>(post(surveys::remind)),
        )
        .route(
            "/surveys/{id}/export",
            only::<Staff>(get(surveys::export_round)),
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
        .route("/reminders", only::<Staff>(get(reminders::show_reminders)))
        .route(
            "/reminders/remind",
            only::<Committee>(post(reminders::remind)),
        )
        .route(
            "/reminders/export",
            only::<Staff>(get(reminders::export_reminders)),
        )
        .route(
            "/organizations",
            only::<Business>(get(organizations::show_tree)),
        )
        .route(
            "/organizations/{id}",
            only::<Business>(get(organizations::show_organization)),
        )
        .route(
            "/organizations/{id}/term",
            only::<Committee>(post(organizations::update_term)),
        )
        .route(
            "/organizations/{id}/units",
            only::<Committee>(post(organizations::add_joint_unit)),
        )
        .route(
            "/organizations/{id}/cadres",
            only::<Committee>(post(organizations::add_cadre)),
        )
        .route(
            "/organizations/{id}/cadres/{cadre}/delete",
            only::<Committee>(post(organizations::remove_cadre)),
        )
        .route(
            "/organizations/{id}/members",
            only::<Business>(get(members::show_roster))
                .merge(only::<Reporter>(post(members::create_member))),
        )
        .route(
            "/organizations/{id}/members/new",
            only::<Reporter>(get(members::new_member)),
        )
        .route(
            "/organizations/{id}/members/import",
            only::<Reporter>(get(members::import_form).post(members::import_roster))
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/organizations/{id}/members/template",
            only::<Reporter>(get(members::download_template)),
        )
        .route("/members", only::<Business>(get(members::show_all)))
        .route("/members/compare", only::<Staff>(get(members::compare)))
        .route("/members/export", only::<Business>(get(members::export)))
        .route(
            "/members/{id}",
            only::<Business>(get(members::show_member))
                .merge(only::<Reporter>(post(members::update_member))),
        )
        .route(
            "/members/{id}/transfer",
            only::<Reporter>(post(members::request_transfer)),
        )
        .route(
            "/organizations/{id}/members/transfer-in",
            only::<Reporter>(get(members::transfer_in_form).post(members::start_transfer_in)),
        )
        .route(
            "/organizations/{id}/evaluation",
            only::<Business>(get(members::show_evaluation))
                .merge(only::<Reporter>(post(members::save_evaluation))),
        )
        .route(
            "/organizations/{id}/registration",
            only::<Reporter>(post(members::register_members)),
        )
        .route(
            "/members/transfers",
            only::<Business>(get(members::show_transfers)),
        )
        .route(
            "/transfers/{id}",
            only::<Reporter>(post(members::decide_transfer)),
        )
        .route(
            "/members/{id}/edit",
            only::<Reporter>(get(members::edit_member)),
        )
        .route(
            "/members/{id}/delete",
            only::<Reporter>(post(members::delete_member)),
        )
        .route(
            "/members/age",
            only::<Business>(get(members::show_age_lists)),
        )
        .route(
            "/members/{id}/age-out",
            only::<Reporter>(post(members::age_out)),
        )
        .route(
            "/members/{id}/reveal",
            only::<Reporter>(post(members::reveal)),
        )
        .route("/inbox", get(inbox::show_inbox))
        .route("/inbox/read", post(inbox::mark_read))
        .merge(applications::router())
        .merge(auth::router())
        .merge(admin::router())
        .nest("/api/v1", api::router())
        .merge(health::router())
        .fallback(not_found)
}

/// 404 for paths no router knows, as a page.
pub async fn not_found() -> crate::error::AppError {
    crate::error::AppError::NotFound
}

/// Path parameters that answer 404 (not a parse error) when they do not fit, since a
/// mangled id names no record.
pub struct PathOr404<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for PathOr404<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = crate::error::AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| PathOr404(value))
            .map_err(|_| crate::error::AppError::NotFound)
    }
}

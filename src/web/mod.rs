//! The pages and the API, one module per area; this root merges their routers and puts
//! each role's layer on its routes.

pub mod activities;
pub mod admin;
pub mod api;
pub mod applications;
pub mod assessments;
pub mod assets;
pub mod auth;
pub mod awards;
pub mod checkin;
pub mod dashboard;
pub mod flash;
pub mod health;
pub mod home;
pub mod inbox;
pub mod input;
pub mod layout;
pub mod login_code;
pub mod members;
pub mod organizations;
pub mod paging;
pub mod plans;
pub mod query;
pub mod reminders;
pub mod reports;
pub mod respond;
pub mod scoped;
pub mod second_factor;
pub mod security;
pub mod surveys;
pub mod teams;
pub mod units;
pub mod upload;
pub mod volunteers;

use axum::routing::MethodRouter;
use axum::{Router, middleware};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::auth::csrf;
use crate::auth::extract::{self, RoleSet};
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

/// A keyset cursor of a sort key (as text) and an id, as `pair_cursor` reads it: base64 of
/// JSON, so any key text is safe in a link.
pub fn encode_pair<I: serde::Serialize>(key: &str, id: I) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&(key, id)).unwrap_or_default())
}

/// Reads a cursor written by `encode_pair`; a missing or broken one is the first page.
pub fn pair_cursor<I: serde::de::DeserializeOwned>(after: Option<&str>) -> Option<(String, I)> {
    let bytes = URL_SAFE_NO_PAD.decode(after?).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The checks a request passes after its role check, in one place for every router: the
/// CSRF token of a state change, then text without stray control characters (`input`).
/// Laid inside the role layer, so that a state change from someone who may not make it is
/// refused before its body is read.
pub(crate) trait AfterRole {
    fn after_role(self) -> Self;
}

impl AfterRole for MethodRouter<AppState> {
    fn after_role(self) -> Self {
        self.route_layer(middleware::from_fn(input::strip_stray_controls))
            .route_layer(middleware::from_fn(csrf::check))
    }
}

impl AfterRole for Router<AppState> {
    fn after_role(self) -> Self {
        self.route_layer(middleware::from_fn(input::strip_stray_controls))
            .route_layer(middleware::from_fn(csrf::check))
    }
}

/// The role layer on a route's methods (the handlers check again with their extractor),
/// with `AfterRole`'s checks inside it.
fn only<R: RoleSet>(methods: MethodRouter<AppState>) -> MethodRouter<AppState> {
    methods
        .after_role()
        .route_layer(middleware::from_fn(extract::require::<R>))
}

/// Every page and the API: the areas' routes, each method behind its role layer.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(home::router())
        .merge(assets::router())
        .merge(dashboard::router())
        .merge(reminders::router())
        .merge(reports::router())
        .merge(organizations::router())
        .merge(activities::router())
        .merge(teams::router())
        .merge(plans::router())
        .merge(awards::router())
        .merge(inbox::router())
        .merge(applications::router())
        .merge(units::router())
        .merge(surveys::router())
        .merge(members::router())
        .merge(volunteers::router())
        .merge(auth::router())
        .merge(second_factor::router())
        .merge(login_code::router())
        .merge(checkin::router())
        .merge(admin::router())
        .merge(assessments::router())
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

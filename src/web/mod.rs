//! The pages and the API, one module per area; this root merges their routers and puts
//! each role's layer on its routes.

pub mod admin;
pub mod api;
pub mod assets;
pub mod auth;
pub mod dashboard;
pub mod flash;
pub mod health;
pub mod home;
pub mod layout;
pub mod security;
pub mod units;

use axum::routing::get;
use axum::{Router, middleware};

use crate::auth::extract::{self, Business, Staff};
use crate::startup::{AppState, not_found};

pub fn router(_state: AppState) -> Router<AppState> {
    let staff = Router::new()
        .route("/dashboard", get(dashboard::show_dashboard))
        .route_layer(middleware::from_fn(extract::require::<Staff>));
    let business = Router::new()
        .route("/my-unit", get(home::my_unit))
        .route("/units/{id}", get(units::show_unit))
        .route_layer(middleware::from_fn(extract::require::<Business>));
    Router::new()
        .route("/", get(home::home))
        .route("/static/{*path}", get(assets::serve_asset))
        .merge(auth::router())
        .merge(staff)
        .merge(business)
        .merge(admin::router())
        .nest("/api/v1", api::router())
        .merge(health::router())
        .fallback(not_found)
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

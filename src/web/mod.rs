//! The pages and the API, one module per area; this root merges their routers and puts
//! each role's layer on its routes.

pub mod admin;
pub mod api;
pub mod assets;
pub mod auth;
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
        .route("/dashboard", get(home::dashboard))
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

//! The JSON API under /api/v1: the same sessions and scopes as the pages; errors are
//! JSON too.

use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::auth::extract::{self, Business, CurrentUser, Require};
use crate::db;
use crate::domain::ids::UnitId;
use crate::error::{AppError, ErrorMessage, Result};
use crate::startup::AppState;
use crate::web::PathOr404;

pub fn router() -> Router<AppState> {
    let business = Router::new()
        .route("/units/{id}", get(unit))
        .route_layer(middleware::from_fn(extract::require::<Business>));
    let staff = Router::new()
        .route("/survey/summary", get(crate::web::dashboard::summary_json))
        .route_layer(middleware::from_fn(extract::require::<extract::Staff>));
    Router::new()
        .route("/me", get(me))
        .merge(business)
        .merge(staff)
        .fallback(|| async { AppError::NotFound })
        .layer(middleware::from_fn(json_errors))
}

/// Turns the error pages into `{"error": "..."}` with the same status.
async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    match response.extensions().get::<ErrorMessage>() {
        Some(ErrorMessage(message)) => {
            (response.status(), Json(json!({ "error": message }))).into_response()
        }
        None => response,
    }
}

async fn me(user: CurrentUser) -> Json<Value> {
    Json(json!({
        "username": user.username,
        "display_name": user.display_name,
        "roles": user.grants,
    }))
}

async fn unit(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    PathOr404(id): PathOr404<i64>,
) -> Result<Json<Value>> {
    let unit = db::unit::get_scoped(&state.db, UnitId(id), &user.scope)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(json!({
        "id": unit.unit_id,
        "name": unit.name,
        "kind": unit.kind,
        "status": unit.status,
        "credit_code": unit.credit_code,
    })))
}

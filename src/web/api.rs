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
        .route("/units", get(units))
        .route("/units/{id}", get(unit))
        .route("/surveys", get(surveys))
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
    let unit = db::unit::get(&state.db, UnitId(id), &user.scope)
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

/// `GET /api/v1/units`: the units list's filters and scope, 50 a page, `after`/`next`.
async fn units(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    axum::extract::Query(query): axum::extract::Query<crate::web::units::ListQuery>,
) -> Result<Json<Value>> {
    use crate::web::units::{PAGE_SIZE, encode_cursor, round};
    let filter = query.filter();
    let survey = round(&state, query.survey_id()?)
        .await?
        .map(|r| r.survey_id);
    let mut rows = db::unit::list(
        &state.db,
        &user.scope,
        survey,
        &filter,
        query.cursor().as_ref(),
        PAGE_SIZE + 1,
    )
    .await?;
    let next = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|r| encode_cursor(&r.name, r.unit_id))
    } else {
        None
    };
    let items: Vec<Value> = rows
        .into_iter()
        .map(|r| {
            json!({
                "id": r.unit_id,
                "name": r.name,
                "kind": r.kind,
                "status": r.status,
                "credit_code": r.credit_code,
                "youth": r.youth,
                "members": r.members,
                "has_organization": r.has_organization,
            })
        })
        .collect();
    Ok(Json(json!({ "items": items, "next": next })))
}

#[derive(serde::Deserialize)]
struct SurveysQuery {
    after: Option<String>,
}

/// `GET /api/v1/surveys`: rounds newest first, 50 a page; the cursor is an as-of date.
async fn surveys(
    State(state): State<AppState>,
    _user: Require<Business>,
    axum::extract::Query(query): axum::extract::Query<SurveysQuery>,
) -> Result<Json<Value>> {
    const PAGE: i64 = 50;
    let before = match query.after.as_deref() {
        None | Some("") => None,
        Some(s) => Some(
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| AppError::BadRequest("after 应为 YYYY-MM-DD 格式的日期".into()))?,
        ),
    };
    let mut rounds = db::survey::rounds(&state.db, before, PAGE + 1).await?;
    let next = if rounds.len() as i64 > PAGE {
        rounds.truncate(PAGE as usize);
        rounds.last().map(|r| r.as_of.to_string())
    } else {
        None
    };
    let items: Vec<Value> = rounds
        .into_iter()
        .map(|r| {
            json!({
                "id": r.survey_id,
                "title": r.title,
                "as_of": r.as_of,
                "opens_on": r.opens_on,
                "closes_on": r.closes_on,
                "formation_deadline": r.formation_deadline,
                "locked": r.locked,
                "entries": r.entries,
                "reported": r.reported,
            })
        })
        .collect();
    Ok(Json(json!({ "items": items, "next": next })))
}

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
use crate::state::AppState;
use crate::web::PathOr404;

pub fn router() -> Router<AppState> {
    let business = Router::new()
        .route("/units", get(units))
        .route("/units/{id}", get(unit))
        .route("/surveys", get(surveys))
        .route("/organizations", get(organizations))
        .route("/members", get(members))
        .route("/applications", get(applications))
        .route_layer(middleware::from_fn(extract::require::<Business>));
    let staff = Router::new()
        .route("/survey/summary", get(crate::web::dashboard::summary_json))
        .route("/reminders", get(reminders))
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
    let next = crate::web::next_page(&mut rows, PAGE_SIZE, |r| encode_cursor(&r.name, r.unit_id));
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
    let next = crate::web::next_page(&mut rounds, PAGE, |r| r.as_of.to_string());
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

#[derive(serde::Deserialize)]
struct CursorQuery {
    after: Option<String>,
    state: Option<String>,
}

fn id_cursor(after: &Option<String>) -> Result<Option<i64>> {
    match after.as_deref() {
        None | Some("") => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| AppError::BadRequest("after 不是有效的游标".into())),
    }
}

const PAGE: i64 = 50;

/// `GET /api/v1/organizations`: the organisations in scope, 50 a page.
async fn organizations(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    axum::extract::Query(query): axum::extract::Query<CursorQuery>,
) -> Result<Json<Value>> {
    let mut rows =
        db::organization::list(&state.db, &user.scope, id_cursor(&query.after)?, PAGE + 1).await?;
    let next = (rows.len() as i64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| r.organization_id.to_string())
    });
    let items: Vec<Value> = rows
        .iter()
        .map(|o| {
            json!({
                "id": o.organization_id,
                "parent_id": o.parent_id,
                "kind": o.kind,
                "name": o.name,
                "unit_id": o.unit_id,
                "members": o.members,
                "secretary": o.secretary_name,
                "established_on": o.established_on,
                "approval_number": o.approval_number,
                "term_ends_on": o.term_ends_on,
            })
        })
        .collect();
    Ok(Json(json!({ "items": items, "next": next.flatten() })))
}

/// `GET /api/v1/applications?state=`: applications in scope, newest first, 50 a page.
async fn applications(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    axum::extract::Query(query): axum::extract::Query<CursorQuery>,
) -> Result<Json<Value>> {
    let filter = match query.state.as_deref() {
        None | Some("") => None,
        Some(s) => Some(
            crate::domain::application::State::parse(s)
                .ok_or_else(|| {
                    AppError::BadRequest(
                        "state 应为 draft、submitted、returned、resubmitted、approved 或 rejected"
                            .into(),
                    )
                })?
                .code(),
        ),
    };
    let mut rows = db::application::list(
        &state.db,
        &user.scope,
        filter,
        id_cursor(&query.after)?,
        PAGE + 1,
    )
    .await?;
    let next = (rows.len() as i64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| r.formation_application_id.to_string())
    });
    let items: Vec<Value> = rows
        .iter()
        .map(|a| {
            json!({
                "id": a.formation_application_id,
                "unit_id": a.unit_id,
                "unit_name": a.unit_name,
                "state": a.state,
                "proposed_name": a.proposed_name,
                "proposed_kind": a.proposed_kind,
                "member_count": a.member_count,
                "youth_count": a.youth_count,
                "submitted_at": a.submitted_at,
                "approval_number": a.approval_number,
                "approved_on": a.approved_on,
            })
        })
        .collect();
    Ok(Json(json!({ "items": items, "next": next.flatten() })))
}

/// `GET /api/v1/reminders`: units with 3+ members, no organisation and no pending
/// application in the latest round, by name, 50 a page (the cursor is the last name).
async fn reminders(
    State(state): State<AppState>,
    _user: Require<extract::Staff>,
    axum::extract::Query(query): axum::extract::Query<CursorQuery>,
) -> Result<Json<Value>> {
    let Some(round) = db::survey::get_or_latest(&state.db, None).await? else {
        return Ok(Json(json!({ "items": [], "next": null })));
    };
    let mut rows = db::formation::reminder_list(
        &state.db,
        round.survey_id,
        query.after.as_deref().filter(|s| !s.is_empty()),
        PAGE + 1,
    )
    .await?;
    let next = (rows.len() as i64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| r.name.clone())
    });
    let items: Vec<Value> = rows
        .iter()
        .map(|u| {
            json!({
                "unit_id": u.unit_id,
                "name": u.name,
                "kind": u.kind,
                "members": u.members,
                "youth": u.youth,
                "reminders": u.reminders,
                "last_reminded": u.last_reminded,
                "formation_deadline": round.formation_deadline,
            })
        })
        .collect();
    Ok(Json(json!({ "items": items, "next": next.flatten() })))
}

/// `GET /api/v1/members?organization=&q=`: members in scope, by name, 50 a page (`q`: a
/// name or two of its characters; one character is a surname); resident IDs and phones
/// masked.
async fn members(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    axum::extract::Query(query): axum::extract::Query<crate::web::members::RosterQuery>,
) -> Result<Json<Value>> {
    use crate::web::members::{PAGE_SIZE, cursor, encode_cursor};
    let organization = match query.organization.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(
            s.parse::<i64>()
                .map_err(|_| AppError::BadRequest("organization 应为团组织编号".into()))?,
        ),
    };
    let filter = query.filter(organization, state.clock.now().date_naive());
    let mut rows = db::member::list(
        &state.db,
        &user.scope,
        &filter,
        cursor(&query.after).as_ref(),
        PAGE_SIZE + 1,
    )
    .await?;
    let next = crate::web::next_page(&mut rows, PAGE_SIZE, encode_cursor);
    let items: Vec<Value> = rows
        .iter()
        .map(|m| {
            json!({
                "id": m.member_id,
                "organization_id": m.organization_id,
                "name": m.name,
                "sex": m.sex,
                "ethnicity": m.ethnicity,
                "resident_id": m.resident_id_masked,
                "phone": m.phone_masked,
                "joined_on": m.joined_on.format("%Y-%m").to_string(),
                "league_post": m.league_post,
                "state": m.state,
            })
        })
        .collect();
    Ok(Json(json!({ "items": items, "next": next })))
}

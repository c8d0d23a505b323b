//! The JSON API under /api/v1: the same sessions and scopes as the pages, errors as JSON
//! too. Its answers are structs of its own, one module per resource, so that a renamed
//! column or a moved page cannot change the contract of DESIGN.md §6 unnoticed.

mod activities;
mod applications;
mod me;
mod members;
mod organizations;
mod reminders;
mod reports;
mod summary;
mod surveys;
mod units;

use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::auth::extract::{self, Business, Staff};
use crate::domain::ids::SurveyId;
use crate::error::{AppError, ErrorMessage, Result};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    let business = Router::new()
        .route("/units", get(units::list_units))
        .route("/units/{id}", get(units::show_unit))
        .route("/surveys", get(surveys::list_rounds))
        .route("/organizations", get(organizations::list_organizations))
        .route("/members", get(members::list_members))
        .route("/applications", get(applications::list_applications))
        .route("/activities", get(activities::list_activities))
        .route("/volunteers/hours", get(activities::volunteer_hours))
        .route_layer(middleware::from_fn(extract::require::<Business>));
    let staff = Router::new()
        .route("/survey/summary", get(summary::show_summary))
        .route("/reminders", get(reminders::list_reminders))
        .route("/reports/work-summary", get(reports::show_work_summary))
        .route_layer(middleware::from_fn(extract::require::<Staff>));
    Router::new()
        .route("/me", get(me::show_me))
        .merge(business)
        .merge(staff)
        .fallback(|| async { AppError::NotFound })
        .layer(middleware::from_fn(json_errors))
}

/// Turns the error pages into `{"error": "..."}` with the same status.
async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    match response.extensions().get::<ErrorMessage>() {
        Some(ErrorMessage(message)) => (
            response.status(),
            Json(ErrorBody {
                error: message.as_str(),
            }),
        )
            .into_response(),
        None => response,
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
}

/// Every list answers 50 items a page.
const PAGE_SIZE: i64 = 50;

/// The envelope of every list: a page of items and the cursor of the next page, if any,
/// to send back as `?after=`.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// A page of `rows` fetched with one more than `PAGE_SIZE`; `cursor` makes the next
    /// page's cursor from the last row kept.
    fn of<R>(mut rows: Vec<R>, cursor: impl FnOnce(&R) -> String) -> Page<T>
    where
        T: From<R>,
    {
        let next = crate::web::next_page(&mut rows, PAGE_SIZE, cursor);
        Page {
            items: rows.into_iter().map(T::from).collect(),
            next,
        }
    }
}

/// An `after` cursor that is a row id; absent or empty is the first page.
fn id_cursor<I: std::str::FromStr>(after: Option<&str>) -> Result<Option<I>> {
    match after {
        None | Some("") => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| AppError::BadRequest("after 不是有效的游标".into())),
    }
}

/// A `survey` parameter: absent or empty is the latest round; anything but a number names
/// no round, so it is a 404 like an unknown one.
fn survey_param(survey: Option<&str>) -> Result<Option<SurveyId>> {
    match survey.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s
            .parse()
            .map(|n| Some(SurveyId(n)))
            .map_err(|_| AppError::NotFound),
    }
}

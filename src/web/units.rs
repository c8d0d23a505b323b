//! Unit pages, scoped: a secretary reaches only their own unit; any other id is 404.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use crate::auth::extract::{Business, Require};
use crate::db;
use crate::db::unit::UnitRow;
use crate::domain::ids::UnitId;
use crate::error::{AppError, Result};
use crate::startup::AppState;
use crate::web::PathOr404;
use crate::web::layout::PageContext;

#[derive(Template, WebTemplate)]
#[template(path = "units/show.html")]
pub struct UnitPage {
    ctx: PageContext,
    unit: UnitRow,
}

pub async fn show_unit(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    PathOr404(id): PathOr404<i64>,
) -> Result<UnitPage> {
    let unit = db::unit::get_scoped(&state.db, UnitId(id), &user.scope)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(UnitPage { ctx, unit })
}

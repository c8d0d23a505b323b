//! `GET /api/v1/units` (the units list's filters and scope, by name) and
//! `GET /api/v1/units/{id}`; a unit out of scope is a 404.

use axum::Json;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};

use super::{PAGE_SIZE, Page};
use crate::auth::extract::{Business, Require};
use crate::db;
use crate::db::unit::{Filter, ListRow, Unit};
use crate::domain::ids::UnitId;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::query::UnitFilterQuery;

/// The filters, as text so that odd values are ignored rather than refused.
#[derive(Debug, Default, Deserialize)]
pub struct UnitsQuery {
    #[serde(flatten)]
    filters: UnitFilterQuery,
    survey: Option<String>,
    after: Option<String>,
}

impl UnitsQuery {
    fn filter(&self) -> Filter {
        self.filters.filter()
    }
}

/// A unit of the list, with its figures in the round.
#[derive(Debug, Serialize)]
pub struct UnitItem {
    pub id: UnitId,
    pub name: String,
    pub kind: crate::domain::unit::UnitKind,
    pub status: Option<crate::domain::unit::Status>,
    pub credit_code: Option<String>,
    pub youth: Option<i32>,
    pub members: Option<i32>,
    pub has_organization: bool,
}

impl From<ListRow> for UnitItem {
    fn from(r: ListRow) -> UnitItem {
        UnitItem {
            id: r.unit_id,
            name: r.name,
            kind: r.kind,
            status: r.status,
            credit_code: r.credit_code,
            youth: r.youth,
            members: r.members,
            has_organization: r.has_organization,
        }
    }
}

/// One unit, as `GET /api/v1/units/{id}` answers it.
#[derive(Debug, Serialize)]
pub struct UnitDetail {
    pub id: UnitId,
    pub name: String,
    pub kind: crate::domain::unit::UnitKind,
    pub status: Option<crate::domain::unit::Status>,
    pub credit_code: Option<String>,
}

impl From<Unit> for UnitDetail {
    fn from(u: Unit) -> UnitDetail {
        UnitDetail {
            id: u.unit_id,
            name: u.name,
            kind: u.kind,
            status: u.status,
            credit_code: u.credit_code,
        }
    }
}

/// The units in scope that match, by name, with the figures of the latest round or of
/// `?survey=` (an unknown round is a 404); the cursor is the last name and id.
pub async fn list_units(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    Query(query): Query<UnitsQuery>,
) -> Result<Json<Page<UnitItem>>> {
    let asked = super::survey_param(query.survey.as_deref())?;
    let round = db::survey::get_or_latest(&state.db, asked).await?;
    if asked.is_some() && round.is_none() {
        return Err(AppError::NotFound);
    }
    let rows = db::unit::list(
        &state.db,
        &user.scope,
        round.map(|r| r.survey_id),
        &query.filter(),
        crate::web::pair_cursor(query.after.as_deref()).as_ref(),
        PAGE_SIZE + 1,
    )
    .await?;
    Ok(Json(Page::of(rows, |r| {
        crate::web::encode_pair(&r.name, r.unit_id.0)
    })))
}

pub async fn show_unit(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    PathOr404(id): PathOr404<UnitId>,
) -> Result<Json<UnitDetail>> {
    let unit = db::unit::get(&state.db, id, &user.scope)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(unit.into()))
}

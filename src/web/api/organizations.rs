//! `GET /api/v1/organizations`: the league organisations in scope, by id; the cursor is
//! the last id.

use axum::Json;
use axum::extract::{Query, State};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{PAGE_SIZE, Page};
use crate::auth::extract::{Business, Require};
use crate::db;
use crate::db::organization::OrganizationRow;
use crate::domain::ids::{OrganizationId, UnitId};
use crate::error::Result;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct OrganizationsQuery {
    after: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct OrganizationItem {
    pub id: OrganizationId,
    pub parent_id: Option<OrganizationId>,
    pub kind: crate::domain::organization::Kind,
    pub name: String,
    pub unit_id: Option<UnitId>,
    /// League members of its unit(s) in the latest round.
    pub members: Option<i64>,
    pub secretary: Option<String>,
    pub established_on: Option<NaiveDate>,
    pub approval_number: Option<String>,
    pub term_ends_on: Option<NaiveDate>,
}

impl From<OrganizationRow> for OrganizationItem {
    fn from(o: OrganizationRow) -> OrganizationItem {
        OrganizationItem {
            id: o.organization_id,
            parent_id: o.parent_id,
            kind: o.kind,
            name: o.name,
            unit_id: o.unit_id,
            members: o.members,
            secretary: o.secretary_name,
            established_on: o.established_on,
            approval_number: o.approval_number,
            term_ends_on: o.term_ends_on,
        }
    }
}

pub async fn list_organizations(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    Query(query): Query<OrganizationsQuery>,
) -> Result<Json<Page<OrganizationItem>>> {
    let after = super::id_cursor(query.after.as_deref())?;
    let rows = db::organization::list(&state.db, &user.scope, after, PAGE_SIZE + 1).await?;
    Ok(Json(Page::of(rows, |o| o.organization_id.to_string())))
}

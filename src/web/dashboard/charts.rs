//! The data behind the dashboard's charts, each bar with the units list behind it.

use axum::Json;
use axum::extract::{Query, State};

use super::{RoundQuery, units_link};
use crate::auth::extract::{Require, Staff};
use crate::db;
use crate::error::{AppError, Result};
use crate::state::AppState;

/// `GET /dashboard/charts[?survey=ID]`: the data behind the dashboard's charts, each bar
/// with the link to the units list behind it.
pub async fn chart_data(
    State(state): State<AppState>,
    _user: Require<Staff>,
    Query(query): Query<RoundQuery>,
) -> Result<Json<serde_json::Value>> {
    use serde_json::json;
    let round = db::survey::get_or_latest(&state.db, query.id()?)
        .await?
        .ok_or(AppError::NotFound)?;
    let id = round.survey_id;
    let kinds = db::survey::totals_by_kind(&state.db, id).await?;
    let summary = db::survey::summary(&state.db, id).await?;
    let top = db::survey::most_youth_without_organization(&state.db, id, 10).await?;
    let previous = db::survey::previous(&state.db, id).await?;
    let previous_kinds = match &previous {
        Some(p) => db::survey::totals_by_kind(&state.db, p.survey_id).await?,
        None => Vec::new(),
    };
    let by_kind: Vec<_> = kinds
        .iter()
        .map(|k| {
            json!({
                "label": k.kind.label(),
                "youth": k.youth,
                "members": k.members,
                "link": units_link(&format!("kind={}", k.kind), id),
            })
        })
        .collect();
    let change: Vec<_> = kinds
        .iter()
        .map(|k| {
            let before = previous_kinds.iter().find(|p| p.kind == k.kind);
            json!({
                "label": k.kind.label(),
                "members": k.members,
                "members_before": before.map(|p| p.members),
                "youth": k.youth,
                "youth_before": before.map(|p| p.youth),
                "link": units_link(&format!("kind={}", k.kind), id),
            })
        })
        .collect();
    Ok(Json(json!({
        "as_of": round.as_of,
        "previous_as_of": previous.map(|p| p.as_of),
        "by_kind": by_kind,
        "coverage": [
            { "label": "已建团", "value": summary.eligible_with_organization,
              "link": units_link("eligible=true&has_organization=true", id) },
            { "label": "具备条件未建团", "value": summary.eligible_without_organization,
              "link": units_link("eligible_missing=true", id) },
        ],
        "top_without_organization": top.iter().map(|u| json!({
            "label": u.name, "youth": u.youth, "members": u.members,
            "link": format!("/units/{}", u.unit_id),
        })).collect::<Vec<_>>(),
        "change": change,
    })))
}

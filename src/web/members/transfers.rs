//! The transfers to act on (组织关系接转), and deciding one: accepting or refusing (the side
//! that must agree) or withdrawing (the side that started it).

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::response::Response;
use serde::Deserialize;

use crate::auth::extract::{Business, ClientAddr, CurrentUser, Reporter, Require};
use crate::db::member_transfer::{self as transfers, TransferRow};
use crate::domain::role::Scope;
use crate::domain::transfer::Decision;
use crate::error::{AppError, Result};
use crate::services::{self, Error};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::scoped::open_for;

use super::transfer::optional;
use crate::domain::ids::TransferId;

#[derive(Template, WebTemplate)]
#[template(path = "members/transfers.html")]
pub struct TransfersPage {
    ctx: PageContext,
    rows: Vec<TransferRow>,
    can_write: bool,
}

/// Transfers read in the reader's scope, with the sides the reader may act for taken from
/// the scope of the grants that may act (`Reporter`), so that no button is offered that the
/// decision would refuse.
pub async fn acting_sides(
    state: &AppState,
    user: &CurrentUser,
    mut rows: Vec<TransferRow>,
) -> Result<Vec<TransferRow>> {
    let acting = user.scope_for::<Reporter>();
    if acting == user.scope || rows.is_empty() {
        return Ok(rows);
    }
    let ids: Vec<TransferId> = rows.iter().map(|r| r.member_transfer_id).collect();
    let sides: HashMap<TransferId, (bool, bool)> = transfers::sides(&state.db, &acting, &ids)
        .await?
        .into_iter()
        .map(|(id, sender, receiver)| (id, (sender, receiver)))
        .collect();
    for row in &mut rows {
        (row.for_sender, row.for_receiver) = sides
            .get(&row.member_transfer_id)
            .copied()
            .unwrap_or_default();
    }
    Ok(rows)
}

pub async fn show_transfers(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
) -> Result<TransfersPage> {
    let rows = transfers::list(&state.db, &user.scope, 500).await?;
    Ok(TransfersPage {
        rows: acting_sides(&state, &user, rows).await?,
        can_write: user.scope_for::<Reporter>() != Scope::Nothing,
        ctx,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct DecisionForm {
    /// `accept`, `refuse` or `cancel`.
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub note: String,
}

/// Accept or refuse (the side that must agree) or withdraw (the side that started).
pub async fn decide_transfer(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<TransferId>,
    Form(form): Form<DecisionForm>,
) -> Result<Response> {
    // Opened in the scope that may act on it, so that the sides it may act for are those
    // of the user's committee or secretary grants, not of a leader grant.
    let pool = &state.db;
    let transfer = open_for::<Reporter, _, _, _>(&user, |scope| async move {
        transfers::get(pool, &scope, id).await
    })
    .await?;
    let back = "/members/transfers";
    let refuse = |message: &str| Ok(flash::error(&state.settings, back, message));
    let Ok(note) = optional(&form.note, 200) else {
        return refuse("说明：不超过200个字");
    };
    let Some(decision) = Decision::parse(&form.decision) else {
        return refuse("请选择同意、拒绝或撤回");
    };
    let allowed = match decision {
        Decision::Accept | Decision::Refuse => transfer.awaits_reader(),
        Decision::Cancel => transfer.started_by_reader(),
    };
    if transfer.is_open() && !allowed {
        return Err(AppError::Forbidden);
    }
    let actor = user.actor(&address);
    let now = state.clock.now();
    match services::transfers::decide(&state.db, &actor, &transfer, decision, note.as_deref(), now)
        .await
    {
        Ok(message) => Ok(flash::ok(&state.settings, back, &message)),
        Err(Error::Refused(message)) => refuse(&message),
        Err(Error::Database(e)) => Err(e.into()),
    }
}

//! Home pages: where each role lands after signing in.

use crate::web::only;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::auth::extract::{Business, CurrentUser, Require};
use crate::db;
use crate::db::unit::UnitRow;
use crate::domain::role::Role;
use crate::error::Result;
use crate::state::AppState;
use crate::web::layout::PageContext;

#[derive(Template, WebTemplate)]
#[template(path = "home/no_role.html")]
pub struct NoRolePage {
    ctx: PageContext,
}

/// `/`: the committee and leaders go to the dashboard, secretaries to their unit,
/// admins to the accounts.
pub async fn home(user: CurrentUser, ctx: PageContext) -> Response {
    let target = if user.has_any(&[Role::Committee, Role::Leader]) {
        "/dashboard"
    } else if user.has(Role::Secretary) {
        "/my-unit"
    } else if user.has(Role::Admin) {
        "/admin/accounts"
    } else {
        return NoRolePage { ctx }.into_response();
    };
    Redirect::to(target).into_response()
}

#[derive(Template, WebTemplate)]
#[template(path = "home/my_unit.html")]
pub struct MyUnitPage {
    ctx: PageContext,
    units: Vec<UnitRow>,
}

/// A secretary's own units (committee and leaders would see the zone here, so they are
/// sent to the dashboard instead).
pub async fn my_unit(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
) -> Result<Response> {
    if !user.has(Role::Secretary) {
        return Ok(Redirect::to("/dashboard").into_response());
    }
    let units = db::unit::list_scoped(&state.db, &user.scope, 20).await?;
    if let [only] = units.as_slice() {
        return Ok(Redirect::to(&format!("/units/{}", only.unit_id)).into_response());
    }
    Ok(MyUnitPage { ctx, units }.into_response())
}

/// Home for every signed-in role, and the secretary's own unit.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/my-unit", only::<Business>(get(my_unit)))
}

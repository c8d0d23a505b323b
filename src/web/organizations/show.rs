//! One organisation's page: its units, cadres, members and term; the scope check every
//! organisation page goes through.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use crate::auth::extract::{Business, Require};
use crate::db::{self, organization::Cadre, organization::OrganizationRow};
use crate::domain::ids::{OrganizationId, UnitId};
use crate::domain::role::Role;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::layout::PageContext;

#[derive(Template, WebTemplate)]
#[template(path = "organizations/show.html")]
pub struct OrganizationPage {
    ctx: PageContext,
    org: OrganizationRow,
    cadres: Vec<Cadre>,
    units: Vec<(UnitId, String)>,
    can_edit: bool,
    posts: [&'static str; 5],
}

/// The organisation if it lies in the user's scope; otherwise 404.
pub(crate) async fn open_org(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: OrganizationId,
) -> Result<OrganizationRow> {
    db::organization::get(&state.db, id, &user.scope)
        .await?
        .ok_or(AppError::NotFound)
}

/// The organisation to change through the grants holding one of `R`'s roles.
pub(crate) async fn org_for<R: crate::auth::extract::RoleSet>(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: OrganizationId,
) -> Result<OrganizationRow> {
    crate::web::scoped::open_for::<R, _, _, _>(user, |scope| async move {
        db::organization::get(&state.db, id, &scope).await
    })
    .await
}

pub async fn show_organization(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    PathOr404(id): PathOr404<OrganizationId>,
) -> Result<OrganizationPage> {
    let org = open_org(&state, &user, id).await?;
    Ok(OrganizationPage {
        cadres: db::organization::cadres(&state.db, id).await?,
        units: db::organization::joint_units(&state.db, id).await?,
        can_edit: user.has(Role::Committee) && !org.kind.is_committee(),
        posts: ["书记", "副书记", "组织委员", "宣传委员", "委员"],
        org,
        ctx,
    })
}

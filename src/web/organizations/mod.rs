//! The organisation tree (团工委 → 基层团委 / 团总支 / 团支部 / 联合团支部), one page per
//! organisation with its units, cadres, members and term, and the 换届 list.

mod edit;
mod show;
mod terms;
mod tree;

use axum::Router;
use axum::routing::{get, post};

use crate::auth::extract::{Business, Committee};
use crate::state::AppState;
use crate::web::only;

pub(crate) use show::{open_org, org_for};

/// The organisations' routes: the tree and pages for every business role, changes for the
/// committee.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/organizations", only::<Business>(get(tree::show_tree)))
        .route(
            "/organizations/terms",
            only::<Business>(get(terms::show_terms)),
        )
        .route(
            "/organizations/{id}",
            only::<Business>(get(show::show_organization)),
        )
        .route(
            "/organizations/{id}/term",
            only::<Committee>(post(edit::update_term)),
        )
        .route(
            "/organizations/{id}/units",
            only::<Committee>(post(edit::add_joint_unit)),
        )
        .route(
            "/organizations/{id}/cadres",
            only::<Committee>(post(edit::add_cadre)),
        )
        .route(
            "/organizations/{id}/cadres/{cadre}/delete",
            only::<Committee>(post(edit::remove_cadre)),
        )
}

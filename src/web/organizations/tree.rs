//! The organisation tree, one level at a time for the zone (a province has hundreds of
//! thousands), a secretary's few organisations as one tree, and the terms ending soon.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use chrono::Days;
use serde::Deserialize;

use crate::auth::extract::{Business, Require};
use crate::db::{self, organization::OrganizationRow};
use crate::domain::ids::OrganizationId;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::layout::PageContext;
use crate::web::paging::Pager;

/// One line of the tree, indented by its depth.
pub struct TreeLine {
    pub org: OrganizationRow,
    pub depth: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "organizations/index.html")]
pub struct TreePage {
    ctx: PageContext,
    lines: Vec<TreeLine>,
    /// The level shown (zone-wide view) and the cursor of its next page.
    parent: Option<OrganizationRow>,
    pager: Pager,
    ending: Vec<OrganizationRow>,
    ending_count: i64,
}

/// Terms ending soon shown on the tree page, the earliest first.
const ENDING_SHOWN: i64 = 50;

/// Depth-first, children by name, from the roots that are in the list.
fn tree(orgs: Vec<OrganizationRow>) -> Vec<TreeLine> {
    let ids: std::collections::HashSet<OrganizationId> =
        orgs.iter().map(|o| o.organization_id).collect();
    let mut children: std::collections::HashMap<Option<OrganizationId>, Vec<OrganizationRow>> =
        Default::default();
    for org in orgs {
        let parent = org.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(org);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| a.name.cmp(&b.name));
    }
    let mut out = Vec::new();
    let mut stack: Vec<(OrganizationRow, usize)> = children
        .remove(&None)
        .unwrap_or_default()
        .into_iter()
        .rev()
        .map(|o| (o, 0))
        .collect();
    while let Some((org, depth)) = stack.pop() {
        if let Some(kids) = children.remove(&Some(org.organization_id)) {
            stack.extend(kids.into_iter().rev().map(|o| (o, depth + 1)));
        }
        out.push(TreeLine { org, depth });
    }
    out
}

/// Organisations per page of one level of the tree.
const LEVEL_PAGE: i64 = 200;

#[derive(Debug, Default, Deserialize)]
pub struct TreeQuery {
    parent: Option<String>,
    after: Option<String>,
}

/// The zone's tree one level at a time (a province has hundreds of thousands of
/// organisations); a secretary's few organisations as one tree.
pub async fn show_tree(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    axum::extract::Query(query): axum::extract::Query<TreeQuery>,
) -> Result<TreePage> {
    let today = state.clock.today();
    let (orgs, next, parent) = if matches!(user.scope, crate::domain::role::Scope::Zone) {
        let parent = match query.parent.as_deref().map(str::parse::<OrganizationId>) {
            Some(Ok(id)) => db::organization::get(&state.db, id, &user.scope).await?,
            Some(Err(_)) => None,
            None => db::organization::committee(&state.db).await?,
        };
        let Some(parent) = parent else {
            return Err(if query.parent.is_some() {
                AppError::NotFound
            } else {
                AppError::Internal(anyhow::anyhow!("the zone has no committee organisation"))
            });
        };
        let after = crate::web::pair_cursor(query.after.as_deref());
        let mut kids = db::organization::children(
            &state.db,
            parent.organization_id,
            after.as_ref(),
            LEVEL_PAGE + 1,
        )
        .await?;
        let next = crate::web::next_page(&mut kids, LEVEL_PAGE, |o| {
            crate::web::encode_pair(&o.name, o.organization_id)
        });
        let mut orgs = vec![parent.clone()];
        orgs.extend(kids);
        (orgs, next, Some(parent))
    } else {
        (
            db::organization::list(&state.db, &user.scope, None, 5000).await?,
            None,
            None,
        )
    };
    let level = parent
        .as_ref()
        .map_or(String::new(), |p| format!("parent={}", p.organization_id));
    Ok(TreePage {
        pager: Pager::new("/organizations", &level, "after", next.as_deref()),
        parent,
        lines: tree(orgs),
        ending: db::organization::terms_ending(
            &state.db,
            &user.scope,
            today,
            today + Days::new(90),
            ENDING_SHOWN,
        )
        .await?,
        ending_count: db::organization::terms_ending_count(
            &state.db,
            &user.scope,
            today,
            today + Days::new(90),
        )
        .await?,
        ctx,
    })
}

//! The list of volunteer teams: narrowed to a domain and by a search of the team's or host
//! unit's name, by name, one keyset page at a time.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use serde::Deserialize;

use crate::auth::extract::{Business, Reporter, Require};
use crate::db::{self, volunteer_team::TeamRow};
use crate::domain::ids::VolunteerTeamId;
use crate::domain::participation::hours_text;
use crate::domain::role::Scope;
use crate::domain::volunteer_team::Domain;
use crate::error::Result;
use crate::state::AppState;
use crate::web::layout::PageContext;
use crate::web::paging::Pager;

/// Teams per page.
pub const PAGE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub q: String,
    pub after: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "teams/index.html")]
pub struct ListPage {
    ctx: PageContext,
    teams: Vec<(TeamRow, String)>,
    query: ListQuery,
    domains: [Domain; 8],
    can_found: bool,
    pager: Pager,
}

pub async fn list_teams(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    Query(query): Query<ListQuery>,
) -> Result<ListPage> {
    let domain = Domain::from_code(query.domain.trim());
    let search = Some(query.q.trim()).filter(|s| !s.is_empty());
    let after = crate::web::pair_cursor::<VolunteerTeamId>(query.after.as_deref());
    let paged = after.is_some();
    let mut rows =
        db::volunteer_team::list(&state.db, &user.scope, (domain, search), after, PAGE + 1).await?;
    let next = crate::web::next_page(&mut rows, PAGE, |t| {
        crate::web::encode_pair(&t.name, t.volunteer_team_id)
    });
    let filters: Vec<(&str, &str)> = [("domain", query.domain.trim()), ("q", query.q.trim())]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let pager = Pager::new(
        "/teams",
        &serde_urlencoded::to_string(filters).unwrap_or_default(),
        "after",
        next.as_deref(),
    )
    .paged(paged);
    Ok(ListPage {
        teams: rows
            .into_iter()
            .map(|t| {
                let hours = hours_text(t.hours_tenths);
                (t, hours)
            })
            .collect(),
        domains: Domain::ALL,
        can_found: user.scope_for::<Reporter>() != Scope::Nothing,
        pager,
        query,
        ctx,
    })
}

//! The units list: filters, counts per filter and keyset pages, scoped: a secretary sees
//! only their own unit.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use serde::Deserialize;

use crate::auth::extract::{Business, Require};
use crate::db;
use crate::db::survey::SurveyRow;
use crate::db::unit::{Facets, Filter, ListRow};
use crate::domain::ids::{SurveyId, UnitId};
use crate::domain::role::Role;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::layout::PageContext;
use crate::web::paging::Pager;
use crate::web::query::UnitFilterQuery;

pub const PAGE_SIZE: i64 = 50;

/// The list's query string, as text so that odd values are ignored rather than refused.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(flatten)]
    pub filters: UnitFilterQuery,
    pub survey: Option<String>,
    pub after: Option<String>,
}

impl ListQuery {
    pub fn filter(&self) -> Filter {
        self.filters.filter()
    }

    pub fn survey_id(&self) -> Result<Option<SurveyId>> {
        crate::web::query::optional_id(self.survey.as_deref())
    }

    pub fn cursor(&self) -> Option<(String, UnitId)> {
        crate::web::pair_cursor(self.after.as_deref())
    }
}

pub fn encode_cursor(name: &str, id: UnitId) -> String {
    crate::web::encode_pair(name, id.0)
}

/// The filters as a query string, without the cursor, for links and the pager.
pub fn query_string(filter: &Filter, survey: Option<SurveyId>) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(kind) = &filter.kind {
        pairs.push(("kind", kind.clone()));
    }
    if let Some(status) = &filter.status {
        pairs.push(("status", status.to_string()));
    }
    if let Some(v) = filter.has_members {
        pairs.push(("has_members", v.to_string()));
    }
    if let Some(v) = filter.has_organization {
        pairs.push(("has_organization", v.to_string()));
    }
    if filter.eligible_missing {
        pairs.push(("eligible_missing", "true".into()));
    }
    if filter.eligible {
        pairs.push(("eligible", "true".into()));
    }
    if filter.in_round {
        pairs.push(("in_round", "true".into()));
    }
    if let Some(v) = filter.pending {
        pairs.push(("pending", v.to_string()));
    }
    if !filter.q.is_empty() {
        pairs.push(("q", filter.q.clone()));
    }
    if filter.include_closed {
        pairs.push(("closed", "true".into()));
    }
    if let Some(id) = survey {
        pairs.push(("survey", id.to_string()));
    }
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// A round: the one asked for, else the latest.
pub async fn round(state: &AppState, asked: Option<SurveyId>) -> Result<Option<SurveyRow>> {
    let round = db::survey::get_or_latest(&state.db, asked).await?;
    if asked.is_some() && round.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(round)
}

#[derive(Template, WebTemplate)]
#[template(path = "units/index.html")]
pub struct UnitsPage {
    ctx: PageContext,
    rows: Vec<ListRow>,
    facets: Facets,
    filter: Filter,
    round: Option<SurveyRow>,
    rounds: Vec<SurveyRow>,
    pager: Pager,
    can_edit: bool,
}

impl UnitsPage {
    fn selected<T: std::fmt::Display>(&self, value: &Option<T>, option: &str) -> bool {
        value.as_ref().is_some_and(|v| v.to_string() == option)
    }

    fn flag_is(&self, value: &Option<bool>, option: &str) -> bool {
        value.map(|b| b.to_string()).as_deref() == Some(option)
    }
}

pub async fn list_units(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    Query(query): Query<ListQuery>,
) -> Result<UnitsPage> {
    let filter = query.filter();
    let round = round(&state, query.survey_id()?).await?;
    let survey = round.as_ref().map(|r| r.survey_id);
    let after = query.cursor();
    let mut rows = db::unit::list(
        &state.db,
        &user.scope,
        survey,
        &filter,
        after.as_ref(),
        PAGE_SIZE + 1,
    )
    .await?;
    let next = crate::web::next_page(&mut rows, PAGE_SIZE, |r| encode_cursor(&r.name, r.unit_id));
    let facets = db::unit::facets(&state.db, &user.scope, survey, &filter).await?;
    Ok(UnitsPage {
        can_edit: user.has(Role::Committee),
        rounds: db::survey::list(&state.db).await?,
        pager: Pager::new(
            "/units",
            &query_string(&filter, query.survey_id()?),
            "after",
            next.as_deref(),
        )
        .paged(after.is_some()),
        ctx,
        rows,
        facets,
        filter,
        round,
    })
}

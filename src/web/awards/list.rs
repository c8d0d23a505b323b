//! The list of 青年文明号 posts: narrowed by state, level, unit and whether a review is due
//! (within 60 days or overdue, by the zone's today), by name, one keyset page at a time,
//! with the recognised posts by level above it; and the same list as a workbook.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::auth::extract::{Business, ClientAddr, Reporter, Require};
use crate::db::{self, award::AwardRow, award::Filter};
use crate::domain::audit::Action as AuditAction;
use crate::domain::award::{self, Due, Level, State as PostState};
use crate::domain::ids::{AwardId, UnitId};
use crate::domain::role::Scope;
use crate::error::Result;
use crate::export::awards::AwardLine;
use crate::state::AppState;
use crate::web::layout::PageContext;
use crate::web::paging::Pager;
use crate::web::respond::{XLSX, download};

/// Posts per page.
pub const PAGE: i64 = 50;
/// The most posts one export holds.
const EXPORT_LIMIT: i64 = 20_000;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub unit: String,
    /// `1`: only posts whose review is due within 60 days or overdue.
    #[serde(default)]
    pub due: String,
    pub after: Option<String>,
}

impl ListQuery {
    /// The filter these parameters ask for; anything unreadable is no filter.
    fn filter(&self, today: NaiveDate) -> Filter {
        Filter {
            state: PostState::from_code(self.state.trim()),
            level: Level::from_code(self.level.trim()),
            unit: self.unit.trim().parse::<i64>().ok().map(UnitId),
            due_by: (crate::web::query::flag(Some(self.due.as_str())) == Some(true))
                .then(|| award::due_horizon(today)),
        }
    }

    /// The filters as a query string, for the pager and the export link.
    pub fn encoded(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("state", self.state.trim()),
            ("level", self.level.trim()),
            ("unit", self.unit.trim()),
            ("due", self.due.trim()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    pub fn due_only(&self) -> bool {
        crate::web::query::flag(Some(self.due.as_str())) == Some(true)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "awards/index.html")]
pub struct ListPage {
    ctx: PageContext,
    posts: Vec<(AwardRow, Option<Due>)>,
    total: i64,
    /// Posts in scope whose review is due within 60 days or overdue.
    due_total: i64,
    by_level: Vec<(Level, i64)>,
    query: ListQuery,
    states: [PostState; 7],
    levels: [Level; 4],
    units: Vec<(UnitId, String)>,
    can_register: bool,
    encoded: String,
    pager: Pager,
}

pub async fn list_awards(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    Query(query): Query<ListQuery>,
) -> Result<ListPage> {
    let today = state.clock.today();
    let filter = query.filter(today);
    let after = crate::web::pair_cursor::<AwardId>(query.after.as_deref());
    let paged = after.is_some();
    let mut rows = db::award::list(&state.db, &user.scope, &filter, after, PAGE + 1).await?;
    let next = crate::web::next_page(&mut rows, PAGE, |a| {
        crate::web::encode_pair(&a.name, a.award_id)
    });
    let encoded = query.encoded();
    let pager = Pager::new("/awards", &encoded, "after", next.as_deref()).paged(paged);
    let due_filter = Filter {
        due_by: Some(award::due_horizon(today)),
        ..Filter::default()
    };
    let held = db::award::recognized_by_level(&state.db, &user.scope).await?;
    let by_level = Level::ALL
        .into_iter()
        .map(|l| (l, held.iter().find(|h| h.0 == l).map_or(0, |h| h.1)))
        .collect();
    Ok(ListPage {
        posts: rows
            .into_iter()
            .map(|a| {
                let due = award::due_flag(a.state, a.review_due_on, today);
                (a, due)
            })
            .collect(),
        total: db::award::count(&state.db, &user.scope, &filter).await?,
        due_total: db::award::count(&state.db, &user.scope, &due_filter).await?,
        by_level,
        states: PostState::ALL,
        levels: Level::ALL,
        units: db::award::units(&state.db, &user.scope).await?,
        can_register: user.scope_for::<Reporter>() != Scope::Nothing,
        encoded,
        pager,
        query,
        ctx,
    })
}

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// The list with its filters as a workbook, audited.
pub async fn export_awards(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    address: ClientAddr,
    Query(query): Query<ListQuery>,
) -> Result<Response> {
    let today = state.clock.today();
    let rows = db::award::list(
        &state.db,
        &user.scope,
        &query.filter(today),
        None,
        EXPORT_LIMIT,
    )
    .await?;
    let lines: Vec<AwardLine> = rows
        .iter()
        .map(|a| AwardLine {
            name: &a.name,
            collective: a.collective.label(),
            unit: &a.unit_name,
            leader: &a.leader_name,
            state: a.state.label(),
            registered_on: a.registered_on.to_string(),
            level: a.level.map_or("", Level::label),
            document_number: a.document_number.as_deref().unwrap_or(""),
            recognized_on: day(a.recognized_on),
            reviewed_on: day(a.reviewed_on),
            review_due_on: day(a.review_due_on.filter(|_| a.state.holds_title())),
            due: award::due_flag(a.state, a.review_due_on, today).map_or("", Due::label),
        })
        .collect();
    let title = format!("青年文明号创建及认定情况表（截至{today}）");
    let bytes = crate::export::awards::list(&title, &lines)
        .map_err(|e| anyhow::anyhow!("writing the award list: {e}"))?;
    db::audit::record(
        &state.db,
        state.clock.now(),
        &user.actor(&address),
        db::audit::Event::new(AuditAction::AwardExported, "award", "list")
            .after(serde_json::json!({ "filter": query.encoded(), "posts": lines.len() })),
    )
    .await?;
    Ok(download("青年文明号.xlsx", "awards.xlsx", XLSX, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filters_read_leniently_and_encode_back() {
        let today = NaiveDate::from_ymd_opt(2021, 8, 9).unwrap();
        let query = ListQuery {
            state: "recognized".into(),
            level: "moon".into(),
            unit: "x".into(),
            due: "1".into(),
            after: None,
        };
        let filter = query.filter(today);
        assert_eq!(filter.state, Some(PostState::Recognized));
        assert_eq!(filter.level, None);
        assert_eq!(filter.unit, None);
        assert_eq!(filter.due_by, NaiveDate::from_ymd_opt(2021, 10, 8));
        assert_eq!(query.encoded(), "state=recognized&level=moon&unit=x&due=1");
    }
}

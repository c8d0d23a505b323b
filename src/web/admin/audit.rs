//! The audit log, newest first, filtered by action, user and day. Administrators see who did
//! what to which record and which fields changed, never the values: those are business and
//! personal data (DESIGN.md §1: admins see no business data; issue 18 item 6).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use chrono::{DateTime, NaiveDate, Utc};

use crate::db::{self};
use crate::error::Result;
use crate::state::AppState;
use crate::web::layout::PageContext;
use crate::web::paging::Pager;

use super::{AdminUser, PAGE_SIZE, format_time};

pub struct AuditRow {
    at: String,
    username: String,
    action: String,
    entity: String,
    entity_id: String,
    /// The fields the change touched, by name.
    fields: String,
    address: String,
}

/// The names of the fields in an event's before and after values, sorted and joined;
/// empty when they are not objects.
fn field_names(values: [Option<&serde_json::Value>; 2]) -> String {
    let mut names: Vec<&str> = values
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_object())
        .flat_map(|o| o.keys().map(String::as_str))
        .collect();
    names.sort_unstable();
    names.dedup();
    names.join("、")
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    ctx: PageContext,
    filter: db::audit::Filter,
    actions: Vec<String>,
    rows: Vec<AuditRow>,
    error: Option<&'static str>,
    pager: Pager,
}

/// The instant a local day (YYYY-MM-DD) begins, `days_after` days later; empty is no bound.
fn parse_day(
    clock: &crate::clock::Clock,
    s: &str,
    days_after: u64,
) -> std::result::Result<Option<DateTime<Utc>>, ()> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let day = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| ())?;
    let day = day
        .checked_add_days(chrono::Days::new(days_after))
        .ok_or(())?;
    Ok(Some(clock.start_of(day)))
}

pub(super) async fn list_audit(
    State(state): State<AppState>,
    _admin: AdminUser,
    ctx: PageContext,
    Query(filter): Query<db::audit::Filter>,
) -> Result<AuditPage> {
    let from = parse_day(&state.clock, &filter.from, 0);
    let to = parse_day(&state.clock, &filter.to, 1);
    let (rows, error) = match (from, to) {
        (Ok(from), Ok(to)) => {
            let rows = db::audit::list(&state.db, &filter, from, to, PAGE_SIZE + 1).await?;
            (rows, None)
        }
        _ => (Vec::new(), Some("日期格式应为 年-月-日，例如 2018-06-01")),
    };
    let query_without_cursor = serde_urlencoded::to_string([
        ("username", filter.username.as_str()),
        ("action", filter.action.as_str()),
        ("from", filter.from.as_str()),
        ("to", filter.to.as_str()),
    ])
    .unwrap_or_default();
    let next = (rows.len() as i64 > PAGE_SIZE)
        .then(|| rows[PAGE_SIZE as usize - 1].audit_event_id.to_string());
    let pager = Pager::new(
        "/admin/audit",
        &query_without_cursor,
        "after",
        next.as_deref(),
    )
    .paged(filter.after.is_some());
    let rows = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|r| AuditRow {
            at: format_time(&state.clock, r.occurred_at),
            username: r.username,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            fields: field_names([r.before.as_ref(), r.after.as_ref()]),
            address: r.address,
        })
        .collect();
    Ok(AuditPage {
        ctx,
        actions: db::audit::actions(&state.db).await?,
        rows,
        error,
        pager,
        filter,
    })
}

//! Rosters: one organisation's, everyone in scope with filters, and the workbook export.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

use super::{PAGE_SIZE, RosterQuery, cursor, encode_cursor};
use crate::auth::extract::{Business, ClientAddr, Require};
use crate::db::{self, audit::Event, member::MemberRow, organization::OrganizationRow};
use crate::domain::audit::Action as AuditAction;
use crate::domain::disclosure::Reader;
use crate::domain::ids::{MemberId, OrganizationId};
use crate::domain::role::Scope;
use crate::error::{AppError, Result};
use crate::export::{
    self,
    roster::{Birth, RosterLine},
};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::layout::PageContext;
use crate::web::organizations::open_org;
use crate::web::paging::Pager;
use crate::web::respond::{XLSX, download};

#[derive(Template, WebTemplate)]
#[template(path = "members/index.html")]
pub struct RosterPage {
    ctx: PageContext,
    org: OrganizationRow,
    rows: Vec<MemberRow>,
    q: String,
    pager: Pager,
    can_write: bool,
    reader: Reader,
    today: NaiveDate,
}

impl RosterPage {
    fn reveals(&self, member: &MemberRow) -> bool {
        super::reveals(self.reader, member, self.today)
    }
}

pub async fn show_roster(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    PathOr404(id): PathOr404<OrganizationId>,
    Query(query): Query<RosterQuery>,
) -> Result<RosterPage> {
    let org = open_org(&state, &user, id).await?;
    let filter = query.filter(Some(id), state.clock.today());
    let q = filter.q.clone();
    let mut rows = db::member::list(
        &state.db,
        &user.scope,
        &filter,
        cursor(&query.after).as_ref(),
        PAGE_SIZE + 1,
    )
    .await?;
    let next = crate::web::next_page(&mut rows, PAGE_SIZE, encode_cursor);
    let can_write = crate::web::scoped::may::<crate::auth::extract::Reporter, _, _, _>(
        &user,
        |scope| async move { db::organization::get(&state.db, id, &scope).await },
    )
    .await?;
    Ok(RosterPage {
        can_write,
        reader: user.reader(can_write),
        today: state.clock.today(),
        pager: Pager::new(
            &format!("/organizations/{}/members", org.organization_id),
            &serde_urlencoded::to_string([("q", &q)]).unwrap_or_default(),
            "after",
            next.as_deref(),
        ),
        org,
        rows,
        q,
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "members/all.html")]
pub struct AllMembersPage {
    ctx: PageContext,
    rows: Vec<MemberRow>,
    organizations: Vec<db::organization::OrganizationName>,
    query: RosterQuery,
    query_string: String,
    count: i64,
    count_cap: i64,
    pager: Pager,
    today: NaiveDate,
    is_committee: bool,
}

impl AllMembersPage {
    fn count_text(&self) -> String {
        crate::web::paging::count_text(self.count, self.count_cap)
    }

    fn is(&self, value: &Option<String>, option: &str) -> bool {
        value.as_deref() == Some(option)
    }

    fn org_selected(&self, id: &OrganizationId) -> bool {
        self.query.organization.as_deref() == Some(id.to_string().as_str())
    }
}

/// The most organisations offered as a filter list.
const CHOICES: i64 = 300;

/// `/members`: every member in the user's scope, with filters, counts and pages.
pub async fn show_all(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    Query(query): Query<RosterQuery>,
) -> Result<AllMembersPage> {
    let today = state.clock.today();
    let filter = query.filter(None, today);
    let count_cap = super::count_cap(&filter);
    let mut rows = db::member::list(
        &state.db,
        &user.scope,
        &filter,
        cursor(&query.after).as_ref(),
        PAGE_SIZE + 1,
    )
    .await?;
    let count = crate::web::paging::counted(
        cursor(&query.after).is_none(),
        rows.len(),
        PAGE_SIZE,
        db::member::count(&state.db, &user.scope, &filter, count_cap + 1),
    )
    .await?;
    let next = crate::web::next_page(&mut rows, PAGE_SIZE, encode_cursor);
    let query_string = serde_urlencoded::to_string([
        ("q", query.q.as_str()),
        ("organization", query.organization.as_deref().unwrap_or("")),
        ("age", query.age.as_deref().unwrap_or("")),
        ("post", query.post.as_deref().unwrap_or("")),
        ("state", query.state.as_deref().unwrap_or("")),
    ])
    .unwrap_or_default();
    Ok(AllMembersPage {
        count,
        count_cap,
        // A choice list only while it is short; each organisation's page links here.
        organizations: db::organization::choice_names(&state.db, &user.scope, CHOICES).await?,
        is_committee: user.has(crate::domain::role::Role::Committee),
        rows,
        query,
        pager: Pager::new("/members", &query_string, "after", next.as_deref()),
        query_string,
        today,
        ctx,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    #[serde(flatten)]
    filter: RosterQuery,
    /// `1` for the full resident IDs and phones: committee only, audited.
    #[serde(default)]
    full: String,
}

/// The roster (with the list's filters) as a workbook: masked by default; full numbers
/// only for the committee. Every export is an audit event.
pub async fn export(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    address: ClientAddr,
    Query(query): Query<ExportQuery>,
) -> Result<Response> {
    let full = query.full == "1";
    let keeps = user.scope_for::<crate::auth::extract::Reporter>() != Scope::Nothing;
    let reader = user.reader(keeps);
    if full && !crate::domain::disclosure::may_export_whole(reader) {
        return Err(AppError::Forbidden);
    }
    let today = state.clock.today();
    let filter = query.filter.filter(None, today);
    // Full numbers are listed through the committee grant alone, never a wider one.
    let scope = if full {
        user.scope_for::<crate::auth::extract::Committee>()
    } else {
        user.scope.clone()
    };
    let rows = db::member::list(&state.db, &scope, &filter, None, 100_000).await?;
    // One query for all the full numbers, not one per member.
    let mut full_numbers = if full {
        let ids: Vec<MemberId> = rows.iter().map(|r| r.member_id).collect();
        db::member::reveal_many(&state.db, &state.keys, &ids).await?
    } else {
        Default::default()
    };
    let people: Vec<RosterLine> = rows
        .iter()
        .map(|row| {
            let (resident_id, phone) = match full_numbers.remove(&row.member_id) {
                Some((id, phone)) => (id, phone.unwrap_or_default()),
                None => (
                    row.resident_id_masked.clone(),
                    row.phone_masked.clone().unwrap_or_default(),
                ),
            };
            RosterLine {
                name: &row.name,
                organization: &row.organization_name,
                sex: &row.sex,
                ethnicity: &row.ethnicity,
                birth: if full {
                    Birth::Date(row.birth_date)
                } else {
                    Birth::Age(row.age_on(today))
                },
                resident_id,
                phone,
                joined_on: row.joined_on,
                education: row.education.as_deref(),
                political_status: &row.political_status,
                league_post: row.league_post.as_deref(),
                state: row.state_label(),
            }
        })
        .collect();
    let bytes =
        export::roster::members(&people).map_err(|e| anyhow::anyhow!("writing the roster: {e}"))?;
    let action = if full {
        AuditAction::MemberExportedFull
    } else {
        AuditAction::MemberExported
    };
    db::audit::record(
        &state.db,
        state.clock.now(),
        &user.actor(&address),
        Event::new(action, "member", "").after(json!({ "rows": rows.len(), "full": full })),
    )
    .await?;
    let name = if full {
        "团员名册-完整号码.xlsx"
    } else {
        "团员名册.xlsx"
    };
    Ok(download(name, "members.xlsx", XLSX, bytes))
}

//! The units list: its filters, written as only the conditions in force, the keyset pages,
//! and the facet counts, counted or read from the maintained facets. Over 300 lines because
//! the filters are written once over three sets of columns (units, a locked round's
//! snapshot, the kept facets) that must agree, and splitting them apart would let them drift.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::{PgPool, Postgres, QueryBuilder};

use super::{Status, UnitKind};
use crate::domain::ids::{SurveyId, UnitId};
use crate::domain::role::Scope;

/// The filters of the units list and `GET /api/v1/units`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub kind: Option<String>,
    pub status: Option<Status>,
    pub has_members: Option<bool>,
    pub has_organization: Option<bool>,
    pub eligible_missing: bool,
    /// With 3 or more members (eligible to form an organisation), with one or without.
    pub eligible: bool,
    /// With an entry in the round: the units its figures count, closed ones too.
    pub in_round: bool,
    /// With an application submitted and waiting for approval.
    pub pending: Option<bool>,
    pub q: String,
    pub include_closed: bool,
}

/// The `kind` filter value for departments and communities together.
pub const DEPARTMENT_OR_COMMUNITY: &str = "department_community";

/// The filters' columns: on units joined to the round's entry, or on the maintained
/// facets (migration 0013), which keep the same facts per group of units.
struct Columns {
    kind: &'static str,
    pending: &'static str,
    status: &'static str,
    has_members: &'static str,
    has_organization: &'static str,
    eligible_missing: &'static str,
    eligible: &'static str,
    in_round: &'static str,
}

const UNIT_COLUMNS: Columns = Columns {
    kind: "u.kind",
    pending: "u.application_pending",
    status: "coalesce(e.status, u.status)",
    has_members: "coalesce(e.members, 0) > 0",
    has_organization: "u.has_organization",
    eligible_missing: "(coalesce(e.members, 0) >= 3 and not u.has_organization)",
    eligible: "coalesce(e.members, 0) >= 3",
    in_round: "e.unit_id is not null",
};

/// The same on a locked round's snapshot of the units (migration 0021): the facts as they
/// were when it was locked.
const SNAPSHOT_COLUMNS: Columns = Columns {
    kind: "f.kind",
    pending: "f.application_pending",
    status: "coalesce(e.status, f.status)",
    has_members: "coalesce(e.members, 0) > 0",
    has_organization: "f.has_organization",
    eligible_missing: "(coalesce(e.members, 0) >= 3 and not f.has_organization)",
    eligible: "coalesce(e.members, 0) >= 3",
    in_round: "e.unit_id is not null",
};

const FACET_COLUMNS: Columns = Columns {
    kind: "kind",
    pending: "pending",
    status: "status",
    has_members: "has_members",
    has_organization: "has_organization",
    eligible_missing: "eligible_missing",
    eligible: "eligible",
    // Not kept: `facets` counts the units for this filter instead.
    in_round: "false",
};

/// Whether the round is locked, so that its lists read its snapshot.
async fn frozen(db: &PgPool, survey: Option<SurveyId>) -> sqlx::Result<bool> {
    match survey {
        Some(survey) => crate::db::survey::is_locked(db, survey).await,
        None => Ok(false),
    }
}

/// The base of the list queries: units in scope with the round's entry, searched, open
/// ones unless closed ones are asked for. A locked round (`frozen`) lists the units of its
/// snapshot, open or closed as they were.
///
/// Only the conditions in force are written, with yes/no filters as literals, so each
/// combination is its own statement with a plan PostgreSQL keeps and that can use the
/// partial indexes (a `$5 is null or` condition is planned afresh on every call).
fn push_base(
    q: &mut QueryBuilder<'_, Postgres>,
    scope: &Scope,
    survey: Option<SurveyId>,
    filter: &Filter,
    frozen: bool,
) {
    if frozen {
        q.push(
            " from survey_unit_snapshot f join unit u on u.unit_id = f.unit_id
              left join survey_entry e on e.unit_id = f.unit_id and e.survey_id = f.survey_id
             where f.survey_id = ",
        );
        q.push_bind(survey);
    } else {
        q.push(" from unit u left join survey_entry e on e.unit_id = u.unit_id and e.survey_id = ");
        q.push_bind(survey);
        q.push(" where true");
    }
    if let Some(units) = scope.unit_filter() {
        q.push(" and u.unit_id = any(").push_bind(units).push(")");
    }
    let search = filter.q.as_str();
    if !search.is_empty() {
        q.push(" and (strpos(u.name, ")
            .push_bind(search.to_string());
        q.push(") > 0 or u.credit_code = upper(")
            .push_bind(search.to_string())
            .push("))");
    }
    // A round's own units are the ones its figures count, closed since or not.
    if !filter.include_closed && !filter.in_round {
        q.push(if frozen {
            " and not f.closed"
        } else {
            " and u.closed_on is null"
        });
    }
}

fn columns(frozen: bool) -> &'static Columns {
    if frozen {
        &SNAPSHOT_COLUMNS
    } else {
        &UNIT_COLUMNS
    }
}

fn yes_no(column: &str, value: bool) -> String {
    if value {
        format!(" and {column}")
    } else {
        format!(" and not ({column})")
    }
}

/// The list's filters, on either set of columns.
fn push_filters(q: &mut QueryBuilder<'_, Postgres>, filter: &Filter, columns: &Columns) {
    match filter.kind.as_deref() {
        Some(DEPARTMENT_OR_COMMUNITY) => {
            q.push(format_args!(" and {} <> 'enterprise'", columns.kind));
        }
        Some(kind) => {
            q.push(format_args!(" and {} = ", columns.kind))
                .push_bind(kind.to_string());
        }
        None => {}
    }
    if let Some(pending) = filter.pending {
        q.push(yes_no(columns.pending, pending));
    }
    if let Some(status) = &filter.status {
        q.push(format_args!(" and {} = ", columns.status))
            .push_bind(*status);
    }
    if let Some(has_members) = filter.has_members {
        q.push(yes_no(columns.has_members, has_members));
    }
    if let Some(has_organization) = filter.has_organization {
        q.push(yes_no(columns.has_organization, has_organization));
    }
    if filter.eligible_missing {
        q.push(yes_no(columns.eligible_missing, true));
    }
    if filter.eligible {
        q.push(yes_no(columns.eligible, true));
    }
    if filter.in_round {
        q.push(yes_no(columns.in_round, true));
    }
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ListRow {
    pub unit_id: UnitId,
    pub name: String,
    pub kind: UnitKind,
    pub status: Option<Status>,
    pub credit_code: Option<String>,
    pub staff: Option<i32>,
    pub youth: Option<i32>,
    pub members: Option<i32>,
    pub has_organization: bool,
    pub closed_on: Option<NaiveDate>,
}

impl ListRow {
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }
}

/// One page in name order after the cursor `(name, id)`.
pub async fn list(
    db: &PgPool,
    scope: &Scope,
    survey: Option<SurveyId>,
    filter: &Filter,
    after: Option<&(String, UnitId)>,
    limit: i64,
) -> sqlx::Result<Vec<ListRow>> {
    let frozen = frozen(db, survey).await?;
    let mut q = QueryBuilder::new(if frozen {
        "select u.unit_id, u.name, f.kind, coalesce(e.status, f.status) as status, u.credit_code,
                e.staff, e.youth, e.members, f.has_organization,
                case when f.closed then u.closed_on end as closed_on"
    } else {
        "select u.unit_id, u.name, u.kind, coalesce(e.status, u.status) as status, u.credit_code,
                e.staff, e.youth, e.members, u.has_organization, u.closed_on"
    });
    push_base(&mut q, scope, survey, filter, frozen);
    push_filters(&mut q, filter, columns(frozen));
    if let Some((name, id)) = after {
        q.push(" and (u.name, u.unit_id) > (")
            .push_bind(name.clone());
        q.push(", ").push_bind(*id).push(")");
    }
    // The limit is written in, so that the kept plan is costed for one page.
    q.push(format_args!(" order by u.name, u.unit_id limit {limit}"));
    q.build_query_as().fetch_all(db).await
}

/// How many units each choice of the filters would show: the current filters with that one
/// choice made instead (within the scope, round and search), so that choosing it lists as
/// many units as it says, and how many the current filters show, in one query.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Facets {
    pub total: i64,
    pub matching: i64,
    pub departments: i64,
    pub communities: i64,
    pub enterprises: i64,
    pub operating: i64,
    pub building: i64,
    pub stopped: i64,
    pub closed: i64,
    pub with_members: i64,
    pub without_members: i64,
    pub with_organization: i64,
    pub without_organization: i64,
    pub eligible_missing: i64,
}

pub async fn facets(
    db: &PgPool,
    scope: &Scope,
    survey: Option<SurveyId>,
    filter: &Filter,
) -> sqlx::Result<Facets> {
    match survey {
        Some(survey) if matches!(scope, Scope::Zone) && filter.q.is_empty() && !filter.in_round => {
            facets_kept(db, survey, filter).await
        }
        _ => facets_counted(db, scope, survey, filter).await,
    }
}

/// Each count of `Facets` with the filter it counts: the current one with one choice
/// changed (`total` is the current one without a kind).
fn facet_filters(filter: &Filter) -> [(&'static str, Filter); 14] {
    let with = |change: fn(&mut Filter)| {
        let mut changed = filter.clone();
        change(&mut changed);
        changed
    };
    [
        ("total", with(|f| f.kind = None)),
        ("matching", filter.clone()),
        ("departments", with(|f| f.kind = Some("department".into()))),
        ("communities", with(|f| f.kind = Some("community".into()))),
        ("enterprises", with(|f| f.kind = Some("enterprise".into()))),
        ("operating", with(|f| f.status = Some(Status::Operating))),
        ("building", with(|f| f.status = Some(Status::Building))),
        ("stopped", with(|f| f.status = Some(Status::Stopped))),
        ("closed", with(|f| f.status = Some(Status::Closed))),
        ("with_members", with(|f| f.has_members = Some(true))),
        ("without_members", with(|f| f.has_members = Some(false))),
        (
            "with_organization",
            with(|f| f.has_organization = Some(true)),
        ),
        (
            "without_organization",
            with(|f| f.has_organization = Some(false)),
        ),
        ("eligible_missing", with(|f| f.eligible_missing = true)),
    ]
}

/// The select list of `Facets` over either set of columns: `each` is what is added up per
/// row, `count(*)` over units or `sum(units)` over the kept facets.
fn push_facets(q: &mut QueryBuilder<'_, Postgres>, filter: &Filter, columns: &Columns, each: &str) {
    for (n, (name, counted)) in facet_filters(filter).iter().enumerate() {
        let comma = if n == 0 { "select" } else { "," };
        q.push(format_args!("{comma} coalesce({each} filter (where true"));
        push_filters(q, counted, columns);
        q.push(format_args!("), 0)::bigint as {name}"));
    }
}

/// The counts, counted: for a scope or a search, where few units match.
pub async fn facets_counted(
    db: &PgPool,
    scope: &Scope,
    survey: Option<SurveyId>,
    filter: &Filter,
) -> sqlx::Result<Facets> {
    let frozen = frozen(db, survey).await?;
    let mut q = QueryBuilder::new("");
    push_facets(&mut q, filter, columns(frozen), "count(*)");
    push_base(&mut q, scope, survey, filter, frozen);
    q.build_query_as().fetch_one(db).await
}

/// The same counts from the maintained facets: the zone-wide view of a round without a
/// search reads a few hundred rows instead of every unit.
pub async fn facets_kept(db: &PgPool, survey: SurveyId, filter: &Filter) -> sqlx::Result<Facets> {
    let mut q = QueryBuilder::new("");
    push_facets(&mut q, filter, &FACET_COLUMNS, "sum(units)");
    q.push(" from unit_facet where survey_id = ")
        .push_bind(survey);
    if !filter.include_closed {
        q.push(" and not closed");
    }
    q.build_query_as().fetch_one(db).await
}

//! Units of the zone: the scoped list with its filters, facet counts and keyset pages, the
//! detail with its history, and writes.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgExecutor, PgPool, Postgres, QueryBuilder};

use crate::domain::ids::{SurveyId, UnitId};
use crate::domain::role::Scope;

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct UnitRow {
    pub unit_id: UnitId,
    pub kind: String,
    pub name: String,
    pub credit_code: Option<String>,
    pub status: Option<String>,
    pub contact_person: Option<String>,
}

impl UnitRow {
    pub fn kind_label(&self) -> &'static str {
        kind_label(&self.kind)
    }
}

pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "department" => "部门",
        "community" => "社区",
        "enterprise" => "企业",
        _ => "其他",
    }
}

pub async fn find_id_by_name(db: impl PgExecutor<'_>, name: &str) -> sqlx::Result<Option<UnitId>> {
    sqlx::query_scalar("select unit_id from unit where name = $1")
        .bind(name.trim())
        .fetch_optional(db)
        .await
}

/// The units in scope, by name; a secretary's own.
pub async fn list_scoped(db: &PgPool, scope: &Scope, limit: i64) -> sqlx::Result<Vec<UnitRow>> {
    sqlx::query_as(
        "select unit_id, kind, name, credit_code, status, contact_person
           from unit
          where ($1::bigint[] is null or unit_id = any($1))
          order by name limit $2",
    )
    .bind(scope.unit_filter())
    .bind(limit)
    .fetch_all(db)
    .await
}

/// The unit of that name, created with only a name and kind if it does not exist yet.
pub async fn ensure_named(db: &mut PgConnection, name: &str, kind: &str) -> sqlx::Result<UnitId> {
    if let Some(id) = find_id_by_name(&mut *db, name).await? {
        return Ok(id);
    }
    sqlx::query_scalar("insert into unit (kind, name) values ($1, $2) returning unit_id")
        .bind(kind)
        .bind(name)
        .fetch_one(db)
        .await
}

/// All unit names, for choosing a secretary's unit.
pub async fn names(db: &PgPool) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("select name from unit where closed_on is null order by name")
        .fetch_all(db)
        .await
}

/// The filters of the units list and `GET /api/v1/units`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub kind: Option<String>,
    pub status: Option<String>,
    pub has_members: Option<bool>,
    pub has_organization: Option<bool>,
    pub eligible_missing: bool,
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
}

const UNIT_COLUMNS: Columns = Columns {
    kind: "u.kind",
    pending: "u.application_pending",
    status: "coalesce(e.status, u.status)",
    has_members: "coalesce(e.members, 0) > 0",
    has_organization: "u.has_organization",
    eligible_missing: "(coalesce(e.members, 0) >= 3 and not u.has_organization)",
};

const FACET_COLUMNS: Columns = Columns {
    kind: "kind",
    pending: "pending",
    status: "status",
    has_members: "has_members",
    has_organization: "has_organization",
    eligible_missing: "eligible_missing",
};

/// The base of the list queries: units in scope with the round's entry, searched, open
/// ones unless closed ones are asked for.
///
/// Only the conditions in force are written, with yes/no filters as literals, so each
/// combination is its own statement with a plan PostgreSQL keeps and that can use the
/// partial indexes (a `$5 is null or` condition is planned afresh on every call).
fn push_base(
    q: &mut QueryBuilder<'_, Postgres>,
    scope: &Scope,
    survey: Option<SurveyId>,
    filter: &Filter,
) {
    q.push(" from unit u left join survey_entry e on e.unit_id = u.unit_id and e.survey_id = ");
    q.push_bind(survey);
    q.push(" where true");
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
    if !filter.include_closed {
        q.push(" and u.closed_on is null");
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
            .push_bind(status.clone());
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
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ListRow {
    pub unit_id: UnitId,
    pub name: String,
    pub kind: String,
    pub status: Option<String>,
    pub credit_code: Option<String>,
    pub staff: Option<i32>,
    pub youth: Option<i32>,
    pub members: Option<i32>,
    pub has_organization: bool,
    pub closed_on: Option<NaiveDate>,
}

impl ListRow {
    pub fn kind_label(&self) -> &'static str {
        kind_label(&self.kind)
    }
}

/// One page in name order after the cursor `(name, id)`.
pub async fn list(
    db: &PgPool,
    scope: &Scope,
    survey: Option<SurveyId>,
    filter: &Filter,
    after: Option<&(String, i64)>,
    limit: i64,
) -> sqlx::Result<Vec<ListRow>> {
    let mut q = QueryBuilder::new(
        "select u.unit_id, u.name, u.kind, coalesce(e.status, u.status) as status, u.credit_code,
                e.staff, e.youth, e.members, u.has_organization, u.closed_on",
    );
    push_base(&mut q, scope, survey, filter);
    push_filters(&mut q, filter, &UNIT_COLUMNS);
    if let Some((name, id)) = after {
        q.push(" and (u.name, u.unit_id) > (")
            .push_bind(name.clone());
        q.push(", ").push_bind(*id).push(")");
    }
    // The limit is written in, so that the kept plan is costed for one page.
    q.push(format_args!(" order by u.name, u.unit_id limit {limit}"));
    q.build_query_as().fetch_all(db).await
}

/// How many units each filter would show (within the scope, round and search), and how
/// many the current filters show, in one query.
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
        Some(survey) if matches!(scope, Scope::Zone) && filter.q.is_empty() => {
            facets_kept(db, survey, filter).await
        }
        _ => facets_counted(db, scope, survey, filter).await,
    }
}

/// The select list of `Facets` over either set of columns: `each` is what is added up per
/// row, `count(*)` over units or `sum(units)` over the kept facets.
fn push_facets(q: &mut QueryBuilder<'_, Postgres>, filter: &Filter, columns: &Columns, each: &str) {
    q.push(format_args!(
        "select coalesce({each}, 0)::bigint as total, coalesce({each} filter (where true"
    ));
    push_filters(q, filter, columns);
    q.push("), 0)::bigint as matching");
    let (kind, status) = (columns.kind, columns.status);
    let facts = [
        ("departments", format!("{kind} = 'department'")),
        ("communities", format!("{kind} = 'community'")),
        ("enterprises", format!("{kind} = 'enterprise'")),
        ("operating", format!("{status} = '运行'")),
        ("building", format!("{status} = '在建'")),
        ("stopped", format!("{status} = '停产'")),
        ("closed", format!("{status} = '注销'")),
        ("with_members", columns.has_members.to_string()),
        ("without_members", format!("not ({})", columns.has_members)),
        ("with_organization", columns.has_organization.to_string()),
        (
            "without_organization",
            format!("not ({})", columns.has_organization),
        ),
        ("eligible_missing", columns.eligible_missing.to_string()),
    ];
    for (name, condition) in facts {
        q.push(format_args!(
            ", coalesce({each} filter (where {condition}), 0)::bigint as {name}"
        ));
    }
}

/// The counts, counted: for a scope or a search, where few units match.
pub async fn facets_counted(
    db: &PgPool,
    scope: &Scope,
    survey: Option<SurveyId>,
    filter: &Filter,
) -> sqlx::Result<Facets> {
    let mut q = QueryBuilder::new("");
    push_facets(&mut q, filter, &UNIT_COLUMNS, "count(*)");
    push_base(&mut q, scope, survey, filter);
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

/// Everything the unit page and its form show.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Unit {
    pub unit_id: UnitId,
    pub kind: String,
    pub name: String,
    pub credit_code: Option<String>,
    pub status: Option<String>,
    pub industry: Option<String>,
    pub staff: Option<i32>,
    pub contact_person: Option<String>,
    pub contact_phone: Option<String>,
    pub closed_on: Option<NaiveDate>,
}

impl Unit {
    pub fn kind_label(&self) -> &'static str {
        kind_label(&self.kind)
    }
}

/// The unit if it lies in `scope`; out of scope reads as absent.
pub async fn get(db: impl PgExecutor<'_>, id: UnitId, scope: &Scope) -> sqlx::Result<Option<Unit>> {
    sqlx::query_as(
        "select unit_id, kind, name, credit_code, status, industry, staff, contact_person,
                contact_phone, closed_on
           from unit
          where unit_id = $1 and ($2::bigint[] is null or unit_id = any($2))",
    )
    .bind(id)
    .bind(scope.unit_filter())
    .fetch_optional(db)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HistoryRow {
    pub survey_id: SurveyId,
    pub as_of: NaiveDate,
    pub locked: bool,
    pub status: Option<String>,
    pub staff: Option<i32>,
    pub youth: i32,
    pub members: i32,
    pub reported_at: Option<DateTime<Utc>>,
    pub reported_by: Option<String>,
}

/// The unit's figures in every round, newest first.
pub async fn history(db: &PgPool, id: UnitId) -> sqlx::Result<Vec<HistoryRow>> {
    sqlx::query_as(
        "select s.survey_id, s.as_of, s.locked, e.status, e.staff, e.youth, e.members, e.reported_at,
                nullif(coalesce(nullif(a.display_name, ''), a.username), '') as reported_by
           from survey_entry e
           join survey s using (survey_id)
           left join account a on a.account_id = e.reported_by
          where e.unit_id = $1
          order by s.as_of desc",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

/// A checked unit, ready to be written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitInput {
    pub kind: &'static str,
    pub name: String,
    pub credit_code: Option<String>,
    pub status: Option<&'static str>,
    pub industry: Option<String>,
    pub staff: Option<i32>,
    pub contact_person: Option<String>,
    pub contact_phone: Option<String>,
}

pub async fn create(db: &mut PgConnection, unit: &UnitInput) -> sqlx::Result<UnitId> {
    sqlx::query_scalar(
        "insert into unit (kind, name, credit_code, status, industry, staff, contact_person, contact_phone)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning unit_id",
    )
    .bind(unit.kind)
    .bind(&unit.name)
    .bind(&unit.credit_code)
    .bind(unit.status)
    .bind(&unit.industry)
    .bind(unit.staff)
    .bind(&unit.contact_person)
    .bind(&unit.contact_phone)
    .fetch_one(db)
    .await
}

pub async fn update(db: &mut PgConnection, id: UnitId, unit: &UnitInput) -> sqlx::Result<()> {
    sqlx::query(
        "update unit set kind = $2, name = $3, credit_code = $4, status = $5, industry = $6,
                         staff = $7, contact_person = $8, contact_phone = $9
          where unit_id = $1",
    )
    .bind(id)
    .bind(unit.kind)
    .bind(&unit.name)
    .bind(&unit.credit_code)
    .bind(unit.status)
    .bind(&unit.industry)
    .bind(unit.staff)
    .bind(&unit.contact_person)
    .bind(&unit.contact_phone)
    .execute(db)
    .await?;
    Ok(())
}

/// Closes (注销) a unit: it leaves the lists; an enterprise's status becomes 注销.
pub async fn close(db: &mut PgConnection, id: UnitId, on: NaiveDate) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update unit set closed_on = $2, status = case when kind = 'enterprise' then '注销' else status end
          where unit_id = $1 and closed_on is null",
    )
    .bind(id)
    .bind(on)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

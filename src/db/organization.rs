//! League organisations: the tree, one organisation with its units and cadres, terms.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use crate::domain::ids::{CadreId, OrganizationId, UnitId};
pub use crate::domain::organization::Kind;
use crate::domain::role::Scope;

/// A document number founds one organisation (migration 0005).
pub const APPROVAL_NUMBER_UNIQUE: &str = "organization_approval_number_unique";
/// A unit has at most one organisation of its own (migration 0005).
pub const ONE_PER_UNIT: &str = "organization_one_per_unit";

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct OrganizationRow {
    pub organization_id: OrganizationId,
    pub parent_id: Option<OrganizationId>,
    pub kind: Kind,
    pub name: String,
    pub unit_id: Option<UnitId>,
    pub unit_name: Option<String>,
    pub established_on: Option<NaiveDate>,
    pub approved_on: Option<NaiveDate>,
    pub approval_number: Option<String>,
    pub secretary_name: Option<String>,
    pub term_years: i32,
    pub elected_on: Option<NaiveDate>,
    pub term_ends_on: Option<NaiveDate>,
    /// League members of its unit(s) in the latest round.
    pub members: Option<i64>,
    /// Organisations directly under it.
    pub children: i64,
}

impl OrganizationRow {
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }
}

const SELECT: &str = "
    select o.organization_id, o.parent_id, o.kind, o.name, o.unit_id, u.name as unit_name,
           o.established_on, o.approved_on, o.approval_number, o.secretary_name, o.term_years,
           o.elected_on, o.term_ends_on,
           (select sum(e.members) from survey_entry e
             where e.survey_id = (select survey_id from survey order by as_of desc limit 1)
               -- its own unit or a joint branch's, as an array so the index serves both
               and e.unit_id = any(array[o.unit_id]
                     || array(select j.unit_id from organization_unit j where j.organization_id = o.organization_id))
           )::bigint as members,
           (select count(*) from organization c where c.parent_id = o.organization_id) as children
      from organization o left join unit u on u.unit_id = o.unit_id";

/// A secretary reaches the organisations of their units (and joint ones they belong to).
const IN_SCOPE: &str = super::in_scope!("o.organization_id");

/// How many organisations in scope see their term end between the dates.
pub async fn terms_ending_count(
    db: &PgPool,
    scope: &Scope,
    from: NaiveDate,
    until: NaiveDate,
) -> sqlx::Result<i64> {
    let in_scope = super::scope_condition(scope, IN_SCOPE);
    sqlx::query_scalar(&format!(
        "select count(*) from organization o where {in_scope} and o.term_ends_on between $2 and $3"
    ))
    .bind(scope.unit_filter())
    .bind(from)
    .bind(until)
    .fetch_one(db)
    .await
}

/// An organisation's id and name, for choice lists.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct OrganizationName {
    pub organization_id: OrganizationId,
    pub name: String,
}

/// The branches in scope (not the committee) by name, for a choice list: names only, and
/// none when there are more than `limit`. They are counted first, unsorted and once (a
/// one-time filter), so a province's quarter million organisations cost a short scan
/// instead of `limit` sorted lookups.
pub async fn choice_names(
    db: &PgPool,
    scope: &Scope,
    limit: i64,
) -> sqlx::Result<Vec<OrganizationName>> {
    let in_scope = super::scope_condition(scope, IN_SCOPE);
    sqlx::query_as(&format!(
        "select o.organization_id, o.name from organization o
          where (select count(*) from (select 1 from organization o
                                        where {in_scope} and o.kind <> 'committee' limit $2 + 1) c) <= $2
            and {in_scope} and o.kind <> 'committee'
          order by o.name, o.organization_id limit $2"
    ))
    .bind(scope.unit_filter())
    .bind(limit)
    .fetch_all(db)
    .await
}

/// The committee, the root of the tree.
pub async fn committee(db: &PgPool) -> sqlx::Result<Option<OrganizationRow>> {
    sqlx::query_as(&format!("{SELECT} where o.kind = 'committee'"))
        .fetch_optional(db)
        .await
}

/// One level of the tree for the whole zone: the organisations directly under `parent`,
/// by name after the cursor.
pub async fn children(
    db: &PgPool,
    parent: OrganizationId,
    after: Option<&(String, OrganizationId)>,
    limit: i64,
) -> sqlx::Result<Vec<OrganizationRow>> {
    sqlx::query_as(&format!(
        "{SELECT} where o.parent_id = $1
            and ($2::text is null or (o.name, o.organization_id) > ($2, $3))
          order by o.name, o.organization_id limit $4"
    ))
    .bind(parent)
    .bind(after.map(|a| a.0.as_str()))
    .bind(after.map(|a| a.1))
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Organisations in scope, parents before children, by name.
pub async fn list(
    db: &PgPool,
    scope: &Scope,
    after: Option<OrganizationId>,
    limit: i64,
) -> sqlx::Result<Vec<OrganizationRow>> {
    let in_scope = super::scope_condition(scope, IN_SCOPE);
    sqlx::query_as(&format!(
        "{SELECT} where {in_scope} and ($2::bigint is null or o.organization_id > $2)
          order by o.organization_id limit $3"
    ))
    .bind(scope.unit_filter())
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn get(
    db: &PgPool,
    id: OrganizationId,
    scope: &Scope,
) -> sqlx::Result<Option<OrganizationRow>> {
    let in_scope = super::scope_condition(scope, IN_SCOPE);
    sqlx::query_as(&format!(
        "{SELECT} where o.organization_id = $2 and {in_scope}"
    ))
    .bind(scope.unit_filter())
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn for_unit(db: &PgPool, unit: UnitId) -> sqlx::Result<Option<OrganizationRow>> {
    sqlx::query_as(&format!(
        "{SELECT} where o.unit_id = $1
            or o.organization_id in (select organization_id from organization_unit where unit_id = $1)"
    ))
    .bind(unit)
    .fetch_optional(db)
    .await
}

/// Terms ending between `from` and `until`, soonest first.
pub async fn terms_ending(
    db: &PgPool,
    scope: &Scope,
    from: NaiveDate,
    until: NaiveDate,
    limit: i64,
) -> sqlx::Result<Vec<OrganizationRow>> {
    let in_scope = super::scope_condition(scope, IN_SCOPE);
    sqlx::query_as(&format!(
        "{SELECT} where {in_scope} and o.term_ends_on between $2 and $3
          order by o.term_ends_on, o.organization_id limit $4"
    ))
    .bind(scope.unit_filter())
    .bind(from)
    .bind(until)
    .bind(limit)
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Cadre {
    pub organization_cadre_id: CadreId,
    pub name: String,
    pub post: String,
}

pub async fn cadres(db: &PgPool, id: OrganizationId) -> sqlx::Result<Vec<Cadre>> {
    sqlx::query_as(
        "select organization_cadre_id, name, post from organization_cadre where organization_id = $1
          order by case post when '书记' then 0 when '副书记' then 1 else 2 end, organization_cadre_id",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

pub async fn joint_units(db: &PgPool, id: OrganizationId) -> sqlx::Result<Vec<(UnitId, String)>> {
    sqlx::query_as(
        "select u.unit_id, u.name from organization_unit j join unit u using (unit_id)
          where j.organization_id = $1 order by u.name",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

/// The secretary, the date of the last election and the term length; the term end follows
/// in the database (migration 0023).
pub async fn update_term(
    db: &mut PgConnection,
    id: OrganizationId,
    secretary: Option<&str>,
    elected_on: Option<NaiveDate>,
    term_years: i32,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update organization
            set secretary_name = $2, elected_on = $3, term_years = $4
          where organization_id = $1 and kind <> 'committee'",
    )
    .bind(id)
    .bind(secretary)
    .bind(elected_on)
    .bind(term_years)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn add_cadre(
    db: &mut PgConnection,
    id: OrganizationId,
    name: &str,
    post: &str,
) -> sqlx::Result<CadreId> {
    sqlx::query_scalar("insert into organization_cadre (organization_id, name, post) values ($1, $2, $3) returning organization_cadre_id")
        .bind(id)
        .bind(name)
        .bind(post)
        .fetch_one(db)
        .await
}

pub async fn remove_cadre(
    db: &mut PgConnection,
    id: OrganizationId,
    cadre: CadreId,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "delete from organization_cadre where organization_id = $1 and organization_cadre_id = $2",
    )
    .bind(id)
    .bind(cadre)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Adds a unit to a joint branch; the unit must have no organisation of its own and belong
/// to no other joint branch. Returns false when it may not.
pub async fn add_joint_unit(
    db: &mut PgConnection,
    id: OrganizationId,
    unit: UnitId,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "insert into organization_unit (organization_id, unit_id)
         select $1, $2
          where exists (select 1 from organization where organization_id = $1 and kind = '联合团支部')
            and not exists (select 1 from organization where unit_id = $2 and organization_id <> $1)
         on conflict do nothing",
    )
    .bind(id)
    .bind(unit)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

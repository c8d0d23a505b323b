//! Activities in the database: one activity with its organiser and units, the list in scope
//! with its filters, one keyset page at a time; the changes the services make are in
//! `write`.
//!
//! Who reads an activity: the zone's readers all; a secretary those their organisations
//! organise and those their units take part in. Who changes it: those whose write scope
//! holds the organiser (`get_for_write`).

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::postgres::PgArguments;
use sqlx::{Arguments, PgPool};

use crate::domain::activity::{Kind, State, UnitRole};
use crate::domain::ids::{ActivityId, OrganizationId, UnitId, VolunteerTeamId};
use crate::domain::role::Scope;

mod write;

pub use write::{Span, create, put_unit, remove_unit, set_state, update};

/// One activity as the list, its page and the API show it.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ActivityRow {
    pub activity_id: ActivityId,
    pub kind: Kind,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub organization_id: OrganizationId,
    /// The organiser's name.
    pub organizer: String,
    pub series: String,
    pub edition: Option<i32>,
    pub description: String,
    pub state: State,
    /// How many units co-organise it or take part.
    pub units: i64,
    /// How many people took part.
    pub participants: i64,
    /// Their confirmed volunteer hours, in tenths.
    pub hours_tenths: i64,
    /// The volunteer team carrying it out, with its name.
    pub volunteer_team_id: Option<VolunteerTeamId>,
    pub team_name: Option<String>,
}

/// What the list is narrowed to; every field optional.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub kind: Option<Kind>,
    /// Activities that overlap [from, to).
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub organizer: Option<OrganizationId>,
    pub unit: Option<UnitId>,
    /// The exact series name.
    pub series: Option<String>,
    pub team: Option<VolunteerTeamId>,
}

/// The read condition (`$1` the scope's units, null for the zone).
pub(super) const READABLE: &str = "($1::bigint[] is null
     or a.organization_id = any(array(select x.organization_id from organization x where x.unit_id = any($1)
                                      union all
                                      select j.organization_id from organization_unit j where j.unit_id = any($1)))
     or exists (select 1 from activity_unit s where s.activity_id = a.activity_id and s.unit_id = any($1)))";

const WRITABLE: &str = crate::db::in_scope!("a.organization_id");

/// The tables `COLUMNS` reads: the activity, its organiser and its kept totals (one join
/// rather than a lookup per column and row).
const FROM: &str = "activity a join organization o using (organization_id)
    left join activity_total k using (activity_id)";

const COLUMNS: &str = "a.activity_id, a.kind, a.title, a.starts_at, a.ends_at, a.place,
    a.organization_id, o.name as organizer, a.series, a.edition, a.description, a.state,
    coalesce(k.units::bigint, 0) as units,
    coalesce(k.participants::bigint, 0) as participants,
    coalesce(k.hours_tenths, 0) as hours_tenths,
    a.volunteer_team_id,
    (select t.name from volunteer_team t where t.volunteer_team_id = a.volunteer_team_id) as team_name";

/// The activity if the scope may read it.
pub async fn get(db: &PgPool, id: ActivityId, scope: &Scope) -> sqlx::Result<Option<ActivityRow>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from {FROM}
          where a.activity_id = $2 and {READABLE}"
    ))
    .bind(scope.unit_filter())
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The activity if the scope holds its organiser, for a change.
pub async fn get_for_write(
    db: &PgPool,
    id: ActivityId,
    scope: &Scope,
) -> sqlx::Result<Option<ActivityRow>> {
    let condition = crate::db::scope_condition(scope, WRITABLE);
    sqlx::query_as(&format!(
        "select {COLUMNS} from {FROM}
          where a.activity_id = $2 and {condition}"
    ))
    .bind(scope.unit_filter())
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Activities in scope matching `filter`, latest first, after the cursor (start, id).
pub async fn list(
    db: &PgPool,
    scope: &Scope,
    filter: &Filter,
    after: Option<(DateTime<Utc>, ActivityId)>,
    limit: i64,
) -> sqlx::Result<Vec<ActivityRow>> {
    let mut args = filter_arguments(scope, filter).map_err(sqlx::Error::Encode)?;
    args.add(after.map(|(at, _)| at))
        .map_err(sqlx::Error::Encode)?;
    args.add(after.map(|(_, id)| id))
        .map_err(sqlx::Error::Encode)?;
    args.add(limit).map_err(sqlx::Error::Encode)?;
    sqlx::query_as_with(
        &format!(
            "select {COLUMNS} from {FROM}
              where {READABLE} and {FILTERED}
                and ($9::timestamptz is null or (a.starts_at, a.activity_id) < ($9, $10))
              order by a.starts_at desc, a.activity_id desc
              limit $11"
        ),
        args,
    )
    .fetch_all(db)
    .await
}

/// The scope (`$1`) and the filter (`$2`–`$8`) as a statement's first arguments, for
/// `list`, `count` and `totals` alike.
fn filter_arguments(
    scope: &Scope,
    filter: &Filter,
) -> Result<PgArguments, sqlx::error::BoxDynError> {
    let mut args = PgArguments::default();
    args.add(scope.unit_filter())?;
    args.add(filter.kind)?;
    args.add(filter.from)?;
    args.add(filter.to)?;
    args.add(filter.organizer)?;
    args.add(filter.unit)?;
    args.add(filter.series.clone())?;
    args.add(filter.team)?;
    Ok(args)
}

/// The filter's condition, `$2`–`$8`, which `list`, `count` and `totals` share.
const FILTERED: &str = "($2::text is null or a.kind = $2)
    and ($3::timestamptz is null or a.ends_at >= $3)
    and ($4::timestamptz is null or a.starts_at < $4)
    and ($5::bigint is null or a.organization_id = $5)
    and ($6::bigint is null or exists (select 1 from activity_unit f where f.activity_id = a.activity_id and f.unit_id = $6))
    and ($7::text is null or a.series = $7)
    and ($8::bigint is null or a.volunteer_team_id = $8)";

/// How many activities in scope match `filter`, counted up to `cap` (a province records
/// hundreds of thousands a year: counting them all cost more than the page).
pub async fn count(db: &PgPool, scope: &Scope, filter: &Filter, cap: i64) -> sqlx::Result<i64> {
    let mut args = filter_arguments(scope, filter).map_err(sqlx::Error::Encode)?;
    args.add(cap).map_err(sqlx::Error::Encode)?;
    sqlx::query_scalar_with(
        &format!(
            "select count(*) from (select 1 from activity a where {READABLE} and {FILTERED} limit $9) t"
        ),
        args,
    )
    .fetch_one(db)
    .await
}

/// The series named on activities in scope, for the filter.
pub async fn series(db: &PgPool, scope: &Scope) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(&format!(
        "select distinct a.series from activity a where a.series <> '' and {READABLE}
          order by a.series limit 200"
    ))
    .bind(scope.unit_filter())
    .fetch_all(db)
    .await
}

/// The organisations in the write scope that may organise an activity, by kind and name:
/// for the committee the committee itself, for a secretary their organisations.
pub async fn organizers(db: &PgPool, scope: &Scope) -> sqlx::Result<Vec<(OrganizationId, String)>> {
    let condition = match scope {
        Scope::Zone => "o.kind = 'committee'",
        _ => crate::db::in_scope!("o.organization_id"),
    };
    sqlx::query_as(&format!(
        "select o.organization_id, o.name from organization o
          where {condition}
          order by o.organization_id limit 100"
    ))
    .bind(scope.unit_filter())
    .fetch_all(db)
    .await
}

/// One unit of an activity.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ActivityUnit {
    pub unit_id: UnitId,
    pub name: String,
    pub role: UnitRole,
}

/// The units of an activity: co-organisers first, then by name.
pub async fn units(db: &PgPool, id: ActivityId) -> sqlx::Result<Vec<ActivityUnit>> {
    sqlx::query_as(
        "select s.unit_id, u.name, s.role from activity_unit s join unit u using (unit_id)
          where s.activity_id = $1 order by s.role, u.name",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

/// What the activities in scope matching `filter` add up to.
#[derive(Debug, Clone, Copy, Default, sqlx::FromRow)]
pub struct Totals {
    pub activities: i64,
    pub volunteer: i64,
    pub contests: i64,
    /// People taking part, counted once per activity (人次).
    pub participants: i64,
    /// Units taking part, counted once per activity (家次).
    pub units: i64,
    pub hours_tenths: i64,
}

/// The totals of the activities in scope matching `filter`.
pub async fn totals(db: &PgPool, scope: &Scope, filter: &Filter) -> sqlx::Result<Totals> {
    sqlx::query_as_with(&format!(
        "select count(*) as activities,
                count(*) filter (where a.kind = 'volunteer') as volunteer,
                count(*) filter (where a.kind = 'contest') as contests,
                coalesce(sum(k.participants), 0)::bigint as participants,
                coalesce(sum(k.units), 0)::bigint as units,
                coalesce(sum(k.hours_tenths), 0)::bigint as hours_tenths
           from activity a left join activity_total k using (activity_id) where {READABLE} and {FILTERED}"
    ), filter_arguments(scope, filter).map_err(sqlx::Error::Encode)?)
    .fetch_one(db)
    .await
}

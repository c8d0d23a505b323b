//! Volunteer teams (`volunteer_team`, `volunteer_team_member`): the list in scope, one team
//! with its members (`members`), its hours month by month, and the changes the services
//! make.
//!
//! Who reads a team: the zone's readers all; a secretary the teams their units host. Who
//! changes it: those whose write scope holds the host unit (the service checks).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use crate::domain::ids::{AccountId, UnitId, VolunteerTeamId};
use crate::domain::role::Scope;
use crate::domain::volunteer_team::{Domain, TeamInput};

mod members;

pub use members::{Joiner, TeamMember, add_member, members, remove_member};

/// One team as the list, its page and the API show it.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct TeamRow {
    pub volunteer_team_id: VolunteerTeamId,
    pub name: String,
    pub domain: Domain,
    pub unit_id: UnitId,
    /// The host unit's name.
    pub unit_name: String,
    pub leader_name: String,
    pub founded_on: NaiveDate,
    pub description: String,
    pub members: i64,
    /// Activities carried out by the team, cancelled ones left out.
    pub activities: i64,
    /// Their confirmed volunteer hours, in tenths.
    pub hours_tenths: i64,
}

/// The read condition (`$1` the scope's units, null for the zone).
const READABLE: &str = "($1::bigint[] is null or t.unit_id = any($1))";

const COLUMNS: &str = "t.volunteer_team_id, t.name, t.domain, t.unit_id, u.name as unit_name,
    t.leader_name, t.founded_on, t.description,
    (select count(*) from volunteer_team_member k where k.volunteer_team_id = t.volunteer_team_id) as members,
    (select count(*) from activity a where a.volunteer_team_id = t.volunteer_team_id
        and a.state <> 'cancelled') as activities,
    (select coalesce(sum(p.hours_tenths), 0)::bigint from activity a join participation p using (activity_id)
      where a.volunteer_team_id = t.volunteer_team_id and a.state <> 'cancelled') as hours_tenths";

/// The team if the scope may read it.
pub async fn get(db: &PgPool, id: VolunteerTeamId, scope: &Scope) -> sqlx::Result<Option<TeamRow>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from volunteer_team t join unit u using (unit_id)
          where t.volunteer_team_id = $2 and {READABLE}"
    ))
    .bind(scope.unit_filter())
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Teams in scope of `domain` (or all) whose name or host unit contains `search`, by name,
/// after the cursor (name, id).
pub async fn list(
    db: &PgPool,
    scope: &Scope,
    (domain, search): (Option<Domain>, Option<&str>),
    after: Option<(String, VolunteerTeamId)>,
    limit: i64,
) -> sqlx::Result<Vec<TeamRow>> {
    let (after_name, after_id) = after.unzip();
    sqlx::query_as(&format!(
        "select {COLUMNS} from volunteer_team t join unit u using (unit_id)
          where {READABLE} and ($2::text is null or t.domain = $2)
            and ($3::text is null or strpos(t.name, $3) > 0 or strpos(u.name, $3) > 0)
            and ($4::text is null or (t.name, t.volunteer_team_id) > ($4, $5))
          order by t.name, t.volunteer_team_id limit $6"
    ))
    .bind(scope.unit_filter())
    .bind(domain)
    .bind(search)
    .bind(after_name)
    .bind(after_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// How many teams in scope each domain has (domains without a team left out).
pub async fn by_domain(db: &PgPool, scope: &Scope) -> sqlx::Result<Vec<(Domain, i64)>> {
    sqlx::query_as(&format!(
        "select t.domain, count(*) from volunteer_team t where {READABLE} group by t.domain"
    ))
    .bind(scope.unit_filter())
    .fetch_all(db)
    .await
}

/// The teams in scope as (id, name), for choosing one on an activity's form.
pub async fn options(db: &PgPool, scope: &Scope) -> sqlx::Result<Vec<(VolunteerTeamId, String)>> {
    sqlx::query_as(&format!(
        "select t.volunteer_team_id, t.name from volunteer_team t where {READABLE}
          order by t.name limit 500"
    ))
    .bind(scope.unit_filter())
    .fetch_all(db)
    .await
}

/// Stores a new team hosted by `unit`; returns its id.
pub async fn create(
    tx: &mut PgConnection,
    input: &TeamInput,
    unit: UnitId,
    created_by: Option<AccountId>,
) -> sqlx::Result<VolunteerTeamId> {
    sqlx::query_scalar(
        "insert into volunteer_team (name, domain, unit_id, leader_name, founded_on, description, created_by)
         values ($1, $2, $3, $4, $5, $6, $7) returning volunteer_team_id",
    )
    .bind(&input.name)
    .bind(input.domain)
    .bind(unit)
    .bind(&input.leader_name)
    .bind(input.founded_on)
    .bind(&input.description)
    .bind(created_by)
    .fetch_one(tx)
    .await
}

/// Changes a team's fields and host; false when it is gone.
pub async fn update(
    tx: &mut PgConnection,
    id: VolunteerTeamId,
    input: &TeamInput,
    unit: UnitId,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update volunteer_team set name = $2, domain = $3, unit_id = $4, leader_name = $5,
                founded_on = $6, description = $7
          where volunteer_team_id = $1",
    )
    .bind(id)
    .bind(&input.name)
    .bind(input.domain)
    .bind(unit)
    .bind(&input.leader_name)
    .bind(input.founded_on)
    .bind(&input.description)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The constraint that keeps team names unique.
pub const NAME_UNIQUE: &str = "volunteer_team_name_unique";

/// A team's activities, people (人次) and confirmed hours (tenths) in each of `months`
/// ([start, end) instants, the zone's months), counting activities by their start.
pub async fn hours_by_month(
    db: &PgPool,
    id: VolunteerTeamId,
    months: &[(DateTime<Utc>, DateTime<Utc>)],
) -> sqlx::Result<Vec<(i64, i64, i64)>> {
    let (starts, ends): (Vec<_>, Vec<_>) = months.iter().copied().unzip();
    sqlx::query_as(
        "select count(distinct a.activity_id), count(p.participation_id),
                coalesce(sum(p.hours_tenths), 0)::bigint
           from unnest($2::timestamptz[], $3::timestamptz[]) with ordinality m(starts, ends, i)
           left join activity a on a.volunteer_team_id = $1 and a.state <> 'cancelled'
                               and a.starts_at >= m.starts and a.starts_at < m.ends
           left join participation p using (activity_id)
          group by m.i order by m.i",
    )
    .bind(id)
    .bind(starts)
    .bind(ends)
    .fetch_all(db)
    .await
}

/// One team's figures over a period, for the API.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct TeamHours {
    pub volunteer_team_id: VolunteerTeamId,
    pub name: String,
    pub domain: Domain,
    pub activities: i64,
    pub participants: i64,
    pub hours_tenths: i64,
}

/// Every team in scope with its activities started in [from, to), by name, after the cursor.
pub async fn hours_by_team(
    db: &PgPool,
    scope: &Scope,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    after: Option<(String, VolunteerTeamId)>,
    limit: i64,
) -> sqlx::Result<Vec<TeamHours>> {
    let (after_name, after_id) = after.unzip();
    sqlx::query_as(&format!(
        "select t.volunteer_team_id, t.name, t.domain,
                count(distinct a.activity_id) as activities, count(p.participation_id) as participants,
                coalesce(sum(p.hours_tenths), 0)::bigint as hours_tenths
           from volunteer_team t
           left join activity a on a.volunteer_team_id = t.volunteer_team_id and a.state <> 'cancelled'
                               and a.starts_at >= $2 and a.starts_at < $3
           left join participation p using (activity_id)
          where {READABLE} and ($4::text is null or (t.name, t.volunteer_team_id) > ($4, $5))
          group by t.volunteer_team_id
          order by t.name, t.volunteer_team_id limit $6"
    ))
    .bind(scope.unit_filter())
    .bind(from)
    .bind(to)
    .bind(after_name)
    .bind(after_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

//! Organisations' terms (换届): the list of terms ending within 90 days or already past,
//! the secretaries the roster names, and the once-only notices 90 and 30 days before.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use crate::domain::ids::{OrganizationId, UnitId};
use crate::domain::organization::Kind;
use crate::domain::role::Scope;

/// How far ahead a term end puts an organisation on the 换届 list (and brings its first
/// notice).
pub const AHEAD_DAYS: u64 = 90;

/// The days before a term end at which the secretaries are told, the later one last.
pub const NOTICE_DAYS: [i32; 2] = [90, 30];

/// A roster member holds the secretary's post when the post ends in 书记 and is not a
/// deputy's (the roster keeps the post as written: 书记, 团支部书记, 团委书记 ...).
const ROSTER_SECRETARY: &str = "m.state = 'active' and m.league_post like '%书记'
    and m.league_post not like '%副书记'";

/// One line of the 换届 list.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct TermRow {
    pub organization_id: OrganizationId,
    pub kind: Kind,
    pub name: String,
    pub unit_id: Option<UnitId>,
    pub unit_name: Option<String>,
    pub term_years: i32,
    pub term_ends_on: NaiveDate,
    /// The secretaries on its roster, joined with 、; else the registered secretary.
    pub secretary: Option<String>,
}

impl TermRow {
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }
}

const IN_SCOPE: &str = super::in_scope!("o.organization_id");

/// Organisations in scope whose term ends on or before `today` + 90 days, the longest
/// overdue first, after the cursor (term end, id).
pub async fn due(
    db: &PgPool,
    scope: &Scope,
    today: NaiveDate,
    after: Option<(NaiveDate, OrganizationId)>,
    limit: i64,
) -> sqlx::Result<Vec<TermRow>> {
    let in_scope = super::scope_condition(scope, IN_SCOPE);
    sqlx::query_as(&format!(
        "select o.organization_id, o.kind, o.name, o.unit_id, u.name as unit_name, o.term_years,
                o.term_ends_on,
                coalesce((select string_agg(m.name, '、' order by m.member_id) from member m
                           where m.organization_id = o.organization_id and {ROSTER_SECRETARY}),
                         o.secretary_name) as secretary
           from organization o left join unit u on u.unit_id = o.unit_id
          where {in_scope} and o.term_ends_on <= $2
            and ($3::date is null or (o.term_ends_on, o.organization_id) > ($3, $4))
          order by o.term_ends_on, o.organization_id limit $5"
    ))
    .bind(scope.unit_filter())
    .bind(today + Days::new(AHEAD_DAYS))
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit)
    .fetch_all(db)
    .await
}

/// How many organisations in scope are on the 换届 list, and how many of them are overdue.
pub async fn due_count(db: &PgPool, scope: &Scope, today: NaiveDate) -> sqlx::Result<(i64, i64)> {
    let in_scope = super::scope_condition(scope, IN_SCOPE);
    sqlx::query_as(&format!(
        "select count(*), count(*) filter (where o.term_ends_on < $3)
           from organization o where {in_scope} and o.term_ends_on <= $2"
    ))
    .bind(scope.unit_filter())
    .bind(today + Days::new(AHEAD_DAYS))
    .bind(today)
    .fetch_one(db)
    .await
}

/// The active members of `org` whose league post is the secretary's, by roster order.
pub async fn roster_secretaries(db: &PgPool, org: OrganizationId) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(&format!(
        "select m.name from member m where m.organization_id = $1 and {ROSTER_SECRETARY}
          order by m.member_id"
    ))
    .bind(org)
    .fetch_all(db)
    .await
}

/// A notice due: the organisation, its term end and the threshold reached.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueNotice {
    pub organization_id: OrganizationId,
    pub term_ends_on: NaiveDate,
    pub days_before: i32,
}

/// Records the notices due `today` and not yet recorded: the 90-day one for a term ending
/// in 31 to 90 days, the 30-day one for a term ending in 0 to 30 days (a term first seen
/// late gets only the later notice). Returns the ones recorded now.
pub async fn record_due_notices(
    db: &mut PgConnection,
    today: NaiveDate,
    at: DateTime<Utc>,
) -> sqlx::Result<Vec<DueNotice>> {
    sqlx::query_as(
        "insert into organization_term_notice (organization_id, term_ends_on, days_before, sent_at)
         select o.organization_id, o.term_ends_on,
                case when o.term_ends_on - $1 <= $3 then $3 else $2 end, $4
           from organization o
          where o.kind <> 'committee' and o.term_ends_on between $1 and $1 + $2
          order by o.organization_id
         on conflict do nothing
         returning organization_id, term_ends_on, days_before",
    )
    .bind(today)
    .bind(NOTICE_DAYS[0])
    .bind(NOTICE_DAYS[1])
    .bind(at)
    .fetch_all(db)
    .await
}

/// Tells the secretaries of each organisation's unit(s) (enabled accounts holding the
/// secretary role for its unit, or for a unit of a joint branch) that its term ends on the
/// date, `today` counting the days. Returns how many notices were sent.
pub async fn notify_unit_secretaries(
    db: &mut PgConnection,
    due: &[DueNotice],
    today: NaiveDate,
    at: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "insert into notification (account_id, kind, title, body, link, created_at)
         select distinct a.account_id, 'term_reminder',
                o.name || '任期还有' || (d.ends - $3) || '天届满',
                '本组织任期将于' || to_char(d.ends, 'YYYY\"年\"FMMM\"月\"FMDD\"日\"')
                    || '届满，请按期做好换届选举的准备工作。',
                '/organizations/' || o.organization_id, $4
           from unnest($1::bigint[], $2::date[]) as d(organization_id, ends)
           join organization o on o.organization_id = d.organization_id
           -- The organisation's units first, then their secretaries by the unit index: an
           -- `or` in the join to account_role tried every secretary against every
           -- organisation (0.89 s for 209 organisations at 50k members; now 9 ms).
           cross join lateral (select o.unit_id
                               union
                               select j.unit_id from organization_unit j
                                where j.organization_id = o.organization_id) as u(unit_id)
           join account_role r on r.unit_id = u.unit_id and r.role = 'secretary'
           join account a on a.account_id = r.account_id
          where not a.disabled",
    )
    .bind(due.iter().map(|d| d.organization_id).collect::<Vec<_>>())
    .bind(due.iter().map(|d| d.term_ends_on).collect::<Vec<_>>())
    .bind(today)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

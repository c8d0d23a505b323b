//! Reading applications: a unit's, one within a scope, the scoped list and the committee's
//! queue of applications waiting for a decision, with its count.

use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, PgPool, QueryBuilder};

use super::{Application, ApplicationRow, State};
use crate::domain::ids::{ApplicationId, UnitId};
use crate::domain::role::Scope;

pub async fn for_unit(db: &PgPool, unit: UnitId) -> sqlx::Result<Vec<ApplicationRow>> {
    sqlx::query_as(
        "select formation_application_id, state, proposed_name, member_count, submitted_at
           from formation_application where unit_id = $1 order by created_at desc",
    )
    .bind(unit)
    .fetch_all(db)
    .await
}

const SELECT: &str =
    "select a.formation_application_id, a.unit_id, u.name as unit_name, a.state, a.proposed_name,
            a.proposed_kind, a.member_count, a.youth_count, a.proposed_secretary, a.reasons,
            a.submitted_at, a.decided_at, a.decision_note, a.approval_number, a.approved_on,
            a.organization_id
       from formation_application a join unit u using (unit_id)";

/// The application if its unit lies in `scope`.
pub async fn get(
    db: impl PgExecutor<'_>,
    id: ApplicationId,
    scope: &Scope,
) -> sqlx::Result<Option<Application>> {
    sqlx::query_as(&format!(
        "{SELECT} where a.formation_application_id = $1 and ($2::bigint[] is null or a.unit_id = any($2))"
    ))
    .bind(id)
    .bind(scope.unit_filter())
    .fetch_optional(db)
    .await
}

/// Applications in scope, newest first, optionally of one state, after the cursor (an id).
/// Only the conditions in force are written and the page size is written in, so that each
/// combination keeps one plan (see `db::unit::list`).
pub async fn list(
    db: &PgPool,
    scope: &Scope,
    state: Option<State>,
    before: Option<ApplicationId>,
    limit: i64,
) -> sqlx::Result<Vec<Application>> {
    let mut q = QueryBuilder::new(format!("{SELECT} where true"));
    if let Some(units) = scope.unit_filter() {
        q.push(" and a.unit_id = any(").push_bind(units).push(")");
    }
    if let Some(state) = state {
        q.push(" and a.state = ").push_bind(state);
    }
    if let Some(before) = before {
        q.push(" and a.formation_application_id < ")
            .push_bind(before);
    }
    q.push(format_args!(
        " order by a.formation_application_id desc limit {limit}"
    ));
    q.build_query_as().fetch_all(db).await
}

/// The committee's queue: waiting for a decision, oldest first, after the cursor
/// (submission time and id), through the partial index of waiting applications.
pub async fn queue(
    db: &PgPool,
    after: Option<(DateTime<Utc>, ApplicationId)>,
    limit: i64,
) -> sqlx::Result<Vec<Application>> {
    let mut q = QueryBuilder::new(format!(
        "{SELECT} where a.state in ('submitted', 'resubmitted')"
    ));
    if let Some((at, id)) = after {
        q.push(" and (a.submitted_at, a.formation_application_id) > (")
            .push_bind(at)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    q.push(format_args!(
        " order by a.submitted_at, a.formation_application_id limit {limit}"
    ));
    q.build_query_as().fetch_all(db).await
}

/// How many applications wait for a decision: from the counts the database keeps per
/// state (migration 0018).
pub async fn queue_count(db: &PgPool) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select coalesce(sum(applications), 0)::bigint from application_total
          where state in ('submitted', 'resubmitted')",
    )
    .fetch_one(db)
    .await
}

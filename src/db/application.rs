//! Formation applications (建团申请): drafts, transitions with their history, approval that
//! creates the organisation in the same transaction, attachments, and the scoped lists.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgExecutor, PgPool, QueryBuilder};

use crate::domain::actor::Actor;
use crate::domain::ids::{AccountId, UnitId};
use crate::domain::role::Scope;

pub use crate::domain::application::State;

pub fn state_label(state: &str) -> &'static str {
    State::parse(state).map_or("未知", State::label)
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ApplicationRow {
    pub formation_application_id: i64,
    pub state: String,
    pub proposed_name: String,
    pub member_count: i32,
    pub submitted_at: Option<DateTime<Utc>>,
}

impl ApplicationRow {
    pub fn state_label(&self) -> &'static str {
        state_label(&self.state)
    }
}

pub async fn for_unit(db: &PgPool, unit: UnitId) -> sqlx::Result<Vec<ApplicationRow>> {
    sqlx::query_as(
        "select formation_application_id, state, proposed_name, member_count, submitted_at
           from formation_application where unit_id = $1 order by created_at desc",
    )
    .bind(unit)
    .fetch_all(db)
    .await
}

/// What the secretary writes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    pub proposed_name: String,
    pub proposed_kind: &'static str,
    pub member_count: i32,
    pub youth_count: i32,
    pub proposed_secretary: Option<String>,
    pub reasons: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Application {
    pub formation_application_id: i64,
    pub unit_id: UnitId,
    pub unit_name: String,
    pub state: String,
    pub proposed_name: String,
    pub proposed_kind: String,
    pub member_count: i32,
    pub youth_count: i32,
    pub proposed_secretary: Option<String>,
    pub reasons: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    pub approval_number: Option<String>,
    pub approved_on: Option<NaiveDate>,
    pub organization_id: Option<i64>,
}

impl Application {
    pub fn state(&self) -> State {
        State::parse(&self.state).unwrap_or(State::Draft)
    }
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
    id: i64,
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
    state: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<Application>> {
    let mut q = QueryBuilder::new(format!("{SELECT} where true"));
    if let Some(units) = scope.unit_filter() {
        q.push(" and a.unit_id = any(").push_bind(units).push(")");
    }
    if let Some(state) = state {
        q.push(" and a.state = ").push_bind(state.to_string());
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
    after: Option<(DateTime<Utc>, i64)>,
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

pub async fn create_draft(
    db: &mut PgConnection,
    unit: UnitId,
    input: &Input,
    by: AccountId,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "insert into formation_application
                (unit_id, state, proposed_name, proposed_kind, member_count, youth_count,
                 proposed_secretary, reasons, created_by)
         values ($1, 'draft', $2, $3, $4, $5, $6, $7, $8) returning formation_application_id",
    )
    .bind(unit)
    .bind(&input.proposed_name)
    .bind(input.proposed_kind)
    .bind(input.member_count)
    .bind(input.youth_count)
    .bind(&input.proposed_secretary)
    .bind(&input.reasons)
    .bind(by)
    .fetch_one(db)
    .await
}

/// Changes the content while the application is a draft or returned; false otherwise.
pub async fn update(db: &mut PgConnection, id: i64, input: &Input) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update formation_application
            set proposed_name = $2, proposed_kind = $3, member_count = $4, youth_count = $5,
                proposed_secretary = $6, reasons = $7
          where formation_application_id = $1 and state in ('draft', 'returned')",
    )
    .bind(id)
    .bind(&input.proposed_name)
    .bind(input.proposed_kind)
    .bind(input.member_count)
    .bind(input.youth_count)
    .bind(&input.proposed_secretary)
    .bind(&input.reasons)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Moves the application from `from` to `to` if it is still in `from`; the guard in the
/// statement makes concurrent decisions safe. Returns false when it was not.
pub async fn transition(
    db: &mut PgConnection,
    id: i64,
    from: State,
    to: State,
    note: Option<&str>,
    by: AccountId,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update formation_application
            set state = $3,
                submitted_at = case when $3 in ('submitted', 'resubmitted') then $6 else submitted_at end,
                decided_at = case when $3 in ('returned', 'rejected', 'approved') then $6 else decided_at end,
                decided_by = case when $3 in ('returned', 'rejected', 'approved') then $5 else decided_by end,
                decision_note = case when $3 in ('returned', 'rejected') then $4 else decision_note end
          where formation_application_id = $1 and state = $2",
    )
    .bind(id)
    .bind(from.code())
    .bind(to.code())
    .bind(note)
    .bind(by)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn record_event(
    db: &mut PgConnection,
    id: i64,
    from: Option<State>,
    to: State,
    actor: &Actor,
    note: Option<&str>,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into formation_application_event
                (formation_application_id, from_state, to_state, actor_account_id, actor_name, note, occurred_at)
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(from.map(State::code))
    .bind(to.code())
    .bind(actor.account_id)
    .bind(&actor.name)
    .bind(note)
    .bind(at)
    .execute(db)
    .await?;
    Ok(())
}

/// Why an approval did not happen.
#[derive(Debug)]
pub enum ApprovalRefused {
    /// Someone else decided first, or the state does not allow it.
    NotPending,
    NumberTaken,
    UnitHasOrganization,
}

/// Approves with a document number and date and creates the organisation, in the caller's
/// transaction. The guarded update lets exactly one of two concurrent approvals through.
pub async fn approve(
    db: &mut PgConnection,
    app: &Application,
    number: &str,
    on: NaiveDate,
    by: AccountId,
    at: DateTime<Utc>,
) -> sqlx::Result<Result<i64, ApprovalRefused>> {
    let moved = sqlx::query(
        "update formation_application
            set state = 'approved', approval_number = $2, approved_on = $3, decided_at = $4, decided_by = $5
          where formation_application_id = $1 and state in ('submitted', 'resubmitted')",
    )
    .bind(app.formation_application_id)
    .bind(number)
    .bind(on)
    .bind(at)
    .bind(by)
    .execute(&mut *db)
    .await;
    match moved {
        Ok(done) if done.rows_affected() == 0 => return Ok(Err(ApprovalRefused::NotPending)),
        Ok(_) => {}
        Err(e) if super::is_unique_violation(&e) => return Ok(Err(ApprovalRefused::NumberTaken)),
        Err(e) => return Err(e),
    }
    let created = sqlx::query_scalar::<_, i64>(
        "insert into organization (parent_id, kind, name, unit_id, established_on, approval_number,
                                   approved_on, secretary_name, term_years, term_ends_on)
         select (select organization_id from organization where kind = 'committee'),
                $1, $2, $3, $4, $5, $4, $6, 3, ($4 + interval '3 years')::date
         returning organization_id",
    )
    .bind(&app.proposed_kind)
    .bind(&app.proposed_name)
    .bind(app.unit_id)
    .bind(on)
    .bind(number)
    .bind(&app.proposed_secretary)
    .fetch_one(&mut *db)
    .await;
    let organization = match created {
        Ok(id) => id,
        Err(e) if super::is_unique_violation(&e) => {
            let constraint = e
                .as_database_error()
                .and_then(|d| d.constraint())
                .unwrap_or("");
            return Ok(Err(if constraint.contains("approval_number") {
                ApprovalRefused::NumberTaken
            } else {
                ApprovalRefused::UnitHasOrganization
            }));
        }
        Err(e) => return Err(e),
    };
    sqlx::query(
        "update formation_application set organization_id = $2 where formation_application_id = $1",
    )
    .bind(app.formation_application_id)
    .bind(organization)
    .execute(&mut *db)
    .await?;
    Ok(Ok(organization))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub from_state: Option<String>,
    pub to_state: String,
    pub actor_name: String,
    pub note: Option<String>,
    pub occurred_at: DateTime<Utc>,
}

impl EventRow {
    pub fn to_label(&self) -> &'static str {
        state_label(&self.to_state)
    }
}

pub async fn history(db: &PgPool, id: i64) -> sqlx::Result<Vec<EventRow>> {
    sqlx::query_as(
        "select from_state, to_state, actor_name, note, occurred_at from formation_application_event
          where formation_application_id = $1 order by occurred_at, formation_application_event_id",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentRow {
    pub application_attachment_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i32,
    pub uploaded_at: DateTime<Utc>,
}

pub async fn attachments(db: &PgPool, id: i64) -> sqlx::Result<Vec<AttachmentRow>> {
    sqlx::query_as(
        "select application_attachment_id, file_name, content_type, size_bytes, uploaded_at
           from application_attachment where formation_application_id = $1 order by application_attachment_id",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

pub async fn add_attachment(
    db: &mut PgConnection,
    id: i64,
    file: (&str, &str, &[u8]),
    by: AccountId,
    at: DateTime<Utc>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "insert into application_attachment
                (formation_application_id, file_name, content_type, content, size_bytes, uploaded_by, uploaded_at)
         values ($1, $2, $3, $4, $5, $6, $7) returning application_attachment_id",
    )
    .bind(id)
    .bind(file.0)
    .bind(file.1)
    .bind(file.2)
    .bind(file.2.len() as i32)
    .bind(by)
    .bind(at)
    .fetch_one(db)
    .await
}

/// The attachment's name, type and bytes, if it belongs to application `id`.
pub async fn attachment(
    db: &PgPool,
    id: i64,
    attachment: i64,
) -> sqlx::Result<Option<(String, String, Vec<u8>)>> {
    sqlx::query_as(
        "select file_name, content_type, content from application_attachment
          where formation_application_id = $1 and application_attachment_id = $2",
    )
    .bind(id)
    .bind(attachment)
    .fetch_optional(db)
    .await
}

//! Moving an application between states with a guarded update, its history of events, and
//! approval, which creates the organisation in the caller's transaction.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, PgPool};

use super::{Application, State};
use crate::domain::actor::Actor;
use crate::domain::ids::{AccountId, ApplicationId, OrganizationId};

/// Moves the application from `from` to `to` if it is still in `from`; the guard in the
/// statement makes concurrent decisions safe. Returns false when it was not.
pub async fn transition(
    db: &mut PgConnection,
    id: ApplicationId,
    from: State,
    to: State,
    note: Option<&str>,
    by: AccountId,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    // The new state decides the stamps: the submission time when it waits for the
    // committee, the decision when the committee answered, the reason with a return or
    // a rejection.
    let done = sqlx::query(
        "update formation_application
            set state = $3,
                submitted_at = case when $7 then $6 else submitted_at end,
                decided_at = case when $8 then $6 else decided_at end,
                decided_by = case when $8 then $5 else decided_by end,
                decision_note = case when $9 then $4 else decision_note end
          where formation_application_id = $1 and state = $2",
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(note)
    .bind(by)
    .bind(at)
    .bind(to.is_pending())
    .bind(matches!(
        to,
        State::Returned | State::Rejected | State::Approved
    ))
    .bind(matches!(to, State::Returned | State::Rejected))
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn record_event(
    db: &mut PgConnection,
    id: ApplicationId,
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
    .bind(from)
    .bind(to)
    .bind(actor.account_id)
    .bind(&actor.name)
    .bind(note)
    .bind(at)
    .execute(db)
    .await?;
    Ok(())
}

/// Approves with a document number and date and creates the organisation, in the caller's
/// transaction; `None` when the application is no longer pending (someone else decided
/// first). The guarded update lets exactly one of two concurrent approvals through. A
/// number in use fails on `APPROVAL_NUMBER_UNIQUE` here or on the organisation's; a unit
/// with an organisation on `organization::ONE_PER_UNIT`.
pub async fn approve(
    db: &mut PgConnection,
    app: &Application,
    number: &str,
    on: NaiveDate,
    by: AccountId,
    at: DateTime<Utc>,
) -> sqlx::Result<Option<OrganizationId>> {
    let moved = sqlx::query(
        "update formation_application
            set state = $6, approval_number = $2, approved_on = $3, decided_at = $4, decided_by = $5
          where formation_application_id = $1 and state = any($7)",
    )
    .bind(app.formation_application_id)
    .bind(number)
    .bind(on)
    .bind(at)
    .bind(by)
    .bind(State::Approved)
    .bind(&State::PENDING[..])
    .execute(&mut *db)
    .await?;
    if moved.rows_affected() == 0 {
        return Ok(None);
    }
    let organization = sqlx::query_scalar::<_, OrganizationId>(
        "insert into organization (parent_id, kind, name, unit_id, established_on, approval_number,
                                   approved_on, secretary_name, term_years)
         select (select organization_id from organization where kind = 'committee'),
                $1, $2, $3, $4, $5, $4, $6, 3
         returning organization_id",
    )
    .bind(app.proposed_kind)
    .bind(&app.proposed_name)
    .bind(app.unit_id)
    .bind(on)
    .bind(number)
    .bind(&app.proposed_secretary)
    .fetch_one(&mut *db)
    .await?;
    sqlx::query(
        "update formation_application set organization_id = $2 where formation_application_id = $1",
    )
    .bind(app.formation_application_id)
    .bind(organization)
    .execute(&mut *db)
    .await?;
    Ok(Some(organization))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub from_state: Option<State>,
    pub to_state: State,
    pub actor_name: String,
    pub note: Option<String>,
    pub occurred_at: DateTime<Utc>,
}

impl EventRow {
    pub fn to_label(&self) -> &'static str {
        self.to_state.label()
    }
}

pub async fn history(db: &PgPool, id: ApplicationId) -> sqlx::Result<Vec<EventRow>> {
    sqlx::query_as(
        "select from_state, to_state, actor_name, note, occurred_at from formation_application_event
          where formation_application_id = $1 order by occurred_at, formation_application_event_id",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

//! Use cases that change several tables: each is one function that takes a typed actor,
//! runs the transaction and writes its history, audit event and notification together.
//! Handlers parse, call one of these, and render or redirect.

pub mod accounts;
pub mod activities;
pub mod activity_files;
pub mod applications;
pub mod assessments;
pub mod audit_chain;
pub mod awards;
pub mod checkin;
pub mod contests;
pub mod erasure;
pub mod members;
pub mod names;
pub mod participation;
pub mod reminders;
pub mod reports;
pub mod roster_import;
pub mod rounds;
pub mod signin_import;
pub mod survey_import;
pub mod transfers;
pub mod units;
pub mod volunteer_certificates;
pub mod volunteer_teams;
pub mod work_plans;

use std::borrow::Cow;

/// Why a use case did nothing: a refusal to show the person (nothing was written), or the
/// database failing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Refused(Cow<'static, str>),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl Error {
    /// A refusal with its message for the person.
    pub fn refused(message: impl Into<Cow<'static, str>>) -> Error {
        Error::Refused(message.into())
    }
}

impl crate::db::Violation for Error {
    fn violated(&self) -> Option<&str> {
        match self {
            Error::Database(e) => e.violated(),
            Error::Refused(_) => None,
        }
    }
}

/// What a use case answers: its result, or why nothing was done.
pub type Outcome<T> = Result<T, Error>;

/// The usual end of a use case: `event` recorded in the audit log by `actor` at `now`,
/// then the transaction committed, so the change and its record land together or not at
/// all.
pub async fn commit_audited(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    now: chrono::DateTime<chrono::Utc>,
    actor: &crate::domain::actor::Actor,
    event: crate::db::audit::Event<'_>,
) -> Outcome<()> {
    crate::db::audit::record(&mut *tx, now, actor, event).await?;
    tx.commit().await?;
    Ok(())
}

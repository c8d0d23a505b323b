//! All SQL, one module per table. Queries that read scoped data take the scope.

pub mod account;
pub mod application;
pub mod audit;
pub mod formation;
pub mod login_attempt;
pub mod member;
pub mod member_evaluation;
pub mod member_transfer;
pub mod notification;
pub mod organization;
pub mod session;
pub mod survey;
pub mod unit;
pub mod upload;

/// A unique constraint refused the write: for a form error instead of a 500.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}

//! All SQL, one module per table. Queries that read scoped data take the scope.

pub mod account;
pub mod activity;
pub mod activity_file;
pub mod activity_total;
pub mod application;
pub mod assessment;
pub mod audit;
pub mod audit_chain;
pub mod award;
pub mod checkin;
pub mod checkin_entry;
pub mod contest;
pub mod formation;
pub mod login_attempt;
pub mod member;
pub mod member_evaluation;
pub mod member_transfer;
pub mod notification;
pub mod organization;
pub mod organization_term;
pub mod participation;
pub mod report;
pub mod second_factor;
pub mod session;
pub mod survey;
pub mod unit;
pub mod upload;
pub mod volunteer_certificate;
pub mod volunteer_record;
pub mod volunteer_team;
pub mod work_plan;
pub mod work_report;

/// `$column` (an organisation id) lies in the units `$1`: their own organisations and
/// the joint branches they belong to. The organisations are looked up once per statement,
/// as an array, so that the rows are reached through an index on the column: checked row
/// by row instead, a secretary's roster walked the whole name index at 5M members (15.6 s;
/// 3.6 ms this way). Used through `scope_condition`.
macro_rules! in_scope {
    ($column:literal) => {
        concat!(
            $column,
            " = any(array(select x.organization_id from organization x where x.unit_id = any($1)
                          union all
                          select j.organization_id from organization_unit j where j.unit_id = any($1)))"
        )
    };
}
pub(crate) use in_scope;

/// The scope's condition in a statement (`$1` the scope's units): for the whole zone only
/// `$1 is null`, so that the zone's statement is costed without the lookup and keeps its
/// generic plan; for units, `units` (an `in_scope!`).
pub fn scope_condition(scope: &crate::domain::role::Scope, units: &'static str) -> &'static str {
    if scope.unit_filter().is_none() {
        "$1::bigint[] is null"
    } else {
        units
    }
}

/// A write refused by a named unique or exclusion constraint (its name as the migration
/// gives it), turned into the caller's error; every other error passes through. The one
/// way a constraint becomes a refusal: `.on_constraint(db::unit::NAME_UNIQUE, || ...)`.
/// Chains, as long as the error it gives can still be the database's.
pub trait ResultExt<T, E> {
    fn on_constraint<F: From<E>>(self, name: &str, refusal: impl FnOnce() -> F) -> Result<T, F>;
}

impl<T, E: Violation> ResultExt<T, E> for Result<T, E> {
    fn on_constraint<F: From<E>>(self, name: &str, refusal: impl FnOnce() -> F) -> Result<T, F> {
        self.map_err(|e| {
            if e.violated() == Some(name) {
                refusal()
            } else {
                F::from(e)
            }
        })
    }
}

/// An error that may be a database write refused by a unique or exclusion constraint.
pub trait Violation {
    /// The name of the unique or exclusion constraint that refused the write, if one did.
    fn violated(&self) -> Option<&str>;
}

/// PostgreSQL's SQLSTATE for a row an exclusion constraint refused (sqlx has no kind for it).
const EXCLUSION_VIOLATION: &str = "23P01";

impl Violation for sqlx::Error {
    fn violated(&self) -> Option<&str> {
        let e = self.as_database_error()?;
        let refused = e.is_unique_violation() || e.code().as_deref() == Some(EXCLUSION_VIOLATION);
        if refused { e.constraint() } else { None }
    }
}

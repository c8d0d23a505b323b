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

/// A unique constraint refused the write: for a form error instead of a 500.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}

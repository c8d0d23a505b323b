//! A young person's volunteer record when they are not a member: every activity they took
//! part in under the phone they gave, matched by its keyed blind index (`participation.
//! phone_index`, as the roster matches IDs), within what the reader's scope may read. A
//! member's record is `participation::record_of_member`.

use serde::Serialize;
use sqlx::PgPool;

use super::participation::RecordLine;
use crate::domain::role::Scope;

/// A young person who is not a member, as one of their participations names them.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Person {
    pub participation_id: i64,
    pub name: String,
    pub phone_masked: Option<String>,
    pub unit: String,
    #[serde(skip)]
    pub phone_index: Vec<u8>,
}

/// The non-member who took part as `participation`, if it lies in an activity the scope
/// reads; None for a member's participation or one outside the scope.
pub async fn person(
    db: &PgPool,
    scope: &Scope,
    participation: i64,
) -> sqlx::Result<Option<Person>> {
    let readable = super::activity::READABLE;
    sqlx::query_as(&format!(
        "select p.participation_id, p.person_name as name, p.phone_masked, p.person_unit as unit,
                p.phone_index
           from participation p join activity a using (activity_id)
          where p.participation_id = $2 and p.phone_index is not null and {readable}"
    ))
    .bind(scope.unit_filter())
    .bind(participation)
    .fetch_optional(db)
    .await
}

/// Every activity the scope reads in which the person with this phone's blind index took
/// part (cancelled ones left out), latest first.
pub async fn record_of_person(
    db: &PgPool,
    scope: &Scope,
    phone_index: &[u8],
) -> sqlx::Result<Vec<RecordLine>> {
    let readable = super::activity::READABLE;
    sqlx::query_as(&format!(
        "select a.activity_id, a.title, a.kind, a.starts_at, o.name as organizer, p.role, p.hours_tenths
           from participation p join activity a using (activity_id)
           join organization o on o.organization_id = a.organization_id
          where p.phone_index = $2 and a.state <> 'cancelled' and {readable}
          order by a.starts_at desc, a.activity_id desc"
    ))
    .bind(scope.unit_filter())
    .bind(phone_index)
    .fetch_all(db)
    .await
}

//! Reading transfers with what the reader may do on each side, and the lookups a transfer's
//! form needs: its target organisation by name and the units that speak for one.

use sqlx::{PgConnection, PgPool};

use super::TransferRow;
use crate::domain::ids::{MemberId, OrganizationId, TransferId, UnitId};
use crate::domain::role::Scope;

fn select(scope: &Scope) -> String {
    format!(
        "select t.member_transfer_id, t.member_id, m.name as member_name, m.resident_id_masked,
                t.from_organization_id, f.name as from_name, t.to_organization_id, o2.name as to_name,
                t.destination, t.started_by, t.state, t.reason, t.requested_by_name, t.requested_at,
                t.decided_by_name, t.decided_at, t.decision_note,
                coalesce({}, false) as for_sender, coalesce({}, false) as for_receiver
           from member_transfer t
           join member m using (member_id)
           join organization f on f.organization_id = t.from_organization_id
           left join organization o2 on o2.organization_id = t.to_organization_id",
        crate::db::scope_condition(scope, crate::db::in_scope!("t.from_organization_id")),
        crate::db::scope_condition(scope, crate::db::in_scope!("t.to_organization_id"))
    )
}

/// Transfers touching the reader's organisations, open ones first, newest first.
pub async fn list(db: &PgPool, scope: &Scope, limit: i64) -> sqlx::Result<Vec<TransferRow>> {
    sqlx::query_as(&format!(
        "select * from ({}) t where for_sender or for_receiver
          order by state <> 'pending', requested_at desc, member_transfer_id desc limit $2",
        select(scope)
    ))
    .bind(scope.unit_filter())
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn get(db: &PgPool, scope: &Scope, id: TransferId) -> sqlx::Result<Option<TransferRow>> {
    sqlx::query_as(&format!(
        "select * from ({}) t where (for_sender or for_receiver) and member_transfer_id = $2",
        select(scope)
    ))
    .bind(scope.unit_filter())
    .bind(id)
    .fetch_optional(db)
    .await
}

/// For the transfers `ids`, whether a scope may act for the sending and the receiving side:
/// (id, for sender, for receiver). A reader whose writing scope is narrower than the one
/// they read in (a secretary who is also a leader) acts only where the writing one reaches.
pub async fn sides(
    db: &PgPool,
    scope: &Scope,
    ids: &[TransferId],
) -> sqlx::Result<Vec<(TransferId, bool, bool)>> {
    sqlx::query_as(&format!(
        "select member_transfer_id, for_sender, for_receiver from ({}) t
          where member_transfer_id = any($2)",
        select(scope)
    ))
    .bind(scope.unit_filter())
    .bind(ids)
    .fetch_all(db)
    .await
}

/// A member's transfers, oldest first (the reader may see the member).
pub async fn for_member(
    db: &PgPool,
    scope: &Scope,
    member_id: MemberId,
) -> sqlx::Result<Vec<TransferRow>> {
    sqlx::query_as(&format!(
        "{} where t.member_id = $2 order by t.requested_at, t.member_transfer_id",
        select(scope)
    ))
    .bind(scope.unit_filter())
    .bind(member_id)
    .fetch_all(db)
    .await
}

/// A branch of the zone by its full name (not the committee), for a transfer's target.
pub async fn organization_named(
    db: &PgPool,
    name: &str,
) -> sqlx::Result<Option<(OrganizationId, String)>> {
    sqlx::query_as(
        "select organization_id, name from organization where name = $1 and kind <> 'committee'
          order by organization_id limit 1",
    )
    .bind(name.trim())
    .fetch_optional(db)
    .await
}

/// The units whose secretaries speak for an organisation.
pub async fn units_of(
    db: &mut PgConnection,
    organization: OrganizationId,
) -> sqlx::Result<Vec<UnitId>> {
    // The same rule the kept totals count by (migration 0012).
    sqlx::query_scalar("select unnest(organization_units(array[$1::bigint]))")
        .bind(organization)
        .fetch_all(db)
        .await
}

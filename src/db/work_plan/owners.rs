//! The owners an item's form names, looked up: an organisation by its name, an account by
//! its username; and the choices the form offers for both.

use sqlx::PgPool;

use crate::domain::ids::{AccountId, OrganizationId};

/// The organisations named exactly `name` (at most two: more than one is ambiguous).
pub async fn organizations_named(db: &PgPool, name: &str) -> sqlx::Result<Vec<OrganizationId>> {
    sqlx::query_scalar(
        "select organization_id from organization where name = $1 order by 1 limit 2",
    )
    .bind(name)
    .fetch_all(db)
    .await
}

/// The account `username`, and whether it may own an item: enabled, and holding the
/// committee's or a secretary's role (those who write progress notes).
pub async fn account_named(db: &PgPool, username: &str) -> sqlx::Result<Option<(AccountId, bool)>> {
    sqlx::query_as(
        "select a.account_id,
                not a.disabled and exists (select 1 from account_role r where r.account_id = a.account_id
                                              and r.role in ('committee', 'secretary'))
           from account a where a.username = $1",
    )
    .bind(username)
    .fetch_optional(db)
    .await
}

/// Organisation names for the form's suggestions: the committee first, then by name.
pub async fn organization_choices(db: &PgPool, limit: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "select name from organization order by kind <> 'committee', name, organization_id limit $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await
}

/// The accounts that may own an item, as (username, display name), for the form's
/// suggestions.
pub async fn account_choices(db: &PgPool, limit: i64) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "select a.username, coalesce(nullif(a.display_name, ''), a.username)
           from account a
          where not a.disabled
            and exists (select 1 from account_role r where r.account_id = a.account_id
                           and r.role in ('committee', 'secretary'))
          order by a.username limit $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await
}

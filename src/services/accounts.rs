//! Accounts as use cases: creating one with its first role grant and the audit event, for
//! the admin page and the command line alike.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;

use crate::db::audit::Event;
use crate::db::{self, ResultExt};
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::{AccountId, UnitId};
use crate::domain::role::Role;
use crate::domain::username::Username;
use crate::services::{Error, Outcome};

/// A new account: its checked name, the password already hashed, and its first role
/// (with the unit for a secretary).
pub struct NewAccount<'a> {
    pub username: &'a Username,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub unit: Option<UnitId>,
    /// Who chose the password: an administrator's must be replaced at the first sign-in.
    pub set_by: db::account::SetBy,
}

/// Creates the account with its role. Refused when the username is taken (also by someone
/// else between the form's check and this write).
pub async fn create(
    db: &PgPool,
    actor: &Actor,
    new: &NewAccount<'_>,
    now: DateTime<Utc>,
) -> Outcome<AccountId> {
    let mut tx = db.begin().await?;
    let username = new.username.as_str();
    let id = db::account::create(
        &mut tx,
        username,
        new.display_name,
        new.password_hash,
        new.set_by,
    )
    .await
    .on_constraint(db::account::USERNAME_UNIQUE, || {
        Error::refused("用户名已被使用")
    })?;
    db::account::add_role(&mut tx, id, new.role, new.unit).await?;
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::AccountCreated, "account", id).after(json!({
            "username": username,
            "display_name": new.display_name,
            "role": new.role.code(),
            "unit_id": new.unit,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

//! Opening a record for a right: looked up in the scope of the grants that carry the right,
//! so that a wider grant (a leader's zone) never lends its reach to a narrower right.

use std::future::Future;

use crate::auth::CurrentUser;
use crate::auth::extract::RoleSet;
use crate::domain::role::Scope;
use crate::error::{AppError, Result};

/// The record `open` finds in the scope of the user's grants holding one of `R`'s roles.
/// A record the user may read through another grant but not act on through these is 403
/// (they see it already, so the refusal tells nothing); one they cannot see at all is 404.
pub async fn open_for<R, T, F, Fut>(user: &CurrentUser, open: F) -> Result<T>
where
    R: RoleSet,
    F: Fn(Scope) -> Fut,
    Fut: Future<Output = sqlx::Result<Option<T>>>,
{
    let scope = user.scope_for::<R>();
    if let Some(found) = open(scope.clone()).await? {
        return Ok(found);
    }
    if scope != user.scope && open(user.scope.clone()).await?.is_some() {
        return Err(AppError::Forbidden);
    }
    Err(AppError::NotFound)
}

/// Whether a record the user reads (found by `open` in their read scope) also lies where
/// the right behind `R` reaches, to offer its forms only where they would be accepted.
pub async fn may<R, T, F, Fut>(user: &CurrentUser, open: F) -> Result<bool>
where
    R: RoleSet,
    F: FnOnce(Scope) -> Fut,
    Fut: Future<Output = sqlx::Result<Option<T>>>,
{
    let scope = user.scope_for::<R>();
    Ok(match scope {
        Scope::Nothing => false,
        _ if scope == user.scope => true,
        _ => open(scope).await?.is_some(),
    })
}

//! Signing in for others: resetting a password (which its owner must change at the next
//! sign-in) or a second factor, unlocking, disabling and enabling an account (which ends
//! its sessions).

use axum::extract::{Form, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::auth::extract::{ClientAddr, Require};
use crate::auth::{password, second_factor};
use crate::db::{self, audit::Event};
use crate::domain::audit::Action as AuditAction;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;

use super::{AdminUser, existing_account};
use crate::domain::ids::AccountId;

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    new_password: String,
}

pub(super) async fn reset_password(
    State(state): State<AppState>,
    Require(admin, ..): AdminUser,
    address: ClientAddr,
    PathOr404(id): PathOr404<AccountId>,
    Form(form): Form<ResetForm>,
) -> Result<Response> {
    let account = existing_account(&state, id).await?;
    let back = format!("/admin/accounts/{id}");
    if let Err(message) = password::check_policy(&form.new_password, &account.username) {
        return Ok(flash::error(&state.settings, &back, message));
    }
    let hash = password::hash(form.new_password).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    db::account::set_password(
        &mut tx,
        account.account_id,
        &hash,
        now,
        db::account::SetBy::Administrator,
    )
    .await?;
    let ended = db::session::delete_for_account(&mut *tx, account.account_id).await?;
    db::audit::record(
        &mut *tx,
        now,
        &admin.actor(&address),
        Event::new(
            AuditAction::AccountPasswordReset,
            "account",
            account.account_id,
        )
        .after(json!({ "sessions_ended": ended })),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::ok(
        &state.settings,
        &back,
        "密码已重置，该账户的所有登录已退出；本人下次登录时须修改密码。",
    ))
}

/// Removes a person's second factor (a lost phone, no recovery code left) and ends their
/// sessions; they sign in with the password alone and enrol again.
pub(super) async fn reset_second_factor(
    State(state): State<AppState>,
    Require(admin, ..): AdminUser,
    address: ClientAddr,
    PathOr404(id): PathOr404<AccountId>,
) -> Result<Response> {
    let account = existing_account(&state, id).await?;
    let back = format!("/admin/accounts/{id}");
    if !second_factor::reset(&state, &admin, &address, account.account_id).await? {
        return Ok(flash::error(&state.settings, &back, "该账户未启用两步验证"));
    }
    Ok(flash::ok(
        &state.settings,
        &back,
        "两步验证已重置，该账户的所有登录已退出；本人可只用密码登录后重新设置。",
    ))
}

/// Ends a lock early, for an owner who has found their password again or had it reset.
pub(super) async fn unlock_account(
    State(state): State<AppState>,
    Require(admin, ..): AdminUser,
    address: ClientAddr,
    PathOr404(id): PathOr404<AccountId>,
) -> Result<Response> {
    let account = existing_account(&state, id).await?;
    let back = format!("/admin/accounts/{id}");
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let before = db::account::unlock(&mut tx, account.account_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(until) = before.filter(|until| *until > now) else {
        return Ok(flash::error(&state.settings, &back, "该账户未被锁定"));
    };
    db::audit::record(
        &mut *tx,
        now,
        &admin.actor(&address),
        Event::new(AuditAction::AccountUnlocked, "account", account.account_id)
            .before(json!({ "locked_until": until }))
            .after(json!({ "locked_until": null })),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::ok(&state.settings, &back, "账户已解除锁定。"))
}

pub(super) async fn set_disabled(
    state: AppState,
    admin: crate::auth::CurrentUser,
    address: ClientAddr,
    id: AccountId,
    disabled: bool,
) -> Result<Response> {
    let account = existing_account(&state, id).await?;
    let back = format!("/admin/accounts/{id}");
    if disabled && account.account_id == admin.account_id {
        return Ok(flash::error(&state.settings, &back, "不能停用自己的账户"));
    }
    let mut tx = state.db.begin().await?;
    let before = db::account::set_disabled(&mut tx, account.account_id, disabled)
        .await?
        .ok_or(AppError::NotFound)?;
    let ended = if disabled {
        db::session::delete_for_account(&mut *tx, account.account_id).await?
    } else {
        0
    };
    if disabled && db::account::count_enabled_admins(&mut *tx).await? == 0 {
        return Ok(flash::error(
            &state.settings,
            &back,
            "不能停用最后一个系统管理员",
        ));
    }
    let action = if disabled {
        AuditAction::AccountDisabled
    } else {
        AuditAction::AccountEnabled
    };
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &admin.actor(&address),
        Event::new(action, "account", account.account_id)
            .before(json!({ "disabled": before }))
            .after(json!({ "disabled": disabled, "sessions_ended": ended })),
    )
    .await?;
    tx.commit().await?;
    let message = if disabled {
        "账户已停用，其所有登录已退出。"
    } else {
        "账户已重新启用。"
    };
    Ok(flash::ok(&state.settings, &back, message))
}

pub(super) async fn disable_account(
    State(state): State<AppState>,
    Require(admin, ..): AdminUser,
    address: ClientAddr,
    PathOr404(id): PathOr404<AccountId>,
) -> Result<Response> {
    set_disabled(state, admin, address, id, true).await
}

pub(super) async fn enable_account(
    State(state): State<AppState>,
    Require(admin, ..): AdminUser,
    address: ClientAddr,
    PathOr404(id): PathOr404<AccountId>,
) -> Result<Response> {
    set_disabled(state, admin, address, id, false).await
}

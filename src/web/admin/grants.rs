//! Roles with their scopes (a secretary's unit): granting and withdrawing them.

use axum::extract::{Form, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::auth::extract::{ClientAddr, Require};
use crate::db::{self, audit::Event};
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::{AccountId, AccountRoleId};
use crate::domain::role::Role;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::{PathOr404, flash};

use super::accounts::parse_grant;
use super::{AdminUser, existing_account};

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    pub(super) role: String,
    #[serde(default)]
    pub(super) unit: String,
}

pub(super) async fn add_role(
    State(state): State<AppState>,
    Require(admin, ..): AdminUser,
    address: ClientAddr,
    PathOr404(id): PathOr404<AccountId>,
    Form(form): Form<RoleForm>,
) -> Result<Response> {
    let account = existing_account(&state, id).await?;
    let back = format!("/admin/accounts/{id}");
    let (role, unit) = match parse_grant(&state, &form.role, &form.unit).await? {
        Ok(grant) => grant,
        Err(message) => return Ok(flash::error(&state.settings, &back, &message)),
    };
    // An administrator holds no business data (DESIGN.md §1); granting oneself a business
    // role would undo that unseen, so another administrator must do it.
    if account.account_id == admin.account_id && role != Role::Admin {
        return Ok(flash::error(
            &state.settings,
            &back,
            "不能给自己的账户添加业务角色（团工委工作人员、领导、团支部书记），请由其他系统管理员办理",
        ));
    }
    let mut tx = state.db.begin().await?;
    if !db::account::add_role(&mut tx, account.account_id, role, unit).await? {
        return Ok(flash::error(&state.settings, &back, "该账户已有此角色"));
    }
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &admin.actor(&address),
        Event::new(AuditAction::AccountRoleAdded, "account", account.account_id)
            .after(json!({ "role": role.code(), "unit_id": unit })),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::ok(&state.settings, &back, "角色已添加。"))
}

pub(super) async fn remove_role(
    State(state): State<AppState>,
    Require(admin, ..): AdminUser,
    address: ClientAddr,
    PathOr404((id, grant)): PathOr404<(AccountId, AccountRoleId)>,
) -> Result<Response> {
    let account = existing_account(&state, id).await?;
    let back = format!("/admin/accounts/{id}");
    let mut tx = state.db.begin().await?;
    let removed = db::account::remove_role(&mut tx, account.account_id, grant)
        .await?
        .ok_or(AppError::NotFound)?;
    if removed.role == "admin" && db::account::count_enabled_admins(&mut *tx).await? == 0 {
        return Ok(flash::error(
            &state.settings,
            &back,
            "不能移除最后一个系统管理员的管理员角色",
        ));
    }
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &admin.actor(&address),
        Event::new(
            AuditAction::AccountRoleRemoved,
            "account",
            account.account_id,
        )
        .before(json!({ "role": removed.role, "unit_id": removed.unit_id })),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::ok(&state.settings, &back, "角色已移除。"))
}

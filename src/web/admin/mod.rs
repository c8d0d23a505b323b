//! Administration: accounts (create, disable, enable, unlock, reset password, roles with scopes)
//! and the audit log. Admins see no business data.

mod accounts;
mod audit;
mod credentials;
mod grants;

use accounts::{create_account, list_accounts, new_account_form, show_account};
use audit::list_audit;
use credentials::{
    disable_account, enable_account, reset_password, reset_second_factor, unlock_account,
};
use grants::{add_role, remove_role};

use axum::routing::{get, post};
use axum::{Router, middleware};
use chrono::{DateTime, Utc};

use crate::auth::extract::{self, Require};
use crate::db::{self};
use crate::domain::ids::AccountId;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::AfterRole;

type AdminUser = Require<extract::Admin>;
const PAGE_SIZE: i64 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/accounts", get(list_accounts).post(create_account))
        .route("/admin/accounts/new", get(new_account_form))
        .route("/admin/accounts/{id}", get(show_account))
        .route("/admin/accounts/{id}/roles", post(add_role))
        .route(
            "/admin/accounts/{id}/roles/{grant}/delete",
            post(remove_role),
        )
        .route("/admin/accounts/{id}/password", post(reset_password))
        .route("/admin/accounts/{id}/disable", post(disable_account))
        .route("/admin/accounts/{id}/enable", post(enable_account))
        .route("/admin/accounts/{id}/unlock", post(unlock_account))
        .route(
            "/admin/accounts/{id}/second-factor/reset",
            post(reset_second_factor),
        )
        .route("/admin/audit", get(list_audit))
        .after_role()
        .route_layer(middleware::from_fn(extract::require::<extract::Admin>))
}

/// A time as the zone's local time, to the second.
fn format_time(clock: &crate::clock::Clock, t: DateTime<Utc>) -> String {
    clock.local(t).format("%Y-%m-%d %H:%M:%S").to_string()
}

async fn existing_account(state: &AppState, id: AccountId) -> Result<db::account::AccountDetail> {
    db::account::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

//! Administration: accounts (create, disable, enable, reset password, roles with scopes)
//! and the audit log. Admins see no business data.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Router, middleware};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::json;

use crate::auth::extract::{self, ClientAddr, Require};
use crate::auth::password;
use crate::db::is_unique_violation;
use crate::db::{self, audit::Event};
use crate::domain::ids::{AccountId, AccountRoleId, UnitId};
use crate::domain::role::Role;
use crate::domain::username::Username;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;

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
        .route("/admin/audit", get(list_audit))
        .route_layer(middleware::from_fn(extract::require::<extract::Admin>))
}

fn format_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

pub struct AccountListRow {
    account_id: AccountId,
    username: String,
    display_name: String,
    roles: String,
    disabled: bool,
    locked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/accounts.html")]
pub struct AccountsPage {
    ctx: PageContext,
    rows: Vec<AccountListRow>,
    q: String,
    after: String,
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    after: String,
}

async fn list_accounts(
    State(state): State<AppState>,
    _admin: AdminUser,
    ctx: PageContext,
    Query(query): Query<ListQuery>,
) -> Result<AccountsPage> {
    let q = crate::domain::search_text(&query.q, 64).to_lowercase();
    let mut rows = db::account::list(&state.db, &q, &query.after, PAGE_SIZE + 1).await?;
    let next = crate::web::next_page(&mut rows, PAGE_SIZE, |r| r.username.clone());
    let now = state.clock.now();
    let rows = rows
        .into_iter()
        .map(|r| AccountListRow {
            account_id: r.account_id,
            username: r.username,
            display_name: r.display_name,
            roles: role_codes_to_labels(&r.roles),
            disabled: r.disabled,
            locked: r.locked_until.is_some_and(|t| t > now),
        })
        .collect();
    Ok(AccountsPage {
        ctx,
        rows,
        q: query.q,
        after: query.after,
        next,
    })
}

/// "secretary:某单位, admin" → "团支部书记/单位联络员（某单位）、系统管理员"
fn role_codes_to_labels(codes: &str) -> String {
    codes
        .split(", ")
        .filter(|c| !c.is_empty())
        .map(|c| {
            let (code, unit) = c.split_once(':').map_or((c, None), |(a, b)| (a, Some(b)));
            let label = Role::parse(code).map(Role::label).unwrap_or(code);
            match unit {
                Some(unit) => format!("{label}（{unit}）"),
                None => label.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

#[derive(Default, Deserialize)]
pub struct NewAccountForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    password: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/new_account.html")]
pub struct NewAccountPage {
    ctx: PageContext,
    form: NewAccountForm,
    errors: Vec<String>,
    roles: [Role; 4],
    unit_names: Vec<String>,
}

async fn new_account_form(
    State(state): State<AppState>,
    _admin: AdminUser,
    ctx: PageContext,
) -> Result<NewAccountPage> {
    Ok(NewAccountPage {
        ctx,
        form: NewAccountForm {
            role: "secretary".into(),
            ..Default::default()
        },
        errors: Vec::new(),
        roles: Role::ALL,
        unit_names: db::unit::names(&state.db).await?,
    })
}

/// A role and, for a secretary, the unit named; the error is for the form.
async fn parse_grant(
    state: &AppState,
    role: &str,
    unit: &str,
) -> Result<std::result::Result<(Role, Option<UnitId>), String>> {
    let Some(role) = Role::parse(role) else {
        return Ok(Err("请选择有效的角色".into()));
    };
    let unit = unit.trim();
    match (role, unit.is_empty()) {
        (Role::Secretary, true) => Ok(Err("书记/联络员必须指定所属单位".into())),
        (Role::Secretary, false) => match db::unit::find_id_by_name(&state.db, unit).await? {
            Some(id) => Ok(Ok((role, Some(id)))),
            None => Ok(Err(format!("找不到名为“{unit}”的单位"))),
        },
        (_, false) => Ok(Err(
            "只有书记/联络员需要指定所属单位，其他角色适用于全区".into()
        )),
        (_, true) => Ok(Ok((role, None))),
    }
}

async fn create_account(
    State(state): State<AppState>,
    Require(admin, ..): AdminUser,
    ctx: PageContext,
    address: ClientAddr,
    Form(form): Form<NewAccountForm>,
) -> Result<Response> {
    let mut errors = Vec::new();
    let username = match Username::parse(&form.username) {
        Ok(name) => {
            if db::account::exists(&state.db, name.as_str()).await? {
                errors.push(format!("用户名“{}”已被使用", name.as_str()));
            }
            Some(name)
        }
        Err(message) => {
            errors.push(message.to_string());
            None
        }
    };
    let display_name = form.display_name.trim().to_string();
    if display_name.chars().count() > 40 {
        errors.push("姓名不能超过40个字符".into());
    }
    let grant = match parse_grant(&state, &form.role, &form.unit).await? {
        Ok(grant) => Some(grant),
        Err(message) => {
            errors.push(message);
            None
        }
    };
    let checked_name = username.as_ref().map(|u| u.as_str()).unwrap_or("");
    if let Err(message) = password::check_policy(&form.password, checked_name) {
        errors.push(message.to_string());
    }
    let (Some(username), Some((role, unit)), true) = (username, grant, errors.is_empty()) else {
        let page = NewAccountPage {
            ctx,
            form,
            errors,
            roles: Role::ALL,
            unit_names: db::unit::names(&state.db).await?,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let hash = password::hash(form.password).await?;
    let mut tx = state.db.begin().await?;
    let id = match db::account::create(&mut tx, username.as_str(), &display_name, &hash).await {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            return Ok(flash::redirect(
                &state.settings,
                "/admin/accounts/new",
                "error",
                "用户名已被使用",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    db::account::add_role(&mut tx, id, role, unit).await?;
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &admin.actor(&address),
        Event::new("account.created", "account", id).after(json!({
            "username": username.as_str(),
            "display_name": display_name,
            "role": role.code(),
            "unit_id": unit,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect(
        &state.settings,
        &format!("/admin/accounts/{id}"),
        "ok",
        &format!("账户 {} 已创建。", username.as_str()),
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/account.html")]
pub struct AccountPage {
    ctx: PageContext,
    account: db::account::AccountDetail,
    grants: Vec<db::account::GrantRow>,
    locked: bool,
    locked_until: String,
    created_at: String,
    password_changed_at: String,
    roles: [Role; 4],
    unit_names: Vec<String>,
}

async fn show_account(
    State(state): State<AppState>,
    _admin: AdminUser,
    ctx: PageContext,
    PathOr404(id): PathOr404<i64>,
) -> Result<AccountPage> {
    let id = AccountId(id);
    let account = db::account::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    Ok(AccountPage {
        ctx,
        grants: db::account::grants(&state.db, id).await?,
        locked: account.locked_until.is_some_and(|t| t > now),
        locked_until: account.locked_until.map(format_time).unwrap_or_default(),
        created_at: format_time(account.created_at),
        password_changed_at: format_time(account.password_changed_at),
        account,
        roles: Role::ALL,
        unit_names: db::unit::names(&state.db).await?,
    })
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: String,
}

async fn existing_account(state: &AppState, id: i64) -> Result<db::account::AccountDetail> {
    db::account::get(&state.db, AccountId(id))
        .await?
        .ok_or(AppError::NotFound)
}

async fn add_role(
    State(state): State<AppState>,
    Require(admin, ..): AdminUser,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
    Form(form): Form<RoleForm>,
) -> Result<Response> {
    let account = existing_account(&state, id).await?;
    let back = format!("/admin/accounts/{id}");
    let (role, unit) = match parse_grant(&state, &form.role, &form.unit).await? {
        Ok(grant) => grant,
        Err(message) => return Ok(flash::redirect(&state.settings, &back, "error", &message)),
    };
    let mut tx = state.db.begin().await?;
    if !db::account::add_role(&mut tx, account.account_id, role, unit).await? {
        return Ok(flash::redirect(
            &state.settings,
            &back,
            "error",
            "该账户已有此角色",
        ));
    }
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &admin.actor(&address),
        Event::new("account.role_added", "account", account.account_id)
            .after(json!({ "role": role.code(), "unit_id": unit })),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect(
        &state.settings,
        &back,
        "ok",
        "角色已添加。",
    ))
}

async fn remove_role(
    State(state): State<AppState>,
    Require(admin, ..): AdminUser,
    address: ClientAddr,
    PathOr404((id, grant)): PathOr404<(i64, i64)>,
) -> Result<Response> {
    let account = existing_account(&state, id).await?;
    let back = format!("/admin/accounts/{id}");
    let mut tx = state.db.begin().await?;
    let removed = db::account::remove_role(&mut tx, account.account_id, AccountRoleId(grant))
        .await?
        .ok_or(AppError::NotFound)?;
    if removed.role == "admin" && db::account::count_enabled_admins(&mut *tx).await? == 0 {
        return Ok(flash::redirect(
            &state.settings,
            &back,
            "error",
            "不能移除最后一个系统管理员的管理员角色",
        ));
    }
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &admin.actor(&address),
        Event::new("account.role_removed", "account", account.account_id)
            .before(json!({ "role": removed.role, "unit_id": removed.unit_id })),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect(
        &state.settings,
        &back,
        "ok",
        "角色已移除。",
    ))
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    new_password: String,
}

async fn reset_password(
    State(state): State<AppState>,
    Require(admin, ..): AdminUser,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
    Form(form): Form<ResetForm>,
) -> Result<Response> {
    let account = existing_account(&state, id).await?;
    let back = format!("/admin/accounts/{id}");
    if let Err(message) = password::check_policy(&form.new_password, &account.username) {
        return Ok(flash::redirect(&state.settings, &back, "error", message));
    }
    let hash = password::hash(form.new_password).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    db::account::set_password(&mut tx, account.account_id, &hash, now).await?;
    let ended = db::session::delete_for_account(&mut *tx, account.account_id).await?;
    db::audit::record(
        &mut *tx,
        now,
        &admin.actor(&address),
        Event::new("account.password_reset", "account", account.account_id)
            .after(json!({ "sessions_ended": ended })),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect(
        &state.settings,
        &back,
        "ok",
        "密码已重置，该账户的所有登录已退出。",
    ))
}

async fn set_disabled(
    state: AppState,
    admin: crate::auth::CurrentUser,
    address: ClientAddr,
    id: i64,
    disabled: bool,
) -> Result<Response> {
    let account = existing_account(&state, id).await?;
    let back = format!("/admin/accounts/{id}");
    if disabled && account.account_id == admin.account_id {
        return Ok(flash::redirect(
            &state.settings,
            &back,
            "error",
            "不能停用自己的账户",
        ));
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
        return Ok(flash::redirect(
            &state.settings,
            &back,
            "error",
            "不能停用最后一个系统管理员",
        ));
    }
    let action = if disabled {
        "account.disabled"
    } else {
        "account.enabled"
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
    Ok(flash::redirect(&state.settings, &back, "ok", message))
}

async fn disable_account(
    State(state): State<AppState>,
    Require(admin, ..): AdminUser,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response> {
    set_disabled(state, admin, address, id, true).await
}

async fn enable_account(
    State(state): State<AppState>,
    Require(admin, ..): AdminUser,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response> {
    set_disabled(state, admin, address, id, false).await
}

pub struct AuditRow {
    at: String,
    username: String,
    action: String,
    entity: String,
    entity_id: String,
    before: Option<String>,
    after: Option<String>,
    address: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    ctx: PageContext,
    filter: db::audit::Filter,
    actions: Vec<String>,
    rows: Vec<AuditRow>,
    error: Option<&'static str>,
    next: Option<String>,
    first: String,
}

fn parse_day(s: &str) -> std::result::Result<Option<DateTime<Utc>>, ()> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let day = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| ())?;
    Ok(Some(day.and_hms_opt(0, 0, 0).ok_or(())?.and_utc()))
}

async fn list_audit(
    State(state): State<AppState>,
    _admin: AdminUser,
    ctx: PageContext,
    Query(filter): Query<db::audit::Filter>,
) -> Result<AuditPage> {
    let from = parse_day(&filter.from);
    let to = parse_day(&filter.to).map(|d| d.map(|d| d + chrono::Duration::days(1)));
    let (rows, error) = match (from, to) {
        (Ok(from), Ok(to)) => {
            let rows = db::audit::list(&state.db, &filter, from, to, PAGE_SIZE + 1).await?;
            (rows, None)
        }
        _ => (Vec::new(), Some("日期格式应为 年-月-日，例如 2018-06-01")),
    };
    let query_without_cursor = serde_urlencoded::to_string([
        ("username", filter.username.as_str()),
        ("action", filter.action.as_str()),
        ("from", filter.from.as_str()),
        ("to", filter.to.as_str()),
    ])
    .unwrap_or_default();
    let next = (rows.len() as i64 > PAGE_SIZE).then(|| {
        let last = rows[PAGE_SIZE as usize - 1].audit_event_id;
        format!("/admin/audit?{query_without_cursor}&after={last}")
    });
    let rows = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|r| AuditRow {
            at: format_time(r.occurred_at),
            username: r.username,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            before: r.before.map(|v| v.to_string()),
            after: r.after.map(|v| v.to_string()),
            address: r.address,
        })
        .collect();
    Ok(AuditPage {
        ctx,
        actions: db::audit::actions(&state.db).await?,
        rows,
        error,
        next,
        first: format!("/admin/audit?{query_without_cursor}"),
        filter,
    })
}

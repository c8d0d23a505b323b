//! Accounts: the list, creating one with its first role, and an account's page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::auth::extract::{ClientAddr, Require};
use crate::auth::password;
use crate::db::{self};
use crate::domain::ids::{AccountId, UnitId};
use crate::domain::role::Role;
use crate::domain::username::Username;
use crate::error::{AppError, Result};
use crate::services::Error;
use crate::services::accounts::{self, NewAccount};
use crate::state::AppState;
use crate::web::layout::PageContext;
use crate::web::paging::Pager;
use crate::web::respond::invalid;
use crate::web::{PathOr404, flash};

use super::{AdminUser, PAGE_SIZE, format_time};

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
    pager: Pager,
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    after: String,
}

pub(super) async fn list_accounts(
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
        pager: Pager::new(
            "/admin/accounts",
            &serde_urlencoded::to_string([("q", &query.q)]).unwrap_or_default(),
            "after",
            next.as_deref(),
        )
        .paged(!query.after.is_empty()),
        q: query.q,
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

pub(super) async fn new_account_form(
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
pub(super) async fn parse_grant(
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

pub(super) async fn create_account(
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
        return Ok(invalid(page));
    };
    let password_hash = password::hash(form.password).await?;
    let new = NewAccount {
        username: &username,
        display_name: &display_name,
        password_hash: &password_hash,
        role,
        unit,
        set_by: crate::db::account::SetBy::Administrator,
    };
    let id =
        match accounts::create(&state.db, &admin.actor(&address), &new, state.clock.now()).await {
            Ok(id) => id,
            Err(Error::Refused(message)) => {
                return Ok(flash::error(
                    &state.settings,
                    "/admin/accounts/new",
                    &message,
                ));
            }
            Err(Error::Database(e)) => return Err(e.into()),
        };
    Ok(flash::ok(
        &state.settings,
        &format!("/admin/accounts/{id}"),
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
    /// When the second factor was enrolled, if it is.
    second_factor_since: Option<String>,
    roles: [Role; 4],
    unit_names: Vec<String>,
}

pub(super) async fn show_account(
    State(state): State<AppState>,
    _admin: AdminUser,
    ctx: PageContext,
    PathOr404(id): PathOr404<AccountId>,
) -> Result<AccountPage> {
    let account = db::account::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    Ok(AccountPage {
        ctx,
        grants: db::account::grants(&state.db, id).await?,
        locked: account.locked_until.is_some_and(|t| t > now),
        locked_until: account
            .locked_until
            .map(|t| format_time(&state.clock, t))
            .unwrap_or_default(),
        created_at: format_time(&state.clock, account.created_at),
        password_changed_at: format_time(&state.clock, account.password_changed_at),
        second_factor_since: db::second_factor::get(&state.db, id)
            .await?
            .enrolled_at
            .map(|t| format_time(&state.clock, t)),
        account,
        roles: Role::ALL,
        unit_names: db::unit::names(&state.db).await?,
    })
}

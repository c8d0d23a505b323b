//! Starting transfers (组织关系接转): sending a member from the member's page, and a
//! receiving organisation asking for a member by name and resident ID.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::response::Response;
use serde::Deserialize;

use super::show::member_page;
use super::{branch_to_change, member_to_change};
use crate::auth::extract::{ClientAddr, Reporter, Require};
use crate::db::member_transfer::{self as transfers};
use crate::db::organization::OrganizationRow;
use crate::db::{self};
use crate::domain::ids::{MemberId, OrganizationId};
use crate::domain::resident_id::ResidentId;
use crate::error::Result;
use crate::services::transfers::Destination;
use crate::services::{self, Error};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::respond::invalid;

#[derive(Debug, Default, Clone, Deserialize)]
pub struct TransferForm {
    /// `zone` (to a branch of the zone) or `out` (out of the zone).
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub organization: String,
    #[serde(default)]
    pub destination: String,
    #[serde(default)]
    pub reason: String,
}

pub(super) fn optional(text: &str, limit: usize) -> std::result::Result<Option<String>, ()> {
    let text = text.trim();
    match text.chars().count() {
        0 => Ok(None),
        n if n > limit => Err(()),
        _ => Ok(Some(text.to_string())),
    }
}

/// The sending side starts a transfer: to a branch of the zone (the receiver must accept)
/// or out of the zone (done at once).
pub async fn request_transfer(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404(id): PathOr404<MemberId>,
    Form(form): Form<TransferForm>,
) -> Result<Response> {
    let member = member_to_change(&state, &user, id).await?;
    let mut errors = Vec::new();
    if !member.state.is_active() {
        errors.push("只有在团的团员才能办理转出".to_string());
    }
    let reason = optional(&form.reason, 200).unwrap_or_else(|_| {
        errors.push("转出原因：不超过200个字".into());
        None
    });
    let target = match form.kind.as_str() {
        "zone" => match transfers::organization_named(&state.db, &form.organization).await? {
            Some((to, _)) if to == member.organization_id => {
                errors.push("接收团组织：不能是团员现在所在的团组织".into());
                None
            }
            Some((to, name)) => Some(Destination::Branch(to, name)),
            None => {
                errors.push("接收团组织：找不到该名称的团组织，请填写完整名称".into());
                None
            }
        },
        "out" => match optional(&form.destination, 100) {
            Ok(Some(destination)) => Some(Destination::OutOfZone(destination)),
            _ => {
                errors.push("转往何处：请填写接收单位或地区，不超过100个字".into());
                None
            }
        },
        _ => {
            errors.push("请选择转往开发区内的团组织或转出开发区".into());
            None
        }
    };
    let Some(to) = target.filter(|_| errors.is_empty()) else {
        let page = member_page(&state, &user, ctx, member, form, errors).await?;
        return Ok(invalid(page));
    };
    let actor = user.actor(&address);
    let now = state.clock.now();
    match services::transfers::send(&state.db, &actor, &member, &to, reason.as_deref(), now).await {
        Ok(()) => {}
        Err(Error::Refused(message)) => {
            let errors = vec![message.into_owned()];
            let page = member_page(&state, &user, ctx, member, form, errors).await?;
            return Ok(invalid(page));
        }
        Err(Error::Database(e)) => return Err(e.into()),
    }
    let message = match &to {
        Destination::Branch(_, name) => {
            format!("已提出将 {} 转往 {}，待对方接收。", member.name, name)
        }
        Destination::OutOfZone(destination) => {
            format!("{} 已转出开发区（{}）。", member.name, destination)
        }
    };
    Ok(flash::ok(
        &state.settings,
        &format!("/members/{id}"),
        &message,
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "members/transfer_in.html")]
pub struct TransferInPage {
    ctx: PageContext,
    org: OrganizationRow,
    form: TransferInForm,
    errors: Vec<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct TransferInForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub resident_id: String,
    #[serde(default)]
    pub reason: String,
}

pub async fn transfer_in_form(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    PathOr404(id): PathOr404<OrganizationId>,
) -> Result<TransferInPage> {
    let org = branch_to_change(&state, &user, id).await?;
    Ok(TransferInPage {
        ctx,
        org,
        form: TransferInForm::default(),
        errors: Vec::new(),
    })
}

/// The receiving side asks for a member it knows by name and resident ID; the sending
/// organisation must release them. Nothing about a member is shown to the asker unless
/// both name and number match.
pub async fn start_transfer_in(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404(id): PathOr404<OrganizationId>,
    Form(form): Form<TransferInForm>,
) -> Result<Response> {
    let org = branch_to_change(&state, &user, id).await?;
    let today = state.clock.today();
    let mut errors = Vec::new();
    let reason = optional(&form.reason, 200).unwrap_or_else(|_| {
        errors.push("转入原因：不超过200个字".into());
        None
    });
    let found = match ResidentId::parse(&form.resident_id, today) {
        Ok(resident_id) => {
            db::member::find_by_resident_id(&state.db, &state.keys, &resident_id).await?
        }
        Err(e) => {
            errors.push(format!(
                "身份证号码：{}",
                e.message().trim_start_matches("身份证号码")
            ));
            None
        }
    };
    let name = form.name.trim();
    let member = match found {
        Some((member_id, member_name, from, member_state)) if member_name == name => {
            if from == id {
                errors.push("该团员已在本团组织".into());
            } else if !member_state.is_active() {
                errors.push("该团员已不在团，不能转入".into());
            }
            Some((member_id, from))
        }
        _ if errors.is_empty() => {
            errors.push(
                "未找到该团员：请核对姓名和身份证号码；未在本系统登记的团员请直接登记".into(),
            );
            None
        }
        _ => None,
    };
    let Some((member_id, from)) = member.filter(|_| errors.is_empty()) else {
        return Ok(invalid(TransferInPage {
            ctx,
            org,
            form,
            errors,
        }));
    };
    let actor = user.actor(&address);
    let now = state.clock.now();
    let asked = services::transfers::ask(
        &state.db,
        &actor,
        (member_id, name),
        (from, id, &org.name),
        reason.as_deref(),
        now,
    )
    .await;
    match asked {
        Ok(_) => {}
        Err(Error::Refused(message)) => {
            let page = TransferInPage {
                ctx,
                org,
                form,
                errors: vec![message.into_owned()],
            };
            return Ok(invalid(page));
        }
        Err(Error::Database(e)) => return Err(e.into()),
    }
    Ok(flash::ok(
        &state.settings,
        "/members/transfers",
        &format!("已申请转入 {name}，待转出方同意。"),
    ))
}

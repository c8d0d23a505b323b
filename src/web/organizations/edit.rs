//! The committee's changes to an organisation: its term (换届), its cadres, and the units
//! of a 联合团支部.

use axum::extract::{Form, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::auth::extract::{ClientAddr, Committee, Require};
use crate::db::{self, audit::Event};
use crate::domain::audit::Action as AuditAction;
use crate::domain::organization::Kind;
use crate::domain::text::parse_date_text;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;

use super::org_for;
use crate::domain::ids::{CadreId, OrganizationId};

#[derive(Deserialize)]
pub struct TermForm {
    #[serde(default)]
    secretary_name: String,
    #[serde(default)]
    elected_on: String,
    #[serde(default)]
    term_years: String,
}

pub async fn update_term(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<OrganizationId>,
    Form(form): Form<TermForm>,
) -> Result<Response> {
    let org = org_for::<Committee>(&state, &user, id).await?;
    let back = format!("/organizations/{id}");
    let years: i32 = match form.term_years.trim() {
        "2" => 2,
        "3" => 3,
        _ => {
            return Ok(flash::error(&state.settings, &back, "任期应为2年或3年"));
        }
    };
    let elected_on = match form.elected_on.trim() {
        "" => None,
        text => match parse_date_text(text) {
            Some(d) => Some(d),
            None => {
                return Ok(flash::error(
                    &state.settings,
                    &back,
                    "换届日期不是有效的日期",
                ));
            }
        },
    };
    let secretary = Some(form.secretary_name.trim()).filter(|s| !s.is_empty());
    let mut tx = state.db.begin().await?;
    if !db::organization::update_term(&mut tx, id, secretary, elected_on, years).await? {
        return Err(AppError::NotFound);
    }
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &user.actor(&address),
        Event::new(AuditAction::OrganizationUpdated, "organization", id)
            .before(json!({"secretary": org.secretary_name, "elected_on": org.elected_on, "term_years": org.term_years}))
            .after(json!({"secretary": secretary, "elected_on": elected_on, "term_years": years})),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::ok(&state.settings, &back, "已保存书记和任期。"))
}

#[derive(Deserialize)]
pub struct CadreForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    post: String,
}

pub async fn add_cadre(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<OrganizationId>,
    Form(form): Form<CadreForm>,
) -> Result<Response> {
    org_for::<Committee>(&state, &user, id).await?;
    let back = format!("/organizations/{id}");
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 30 {
        return Ok(flash::error(
            &state.settings,
            &back,
            "请填写委员姓名（不超过30个字）",
        ));
    }
    if !["书记", "副书记", "组织委员", "宣传委员", "委员"].contains(&form.post.as_str())
    {
        return Ok(flash::error(&state.settings, &back, "请选择职务"));
    }
    let mut tx = state.db.begin().await?;
    let cadre = db::organization::add_cadre(&mut tx, id, name, &form.post).await?;
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &user.actor(&address),
        Event::new(AuditAction::OrganizationCadreAdded, "organization", id)
            .after(json!({"cadre_id": cadre, "name": name, "post": form.post})),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::ok(&state.settings, &back, "已添加委员。"))
}

pub async fn remove_cadre(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404((id, cadre)): PathOr404<(OrganizationId, CadreId)>,
) -> Result<Response> {
    org_for::<Committee>(&state, &user, id).await?;
    let mut tx = state.db.begin().await?;
    if !db::organization::remove_cadre(&mut tx, id, cadre).await? {
        return Err(AppError::NotFound);
    }
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &user.actor(&address),
        Event::new(AuditAction::OrganizationCadreRemoved, "organization", id)
            .before(json!({"cadre_id": cadre})),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::ok(
        &state.settings,
        &format!("/organizations/{id}"),
        "已移除委员。",
    ))
}

#[derive(Deserialize)]
pub struct JointUnitForm {
    #[serde(default)]
    unit: String,
}

/// Adds a unit, by its exact name, to a 联合团支部.
pub async fn add_joint_unit(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<OrganizationId>,
    Form(form): Form<JointUnitForm>,
) -> Result<Response> {
    let org = org_for::<Committee>(&state, &user, id).await?;
    let back = format!("/organizations/{id}");
    if org.kind != Kind::JointBranch {
        return Ok(flash::error(
            &state.settings,
            &back,
            "只有联合团支部可以包含多个单位",
        ));
    }
    let Some(unit) = db::unit::find_id_by_name(&state.db, &form.unit).await? else {
        return Ok(flash::error(
            &state.settings,
            &back,
            &format!("找不到名为“{}”的单位", form.unit.trim()),
        ));
    };
    let mut tx = state.db.begin().await?;
    if !db::organization::add_joint_unit(&mut tx, id, unit).await? {
        return Ok(flash::error(
            &state.settings,
            &back,
            "该单位已有团组织或已在其他联合团支部中",
        ));
    }
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &user.actor(&address),
        Event::new(AuditAction::OrganizationUnitAdded, "organization", id)
            .after(json!({"unit_id": unit})),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::ok(&state.settings, &back, "已加入联合团支部。"))
}

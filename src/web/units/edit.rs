//! Creating, editing and closing units (committee only).

use axum::extract::{Form, State};
use axum::response::Response;
use serde_json::json;

use crate::auth::extract::{ClientAddr, Committee, Require};
use crate::db::is_unique_violation;
use crate::db::{self, audit::Event};
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::UnitId;
use crate::domain::unit::{Status, UnitKind};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;

use super::form::{UnitForm, UnitFormPage, conflict_message, refused};

pub async fn new_unit(_user: Require<Committee>, ctx: PageContext) -> UnitFormPage {
    UnitFormPage::page(
        ctx,
        UnitForm {
            kind: UnitKind::Enterprise.code().into(),
            status: Status::Operating.code().into(),
            ..Default::default()
        },
        Vec::new(),
        None,
    )
}

pub async fn create_unit(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    ctx: PageContext,
    address: ClientAddr,
    Form(form): Form<UnitForm>,
) -> Result<Response> {
    let input = match form.check() {
        Ok(input) => input,
        Err(errors) => {
            let errors = errors
                .into_iter()
                .map(|(f, m)| format!("{f}：{m}"))
                .collect();
            return Ok(refused(ctx, form, errors, None));
        }
    };
    let mut tx = state.db.begin().await?;
    let id = match db::unit::create(&mut tx, &input).await {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            return Ok(refused(ctx, form, vec![conflict_message(&e)], None));
        }
        Err(e) => return Err(e.into()),
    };
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &user.actor(&address),
        Event::new(AuditAction::UnitCreated, "unit", id).after(json!(input)),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::ok(
        &state.settings,
        &format!("/units/{id}"),
        &format!("已新增单位“{}”。", input.name),
    ))
}

async fn open_unit(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: i64,
) -> Result<db::unit::Unit> {
    db::unit::get(&state.db, UnitId(id), &user.scope)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn edit_unit(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    ctx: PageContext,
    PathOr404(id): PathOr404<i64>,
) -> Result<UnitFormPage> {
    let unit = open_unit(&state, &user, id).await?;
    Ok(UnitFormPage::page(
        ctx,
        UnitForm::from_unit(&unit),
        Vec::new(),
        Some(unit.unit_id),
    ))
}

pub async fn update_unit(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
    Form(form): Form<UnitForm>,
) -> Result<Response> {
    let unit = open_unit(&state, &user, id).await?;
    if unit.closed_on.is_some() {
        return Ok(flash::error(
            &state.settings,
            &format!("/units/{id}"),
            "该单位已注销，不能再修改。",
        ));
    }
    let input = match form.check() {
        Ok(input) => input,
        Err(errors) => {
            let errors = errors
                .into_iter()
                .map(|(f, m)| format!("{f}：{m}"))
                .collect();
            return Ok(refused(ctx, form, errors, Some(unit.unit_id)));
        }
    };
    let mut tx = state.db.begin().await?;
    if let Err(e) = db::unit::update(&mut tx, unit.unit_id, &input).await {
        if is_unique_violation(&e) {
            return Ok(refused(
                ctx,
                form,
                vec![conflict_message(&e)],
                Some(unit.unit_id),
            ));
        }
        return Err(e.into());
    }
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &user.actor(&address),
        Event::new(AuditAction::UnitUpdated, "unit", unit.unit_id)
            .before(json!(unit))
            .after(json!(input)),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::ok(
        &state.settings,
        &format!("/units/{id}"),
        "单位信息已保存。",
    ))
}

pub async fn close_unit(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response> {
    let unit = open_unit(&state, &user, id).await?;
    let today = state.clock.now().date_naive();
    let mut tx = state.db.begin().await?;
    if !db::unit::close(&mut tx, unit.unit_id, today).await? {
        return Ok(flash::error(
            &state.settings,
            &format!("/units/{id}"),
            "该单位已注销。",
        ));
    }
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &user.actor(&address),
        Event::new(AuditAction::UnitClosed, "unit", unit.unit_id)
            .before(json!({ "closed_on": null, "status": unit.status }))
            .after(json!({ "closed_on": today })),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::ok(
        &state.settings,
        &format!("/units/{id}"),
        &format!("“{}”已注销。", unit.name),
    ))
}

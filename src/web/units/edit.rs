//! Creating, editing and closing units (committee only).

use axum::extract::{Form, State};
use axum::response::Response;

use crate::auth::extract::{ClientAddr, Committee, Require};
use crate::db::{self, unit::UnitInput};
use crate::domain::ids::UnitId;
use crate::domain::unit::{Status, UnitKind};
use crate::error::Result;
use crate::services::{Error, units};
use crate::state::AppState;
use crate::web::layout::PageContext;
use crate::web::{PathOr404, flash};

use super::form::{UnitForm, UnitFormPage, refused};

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
    let input = match UnitInput::try_from(&form) {
        Ok(input) => input,
        Err(errors) => return Ok(refused(ctx, form, errors.messages(), None)),
    };
    let id = match units::create(&state.db, &user.actor(&address), &input, state.clock.now()).await
    {
        Ok(id) => id,
        Err(Error::Refused(message)) => {
            return Ok(refused(ctx, form, vec![message.into_owned()], None));
        }
        Err(Error::Database(e)) => return Err(e.into()),
    };
    Ok(flash::ok(
        &state.settings,
        &format!("/units/{id}"),
        &format!("已新增单位“{}”。", input.name),
    ))
}

async fn open_unit(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: UnitId,
) -> Result<db::unit::Unit> {
    crate::web::scoped::open_for::<Committee, _, _, _>(user, |scope| async move {
        db::unit::get(&state.db, id, &scope).await
    })
    .await
}

pub async fn edit_unit(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    ctx: PageContext,
    PathOr404(id): PathOr404<UnitId>,
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
    PathOr404(id): PathOr404<UnitId>,
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
    let input = match UnitInput::try_from(&form) {
        Ok(input) => input,
        Err(errors) => return Ok(refused(ctx, form, errors.messages(), Some(unit.unit_id))),
    };
    let actor = user.actor(&address);
    match units::update(&state.db, &actor, &unit, &input, state.clock.now()).await {
        Ok(()) => Ok(flash::ok(
            &state.settings,
            &format!("/units/{id}"),
            "单位信息已保存。",
        )),
        Err(Error::Refused(message)) => Ok(refused(
            ctx,
            form,
            vec![message.into_owned()],
            Some(unit.unit_id),
        )),
        Err(Error::Database(e)) => Err(e.into()),
    }
}

pub async fn close_unit(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<UnitId>,
) -> Result<Response> {
    let unit = open_unit(&state, &user, id).await?;
    let when = (state.clock.now(), state.clock.today());
    let done = units::close(&state.db, &user.actor(&address), &unit, when).await;
    flash::outcome(
        &state.settings,
        &format!("/units/{id}"),
        done,
        &format!("“{}”已注销。", unit.name),
    )
}

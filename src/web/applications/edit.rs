//! Drafting an application: the new form pre-filled from the latest survey round, creating
//! it (saved or submitted at once), and changing a draft or returned one.

use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::auth::extract::{ClientAddr, Require, Secretary};
use crate::db::{self, application::Input};
use crate::domain::application::{Action, next, warnings};
use crate::domain::ids::{ApplicationId, UnitId};
use crate::domain::organization::Kind as OrganizationKind;
use crate::error::{AppError, Result};
use crate::services::{Error, applications};
use crate::state::AppState;
use crate::web::layout::PageContext;
use crate::web::scoped::open_for;
use crate::web::{PathOr404, flash};

use super::application_for;
use super::form::{ApplicationForm, FormPage, refuse_form};

/// The secretary's unit the form is for: the one asked for if one of theirs (as secretary,
/// not through any other grant), else their first one.
async fn unit_for(state: &AppState, user: &CurrentUser, asked: &str) -> Result<db::unit::Unit> {
    let id = match asked.trim().parse::<i64>() {
        Ok(id) => UnitId(id),
        Err(_) => user
            .grants
            .iter()
            .find_map(|g| g.unit_id)
            .ok_or(AppError::NotFound)?,
    };
    let pool = &state.db;
    open_for::<Secretary, _, _, _>(user, |scope| async move {
        db::unit::get(pool, id, &scope).await
    })
    .await
}

#[derive(Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    unit: String,
}

pub async fn new_application(
    State(state): State<AppState>,
    Require(user, ..): Require<Secretary>,
    ctx: PageContext,
    Query(query): Query<NewQuery>,
) -> Result<FormPage> {
    let unit = unit_for(&state, &user, &query.unit).await?;
    let latest = db::survey::get_or_latest(&state.db, None).await?;
    let entry = match latest {
        Some(r) => db::survey::entry(&state.db, r.survey_id, unit.unit_id).await?,
        None => None,
    };
    let short = unit.name.trim_start_matches("开发区").to_string();
    let form = ApplicationForm {
        unit: unit.unit_id.to_string(),
        proposed_name: format!("{short}团支部"),
        proposed_kind: OrganizationKind::Branch.code().into(),
        member_count: entry
            .as_ref()
            .map(|e| e.members.to_string())
            .unwrap_or_default(),
        youth_count: entry
            .as_ref()
            .map(|e| e.youth.to_string())
            .unwrap_or_default(),
        ..Default::default()
    };
    let warnings = entry
        .map(|e| warnings(OrganizationKind::Branch, e.members))
        .unwrap_or_default();
    Ok(FormPage {
        ctx,
        form,
        errors: Vec::new(),
        application_id: None,
        unit_name: unit.name,
        kinds: OrganizationKind::OF_UNIT,
        warnings,
    })
}

pub async fn create_application(
    State(state): State<AppState>,
    Require(user, ..): Require<Secretary>,
    ctx: PageContext,
    address: ClientAddr,
    Form(form): Form<ApplicationForm>,
) -> Result<Response> {
    let unit = unit_for(&state, &user, &form.unit).await?;
    let input = match Input::try_from(&form) {
        Ok(input) => input,
        Err(errors) => return Ok(refuse_form(ctx, form, errors.messages(), None, unit.name)),
    };
    if db::organization::for_unit(&state.db, unit.unit_id)
        .await?
        .is_some()
    {
        return Ok(refuse_form(
            ctx,
            form,
            vec!["本单位已建立团组织，无需再申请".into()],
            None,
            unit.name,
        ));
    }
    let submit = form.action() == Action::Submit;
    let created = applications::create(
        &state.db,
        &user.actor(&address),
        (unit.unit_id, &unit.name),
        &input,
        submit,
        state.clock.now(),
    )
    .await;
    let id = match created {
        Ok(id) => id,
        Err(Error::Refused(message)) => {
            return Ok(refuse_form(
                ctx,
                form,
                vec![message.into_owned()],
                None,
                unit.name,
            ));
        }
        Err(Error::Database(e)) => return Err(e.into()),
    };
    let message = if submit {
        "建团申请已提交，请等待团工委批复。"
    } else {
        "已保存为草稿。"
    };
    Ok(flash::ok(
        &state.settings,
        &format!("/applications/{id}"),
        message,
    ))
}

pub async fn edit_application(
    State(state): State<AppState>,
    Require(user, ..): Require<Secretary>,
    ctx: PageContext,
    PathOr404(id): PathOr404<ApplicationId>,
) -> Result<Response> {
    let app = application_for::<Secretary>(&state, &user, id).await?;
    if let Err(message) = next(app.state, Action::Save) {
        return Ok(flash::error(
            &state.settings,
            &format!("/applications/{id}"),
            message,
        ));
    }
    let warnings = warnings(app.proposed_kind, app.member_count);
    Ok(FormPage {
        ctx,
        form: ApplicationForm::from_app(&app),
        errors: Vec::new(),
        application_id: Some(id),
        unit_name: app.unit_name,
        kinds: OrganizationKind::OF_UNIT,
        warnings,
    }
    .into_response())
}

pub async fn update_application(
    State(state): State<AppState>,
    Require(user, ..): Require<Secretary>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404(id): PathOr404<ApplicationId>,
    Form(form): Form<ApplicationForm>,
) -> Result<Response> {
    let app = application_for::<Secretary>(&state, &user, id).await?;
    let back = format!("/applications/{id}");
    if let Err(message) = next(app.state, form.action()) {
        return Ok(flash::error(&state.settings, &back, message));
    }
    let input = match Input::try_from(&form) {
        Ok(input) => input,
        Err(errors) => {
            let errors = errors.messages();
            return Ok(refuse_form(ctx, form, errors, Some(id), app.unit_name));
        }
    };
    let submit = form.action() == Action::Submit;
    let actor = user.actor(&address);
    let now = state.clock.now();
    let done = applications::update(&state.db, &actor, &app, &input, submit, now).await;
    let message = if submit {
        "建团申请已提交，请等待团工委批复。"
    } else {
        "已保存修改。"
    };
    flash::outcome(&state.settings, &back, done, message)
}

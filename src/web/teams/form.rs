//! Founding a volunteer team and changing it: the form, its faults shown again (422).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::response::Response;

use crate::auth::extract::{ClientAddr, Reporter, Require};
use crate::domain::ids::VolunteerTeamId;
use crate::domain::volunteer_team::{Domain, TeamFields, TeamInput};
use crate::error::Result;
use crate::services::{Error, volunteer_teams};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::respond::invalid;

use super::open_for_write;

#[derive(Template, WebTemplate)]
#[template(path = "teams/form.html")]
pub struct FormPage {
    ctx: PageContext,
    form: TeamFields,
    errors: Vec<String>,
    /// None for a new team.
    team_id: Option<VolunteerTeamId>,
    domains: [Domain; 8],
}

fn page(
    ctx: PageContext,
    form: TeamFields,
    errors: Vec<String>,
    team_id: Option<VolunteerTeamId>,
) -> FormPage {
    FormPage {
        ctx,
        form,
        errors,
        team_id,
        domains: Domain::ALL,
    }
}

pub async fn new_team(
    State(state): State<AppState>,
    Require(..): Require<Reporter>,
    ctx: PageContext,
) -> Result<FormPage> {
    let form = TeamFields {
        founded_on: state.clock.today().to_string(),
        ..TeamFields::default()
    };
    Ok(page(ctx, form, Vec::new(), None))
}

pub async fn create_team(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    address: ClientAddr,
    Form(form): Form<TeamFields>,
) -> Result<Response> {
    let input = match TeamInput::try_from(&form) {
        Ok(input) => input,
        Err(errors) => return Ok(invalid(page(ctx, form, errors.messages(), None))),
    };
    match volunteer_teams::create(
        &state.db,
        &user.actor(&address),
        &user.scope_for::<Reporter>(),
        &input,
        state.clock.now(),
    )
    .await
    {
        Ok(id) => Ok(flash::ok(
            &state.settings,
            &format!("/teams/{id}"),
            &format!("已成立“{}”。", input.name),
        )),
        Err(Error::Refused(message)) => {
            Ok(invalid(page(ctx, form, vec![message.into_owned()], None)))
        }
        Err(Error::Database(e)) => Err(e.into()),
    }
}

pub async fn edit_team(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    PathOr404(id): PathOr404<VolunteerTeamId>,
) -> Result<FormPage> {
    let team = open_for_write(&state, &user, id).await?;
    let form = TeamFields {
        name: team.name,
        domain: team.domain.code().into(),
        unit_name: team.unit_name,
        leader_name: team.leader_name,
        founded_on: team.founded_on.to_string(),
        description: team.description,
    };
    Ok(page(ctx, form, Vec::new(), Some(id)))
}

pub async fn update_team(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404(id): PathOr404<VolunteerTeamId>,
    Form(form): Form<TeamFields>,
) -> Result<Response> {
    let team = open_for_write(&state, &user, id).await?;
    let input = match TeamInput::try_from(&form) {
        Ok(input) => input,
        Err(errors) => return Ok(invalid(page(ctx, form, errors.messages(), Some(id)))),
    };
    match volunteer_teams::update(
        &state.db,
        &user.actor(&address),
        &user.scope_for::<Reporter>(),
        &team,
        &input,
        state.clock.now(),
    )
    .await
    {
        Ok(()) => Ok(flash::ok(
            &state.settings,
            &format!("/teams/{id}"),
            "已保存志愿服务队。",
        )),
        Err(Error::Refused(message)) => Ok(invalid(page(
            ctx,
            form,
            vec![message.into_owned()],
            Some(id),
        ))),
        Err(Error::Database(e)) => Err(e.into()),
    }
}

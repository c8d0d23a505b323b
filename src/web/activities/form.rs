//! Recording an activity and changing it: the form, its faults shown again (422), and the
//! organisers the user may record for.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::response::Response;

use crate::auth::CurrentUser;
use crate::auth::extract::{ClientAddr, Reporter, Require};
use crate::db::{self, activity::Span};
use crate::domain::activity::{ActivityFields, ActivityInput, Kind};
use crate::domain::ids::{ActivityId, OrganizationId, VolunteerTeamId};
use crate::error::Result;
use crate::services::{Error, activities};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::respond::invalid;

use super::open_for_write;

#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct ActivityForm {
    #[serde(flatten)]
    fields: ActivityFields,
    #[serde(default)]
    organization_id: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "activities/form.html")]
pub struct FormPage {
    ctx: PageContext,
    form: ActivityForm,
    errors: Vec<String>,
    /// None for a new activity.
    activity_id: Option<ActivityId>,
    organizers: Vec<(OrganizationId, String)>,
    /// The volunteer teams the user may name as carrying it out.
    teams: Vec<(VolunteerTeamId, String)>,
    kinds: [Kind; 6],
}

impl FormPage {
    fn kind_chosen(&self, kind: &Kind) -> bool {
        self.form.fields.kind == kind.code()
    }

    fn organizer_chosen(&self, id: &OrganizationId) -> bool {
        self.form.organization_id == id.to_string()
    }

    fn team_chosen(&self, id: &VolunteerTeamId) -> bool {
        self.form.fields.volunteer_team.trim() == id.to_string()
    }
}

/// What the form offers the user: the organisers and the volunteer teams they may record
/// for.
struct Choices {
    organizers: Vec<(OrganizationId, String)>,
    teams: Vec<(VolunteerTeamId, String)>,
}

impl Choices {
    async fn of(state: &AppState, user: &CurrentUser) -> Result<Choices> {
        let scope = user.scope_for::<Reporter>();
        Ok(Choices {
            organizers: db::activity::organizers(&state.db, &scope).await?,
            teams: db::volunteer_team::options(&state.db, &scope).await?,
        })
    }

    /// The team the form names, when it is one the user may choose; a fault otherwise.
    fn team_fault(&self, input: &ActivityInput) -> Option<String> {
        let team = input.volunteer_team?;
        (!self.teams.iter().any(|(id, _)| *id == team))
            .then(|| "志愿服务队：请从您管理的服务队中选择".to_string())
    }
}

fn page(
    ctx: PageContext,
    form: ActivityForm,
    errors: Vec<String>,
    activity_id: Option<ActivityId>,
    choices: Choices,
) -> FormPage {
    FormPage {
        ctx,
        form,
        errors,
        activity_id,
        organizers: choices.organizers,
        teams: choices.teams,
        kinds: Kind::ALL,
    }
}

/// The instants of the form's local times.
fn span(state: &AppState, input: &ActivityInput) -> Span {
    Span {
        starts_at: state.clock.instant_of(input.starts_at),
        ends_at: state.clock.instant_of(input.ends_at),
    }
}

pub async fn new_activity(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
) -> Result<FormPage> {
    let choices = Choices::of(&state, &user).await?;
    let form = ActivityForm {
        fields: ActivityFields {
            kind: Kind::Volunteer.code().into(),
            ..ActivityFields::default()
        },
        organization_id: choices
            .organizers
            .first()
            .map(|(id, _)| id.to_string())
            .unwrap_or_default(),
    };
    Ok(page(ctx, form, Vec::new(), None, choices))
}

pub async fn create_activity(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    address: ClientAddr,
    Form(form): Form<ActivityForm>,
) -> Result<Response> {
    let choices = Choices::of(&state, &user).await?;
    let organizer = choices
        .organizers
        .iter()
        .find(|(id, _)| form.organization_id.trim() == id.to_string())
        .map(|(id, _)| *id);
    let input = ActivityInput::try_from(&form.fields);
    let team_fault = input.as_ref().ok().and_then(|i| choices.team_fault(i));
    let (input, organizer) = match (input, organizer, team_fault) {
        (Ok(input), Some(organizer), None) => (input, organizer),
        (input, organizer, team_fault) => {
            let mut errors = input.err().map(|e| e.messages()).unwrap_or_default();
            if organizer.is_none() {
                errors.insert(0, "主办组织：请选择本人所在的团组织".into());
            }
            errors.extend(team_fault);
            return Ok(invalid(page(ctx, form, errors, None, choices)));
        }
    };
    let id = match activities::create(
        &state.db,
        &user.actor(&address),
        &input,
        span(&state, &input),
        organizer,
        state.clock.now(),
    )
    .await
    {
        Ok(id) => id,
        Err(Error::Refused(message)) => {
            return Ok(invalid(page(
                ctx,
                form,
                vec![message.into_owned()],
                None,
                choices,
            )));
        }
        Err(Error::Database(e)) => return Err(e.into()),
    };
    Ok(flash::ok(
        &state.settings,
        &format!("/activities/{id}"),
        &format!("已登记活动“{}”。", input.title),
    ))
}

fn form_of(state: &AppState, row: &db::activity::ActivityRow) -> ActivityForm {
    let local = |at| state.clock.local(at).format("%Y-%m-%dT%H:%M").to_string();
    ActivityForm {
        fields: ActivityFields {
            kind: row.kind.code().into(),
            title: row.title.clone(),
            starts_at: local(row.starts_at),
            ends_at: local(row.ends_at),
            place: row.place.clone(),
            series: row.series.clone(),
            edition: row.edition.map(|n| n.to_string()).unwrap_or_default(),
            description: row.description.clone(),
            volunteer_team: row
                .volunteer_team_id
                .map(|t| t.to_string())
                .unwrap_or_default(),
        },
        organization_id: row.organization_id.to_string(),
    }
}

/// The choices when changing `row`: its organiser only, and the teams the user may name
/// (with the activity's own team, which may lie outside them).
async fn choices_for(
    state: &AppState,
    user: &CurrentUser,
    row: &db::activity::ActivityRow,
) -> Result<Choices> {
    let mut choices = Choices::of(state, user).await?;
    choices.organizers = vec![(row.organization_id, row.organizer.clone())];
    if let (Some(id), Some(name)) = (row.volunteer_team_id, &row.team_name)
        && !choices.teams.iter().any(|(t, _)| *t == id)
    {
        choices.teams.push((id, name.clone()));
    }
    Ok(choices)
}

pub async fn edit_activity(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    PathOr404(id): PathOr404<ActivityId>,
) -> Result<FormPage> {
    let row = open_for_write(&state, &user, id).await?;
    let form = form_of(&state, &row);
    let choices = choices_for(&state, &user, &row).await?;
    Ok(page(ctx, form, Vec::new(), Some(id), choices))
}

pub async fn update_activity(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404(id): PathOr404<ActivityId>,
    Form(form): Form<ActivityForm>,
) -> Result<Response> {
    let row = open_for_write(&state, &user, id).await?;
    let choices = choices_for(&state, &user, &row).await?;
    let input = ActivityInput::try_from(&form.fields).map_err(|e| e.messages());
    let input = match input.and_then(|i| match choices.team_fault(&i) {
        Some(fault) => Err(vec![fault]),
        None => Ok(i),
    }) {
        Ok(input) => input,
        Err(errors) => return Ok(invalid(page(ctx, form, errors, Some(id), choices))),
    };
    match activities::update(
        &state.db,
        &user.actor(&address),
        &row,
        &input,
        span(&state, &input),
        state.clock.now(),
    )
    .await
    {
        Ok(()) => {}
        Err(Error::Refused(message)) => {
            return Ok(invalid(page(
                ctx,
                form,
                vec![message.into_owned()],
                Some(id),
                choices,
            )));
        }
        Err(Error::Database(e)) => return Err(e.into()),
    }
    Ok(flash::ok(
        &state.settings,
        &format!("/activities/{id}"),
        "已保存活动。",
    ))
}

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
use crate::domain::ids::{ActivityId, OrganizationId};
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
    kinds: [Kind; 6],
}

impl FormPage {
    fn kind_chosen(&self, kind: &Kind) -> bool {
        self.form.fields.kind == kind.code()
    }

    fn organizer_chosen(&self, id: &OrganizationId) -> bool {
        self.form.organization_id == id.to_string()
    }
}

async fn organizers(state: &AppState, user: &CurrentUser) -> Result<Vec<(OrganizationId, String)>> {
    Ok(db::activity::organizers(&state.db, &user.scope_for::<Reporter>()).await?)
}

fn page(
    ctx: PageContext,
    form: ActivityForm,
    errors: Vec<String>,
    activity_id: Option<ActivityId>,
    organizers: Vec<(OrganizationId, String)>,
) -> FormPage {
    FormPage {
        ctx,
        form,
        errors,
        activity_id,
        organizers,
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
    let organizers = organizers(&state, &user).await?;
    let form = ActivityForm {
        fields: ActivityFields {
            kind: Kind::Volunteer.code().into(),
            ..ActivityFields::default()
        },
        organization_id: organizers
            .first()
            .map(|(id, _)| id.to_string())
            .unwrap_or_default(),
    };
    Ok(page(ctx, form, Vec::new(), None, organizers))
}

pub async fn create_activity(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    address: ClientAddr,
    Form(form): Form<ActivityForm>,
) -> Result<Response> {
    let organizers = organizers(&state, &user).await?;
    let organizer = organizers
        .iter()
        .find(|(id, _)| form.organization_id.trim() == id.to_string())
        .map(|(id, _)| *id);
    let input = ActivityInput::try_from(&form.fields);
    let (input, organizer) = match (input, organizer) {
        (Ok(input), Some(organizer)) => (input, organizer),
        (input, organizer) => {
            let mut errors = input.err().map(|e| e.messages()).unwrap_or_default();
            if organizer.is_none() {
                errors.insert(0, "主办组织：请选择本人所在的团组织".into());
            }
            return Ok(invalid(page(ctx, form, errors, None, organizers)));
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
                organizers,
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
        },
        organization_id: row.organization_id.to_string(),
    }
}

pub async fn edit_activity(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    PathOr404(id): PathOr404<ActivityId>,
) -> Result<FormPage> {
    let row = open_for_write(&state, &user, id).await?;
    let form = form_of(&state, &row);
    let organizers = vec![(row.organization_id, row.organizer.clone())];
    Ok(page(ctx, form, Vec::new(), Some(id), organizers))
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
    let organizers = vec![(row.organization_id, row.organizer.clone())];
    let input = match ActivityInput::try_from(&form.fields) {
        Ok(input) => input,
        Err(errors) => {
            return Ok(invalid(page(
                ctx,
                form,
                errors.messages(),
                Some(id),
                organizers,
            )));
        }
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
                organizers,
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

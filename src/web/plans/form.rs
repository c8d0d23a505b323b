//! Entering a work-plan item and changing it (the committee): the form, with the zone's
//! organisations and the accounts that may own an item as suggestions, and its faults shown
//! again (422).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};

use crate::auth::extract::{ClientAddr, Committee, Require};
use crate::db;
use crate::domain::ids::WorkPlanItemId;
use crate::domain::work_plan::{PlanFields, PlanInput, chinese_number};
use crate::error::Result;
use crate::services::{Error, work_plans};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::respond::invalid;

use super::list::YearQuery;

/// How many names the form suggests.
const CHOICES: i64 = 500;

#[derive(Template, WebTemplate)]
#[template(path = "plans/form.html")]
pub struct FormPage {
    ctx: PageContext,
    form: PlanFields,
    errors: Vec<String>,
    /// None for a new item.
    item_id: Option<WorkPlanItemId>,
    organizations: Vec<String>,
    /// (username, display name)
    accounts: Vec<(String, String)>,
}

async fn page(
    state: &AppState,
    ctx: PageContext,
    form: PlanFields,
    errors: Vec<String>,
    item_id: Option<WorkPlanItemId>,
) -> Result<FormPage> {
    Ok(FormPage {
        organizations: db::work_plan::organization_choices(&state.db, CHOICES).await?,
        accounts: db::work_plan::account_choices(&state.db, CHOICES).await?,
        ctx,
        form,
        errors,
        item_id,
    })
}

pub async fn new_plan(
    State(state): State<AppState>,
    Require(..): Require<Committee>,
    ctx: PageContext,
    Query(query): Query<YearQuery>,
) -> Result<FormPage> {
    let year = crate::web::activities::parse_year(&query.year)
        .map_or_else(|| state.clock.today().year(), |d| d.year());
    let number = db::work_plan::next_number(&state.db, year).await?;
    let committee = db::organization::committee(&state.db).await?;
    let form = PlanFields {
        year: year.to_string(),
        number: chinese_number(number),
        owner_organization: committee.map(|c| c.name).unwrap_or_default(),
        due_on: NaiveDate::from_ymd_opt(year, 12, 31)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        ..PlanFields::default()
    };
    page(&state, ctx, form, Vec::new(), None).await
}

pub async fn create_plan(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    ctx: PageContext,
    address: ClientAddr,
    Form(form): Form<PlanFields>,
) -> Result<Response> {
    let input = match PlanInput::try_from(&form) {
        Ok(input) => input,
        Err(errors) => {
            return Ok(invalid(
                page(&state, ctx, form, errors.messages(), None).await?,
            ));
        }
    };
    match work_plans::create(&state.db, &user.actor(&address), &input, state.clock.now()).await {
        Ok(id) => Ok(flash::ok(
            &state.settings,
            &format!("/plans/{id}"),
            &format!("已添加{}年工作安排“{}”。", input.year, input.heading),
        )),
        Err(Error::Refused(message)) => Ok(invalid(
            page(&state, ctx, form, vec![message.into_owned()], None).await?,
        )),
        Err(Error::Database(e)) => Err(e.into()),
    }
}

pub async fn edit_plan(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    ctx: PageContext,
    PathOr404(id): PathOr404<WorkPlanItemId>,
) -> Result<FormPage> {
    let item = super::open(&state, &user, id).await?;
    let form = PlanFields {
        year: item.year.to_string(),
        number: item.number_text(),
        heading: item.heading,
        text: item.text,
        owner_organization: item.owner_organization.unwrap_or_default(),
        owner_name: item.owner_name.unwrap_or_default(),
        owner_username: item.owner_username.unwrap_or_default(),
        due_on: item.due_on.to_string(),
    };
    page(&state, ctx, form, Vec::new(), Some(id)).await
}

pub async fn update_plan(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404(id): PathOr404<WorkPlanItemId>,
    Form(form): Form<PlanFields>,
) -> Result<Response> {
    let item = super::open(&state, &user, id).await?;
    let input = match PlanInput::try_from(&form) {
        Ok(input) => input,
        Err(errors) => {
            return Ok(invalid(
                page(&state, ctx, form, errors.messages(), Some(id)).await?,
            ));
        }
    };
    match work_plans::update(
        &state.db,
        &user.actor(&address),
        &item,
        &input,
        state.clock.now(),
    )
    .await
    {
        Ok(()) => Ok(flash::ok(
            &state.settings,
            &format!("/plans/{id}"),
            "已保存工作安排。",
        )),
        Err(Error::Refused(message)) => Ok(invalid(
            page(&state, ctx, form, vec![message.into_owned()], Some(id)).await?,
        )),
        Err(Error::Database(e)) => Err(e.into()),
    }
}

//! One 青年文明号 post's page: what it is, where it stands, when it is next reviewed, its
//! history step by step, and for the committee the forms of the steps it may take next
//! (警告 and 撤销 ask first).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::response::Response;
use chrono::NaiveDate;

use crate::auth::extract::{Business, ClientAddr, Committee, Require};
use crate::db::{self, award::AwardRow, award::StepRow};
use crate::domain::award::{self, Due, Level, Step, StepFields, StepInput};
use crate::domain::ids::AwardId;
use crate::domain::role::Role;
use crate::error::{AppError, Result};
use crate::services::awards;
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;

#[derive(Template, WebTemplate)]
#[template(path = "awards/show.html")]
pub struct AwardPage {
    ctx: PageContext,
    post: AwardRow,
    due: Option<Due>,
    history: Vec<StepRow>,
    /// The steps the user may take now: the committee's, empty for everyone else.
    steps: Vec<Step>,
    levels: [Level; 4],
    today: NaiveDate,
}

pub async fn show_award(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    PathOr404(id): PathOr404<AwardId>,
) -> Result<AwardPage> {
    let post = db::award::get(&state.db, id, &user.scope)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = state.clock.today();
    let steps = if user.has(Role::Committee) {
        award::steps_from(post.state)
    } else {
        Vec::new()
    };
    Ok(AwardPage {
        due: award::due_flag(post.state, post.review_due_on, today),
        history: db::award::history(&state.db, id).await?,
        steps,
        levels: Level::ALL,
        today,
        post,
        ctx,
    })
}

pub async fn take_step(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<AwardId>,
    Form(form): Form<StepFields>,
) -> Result<Response> {
    let post = db::award::get(&state.db, id, &user.scope_for::<Committee>())
        .await?
        .ok_or(AppError::NotFound)?;
    let back = format!("/awards/{id}");
    let input = match StepInput::parse(&form, state.clock.today()) {
        Ok(input) => input,
        Err(errors) => {
            return Ok(flash::error(
                &state.settings,
                &back,
                &errors.messages().join("；"),
            ));
        }
    };
    let done = awards::advance(
        &state.db,
        &user.actor(&address),
        &post,
        &input,
        state.clock.now(),
    )
    .await
    .map(|_| ());
    flash::outcome(
        &state.settings,
        &back,
        done,
        &format!("“{}”：{}已办理。", post.name, input.step.label()),
    )
}

//! The transitions after drafting: the secretary submits; the committee returns or rejects
//! (with a reason) or approves (文号 and date), from the queue or the application page.

use axum::extract::{Form, State};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::auth::extract::{ClientAddr, Committee, Require, Secretary};
use crate::domain::text::parse_date_text;
use crate::error::Result;
use crate::services::Error;
use crate::services::applications::{self, Decision};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;

use super::application_for;
use crate::domain::ids::ApplicationId;

pub async fn submit_application(
    State(state): State<AppState>,
    Require(user, ..): Require<Secretary>,
    address: ClientAddr,
    PathOr404(id): PathOr404<ApplicationId>,
) -> Result<Response> {
    let app = application_for::<Secretary>(&state, &user, id).await?;
    let now = state.clock.now();
    let done = applications::submit(&state.db, &user.actor(&address), &app, now).await;
    flash::outcome(
        &state.settings,
        &format!("/applications/{id}"),
        done,
        "建团申请已提交，请等待团工委批复。",
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    approval_number: String,
    #[serde(default)]
    approved_on: String,
    /// Where to go afterwards: the queue or the application.
    #[serde(default)]
    back: String,
}

fn back_to(form: &DecisionForm, id: ApplicationId) -> String {
    if form.back == "queue" {
        "/applications".to_string()
    } else {
        format!("/applications/{id}")
    }
}

/// Return or reject: both need a reason for the unit.
async fn decide_with_reason(
    state: AppState,
    user: CurrentUser,
    address: ClientAddr,
    id: ApplicationId,
    form: DecisionForm,
    decision: Decision,
) -> Result<Response> {
    let app = application_for::<Committee>(&state, &user, id).await?;
    let now = state.clock.now();
    let done = applications::decide(
        &state.db,
        &user.actor(&address),
        &app,
        decision,
        &form.reason,
        now,
    )
    .await;
    let message = match decision {
        Decision::Return => "已退回，申请单位会收到通知。",
        Decision::Reject => "已作不予批复处理，申请单位会收到通知。",
    };
    flash::outcome(&state.settings, &back_to(&form, id), done, message)
}

pub async fn return_application(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<ApplicationId>,
    Form(form): Form<DecisionForm>,
) -> Result<Response> {
    decide_with_reason(state, user, address, id, form, Decision::Return).await
}

pub async fn reject_application(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<ApplicationId>,
    Form(form): Form<DecisionForm>,
) -> Result<Response> {
    decide_with_reason(state, user, address, id, form, Decision::Reject).await
}

pub async fn approve_application(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<ApplicationId>,
    Form(form): Form<DecisionForm>,
) -> Result<Response> {
    let app = application_for::<Committee>(&state, &user, id).await?;
    let back = back_to(&form, id);
    let now = state.clock.now();
    let on: NaiveDate = match form.approved_on.trim() {
        "" => state.clock.today(),
        text => match parse_date_text(text) {
            Some(d) => d,
            None => {
                return Ok(flash::error(
                    &state.settings,
                    &back,
                    "批复日期不是有效的日期",
                ));
            }
        },
    };
    let actor = user.actor(&address);
    match applications::approve(&state.db, &actor, &app, &form.approval_number, on, now).await {
        Ok((number, _)) => Ok(flash::ok(
            &state.settings,
            &back,
            &format!("已批复（{number}），团组织已建立。"),
        )),
        Err(Error::Refused(message)) => Ok(flash::error(&state.settings, &back, &message)),
        Err(Error::Database(e)) => Err(e.into()),
    }
}

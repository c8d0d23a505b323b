//! Reminding the units of an open round that have not reported (one or all).

use axum::extract::{Form, State};
use axum::response::Response;
use serde::Deserialize;

use crate::auth::extract::{ClientAddr, Committee, Require};
use crate::domain::ids::{SurveyId, UnitId};
use crate::error::{AppError, Result};
use crate::services::reminders::{self, Reminded};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;

use super::{load_round, locked_refusal};

#[derive(Deserialize)]
pub struct RemindForm {
    /// A unit id, or empty for every unit that has not reported.
    #[serde(default)]
    unit: String,
}

pub async fn remind(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<SurveyId>,
    Form(form): Form<RemindForm>,
) -> Result<Response> {
    let round = load_round(&state, id).await?;
    if round.locked {
        return Ok(locked_refusal(&state, id));
    }
    let unit = match form.unit.trim() {
        "" => None,
        text => Some(UnitId(text.parse().map_err(|_| AppError::NotFound)?)),
    };
    let round = reminders::Round {
        survey_id: round.survey_id,
        as_of: round.as_of,
    };
    let now = state.clock.now();
    let Reminded { units, notices } =
        reminders::remind_to_report(&state.db, &user.actor(&address), &round, unit, now)
            .await?
            .ok_or(AppError::NotFound)?;
    let message = format!("已提醒{units}个单位（发出{notices}条站内通知）。");
    Ok(flash::ok(
        &state.settings,
        &format!("/surveys/{id}"),
        &message,
    ))
}

//! Recording a contest, on its results page, for the activity's writers: entries by unit or
//! by person, a judge's score or a typed rank, and the scoring method (awards are in
//! `awards`). Each answers with the results page and its message.

use axum::extract::{Form, State};
use axum::response::Response;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::auth::extract::{ClientAddr, Reporter, Require};
use crate::db::activity::ActivityRow;
use crate::domain::activity::Kind;
use crate::domain::contest::Method;
use crate::domain::ids::ActivityId;
use crate::error::{AppError, Result};
use crate::services::contests::{self, Entrant};
use crate::services::{Error, Outcome};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;

use super::open_for_write;

/// The contest to change: as `open_for_write`, and 404 when the activity is not a contest.
pub(super) async fn open_contest(
    state: &AppState,
    user: &CurrentUser,
    id: ActivityId,
) -> Result<ActivityRow> {
    let activity = open_for_write(state, user, id).await?;
    if activity.kind != Kind::Contest {
        return Err(AppError::NotFound);
    }
    Ok(activity)
}

/// The results page again with the use case's answer.
pub(super) fn answered<T>(
    state: &AppState,
    id: ActivityId,
    done: Outcome<T>,
    ok: impl FnOnce(T) -> String,
) -> Result<Response> {
    let back = format!("/activities/{id}/results");
    match done {
        Ok(value) => Ok(flash::ok(&state.settings, &back, &ok(value))),
        Err(Error::Refused(message)) => Ok(flash::error(&state.settings, &back, &message)),
        Err(Error::Database(e)) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct EntryForm {
    /// `unit` or `person`.
    #[serde(default)]
    by: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    title: String,
}

pub async fn add_entry(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<ActivityId>,
    Form(form): Form<EntryForm>,
) -> Result<Response> {
    let activity = open_contest(&state, &user, id).await?;
    let entrant = match form.by.trim() {
        "unit" => Entrant::Unit(&form.unit),
        "person" => Entrant::Person {
            name: &form.name,
            unit: &form.unit,
        },
        _ => {
            let back = format!("/activities/{id}/results");
            return Ok(flash::error(
                &state.settings,
                &back,
                "请选择按单位或按个人参赛",
            ));
        }
    };
    let done = contests::add_entry(
        &state.db,
        &user.actor(&address),
        &activity,
        &entrant,
        &form.title,
        state.clock.now(),
    )
    .await;
    answered(&state, id, done, |_| "已登记参赛作品。".into())
}

pub async fn remove_entry(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404((id, entry)): PathOr404<(ActivityId, i64)>,
) -> Result<Response> {
    let activity = open_contest(&state, &user, id).await?;
    let actor = user.actor(&address);
    let done = contests::remove_entry(&state.db, &actor, &activity, entry, state.clock.now()).await;
    answered(&state, id, done, |()| "已删除该参赛作品及其评分。".into())
}

#[derive(Deserialize)]
pub struct ScoreForm {
    #[serde(default)]
    judge: String,
    #[serde(default)]
    score: String,
}

pub async fn record_score(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404((id, entry)): PathOr404<(ActivityId, i64)>,
    Form(form): Form<ScoreForm>,
) -> Result<Response> {
    let activity = open_contest(&state, &user, id).await?;
    let actor = user.actor(&address);
    let now = state.clock.now();
    let done = contests::record_score(
        &state.db,
        &actor,
        &activity,
        entry,
        &form.judge,
        &form.score,
        now,
    )
    .await;
    answered(&state, id, done, |()| "已保存评分。".into())
}

pub async fn remove_score(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404((id, entry)): PathOr404<(ActivityId, i64)>,
    Form(form): Form<ScoreForm>,
) -> Result<Response> {
    let activity = open_contest(&state, &user, id).await?;
    let actor = user.actor(&address);
    let now = state.clock.now();
    let done = contests::remove_score(&state.db, &actor, &activity, entry, &form.judge, now).await;
    answered(&state, id, done, |()| "已删除该评分。".into())
}

#[derive(Deserialize)]
pub struct RankForm {
    #[serde(default)]
    rank: String,
}

pub async fn set_rank(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404((id, entry)): PathOr404<(ActivityId, i64)>,
    Form(form): Form<RankForm>,
) -> Result<Response> {
    let activity = open_contest(&state, &user, id).await?;
    let actor = user.actor(&address);
    let done = contests::set_rank(
        &state.db,
        &actor,
        &activity,
        entry,
        &form.rank,
        state.clock.now(),
    )
    .await;
    answered(&state, id, done, |()| "已保存名次。".into())
}

#[derive(Deserialize)]
pub struct MethodForm {
    #[serde(default)]
    method: String,
}

pub async fn set_method(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<ActivityId>,
    Form(form): Form<MethodForm>,
) -> Result<Response> {
    let activity = open_contest(&state, &user, id).await?;
    let Some(method) = Method::from_code(form.method.trim()) else {
        let back = format!("/activities/{id}/results");
        return Ok(flash::error(&state.settings, &back, "请选择计分方式"));
    };
    let actor = user.actor(&address);
    let done = contests::set_method(&state.db, &actor, &activity, method, state.clock.now()).await;
    answered(&state, id, done, |()| {
        format!("计分方式已改为“{}”。", method.label())
    })
}

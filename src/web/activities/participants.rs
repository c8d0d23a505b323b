//! Who took part in an activity, on its page: members from the roster the user keeps,
//! young people who are not members (name, mobile, unit), and everyone's volunteer hours in
//! one form (a value for all, or one per person), all or nothing.

use axum::extract::{Form, State};
use axum::response::Response;
use serde::Deserialize;

use crate::auth::extract::{ClientAddr, Reporter, Require};
use crate::domain::ids::ActivityId;
use crate::domain::participation::Role;
use crate::error::Result;
use crate::services::{Error, participation};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;

use super::open_for_write;

#[derive(Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
}

fn role_of(text: &str) -> Role {
    Role::from_code(text.trim()).unwrap_or(Role::Volunteer)
}

pub async fn add_member(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<ActivityId>,
    Form(form): Form<MemberForm>,
) -> Result<Response> {
    let activity = open_for_write(&state, &user, id).await?;
    let done = participation::add_member(
        &state.db,
        &state.keys,
        &user.actor(&address),
        (&activity, &user.scope_for::<Reporter>()),
        &form.name,
        role_of(&form.role),
        state.clock.now(),
    )
    .await;
    let name = crate::domain::name::normalize_name(&form.name);
    flash::outcome(
        &state.settings,
        &format!("/activities/{id}"),
        done,
        &format!("已添加团员“{name}”。"),
    )
}

#[derive(Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    role: String,
}

pub async fn add_person(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<ActivityId>,
    Form(form): Form<PersonForm>,
) -> Result<Response> {
    let activity = open_for_write(&state, &user, id).await?;
    let person = participation::Person {
        name: &form.name,
        phone: &form.phone,
        unit: &form.unit,
        role: role_of(&form.role),
    };
    let done = participation::add_person(
        &state.db,
        &state.keys,
        &user.actor(&address),
        &activity,
        &person,
        state.clock.now(),
    )
    .await;
    let name = crate::domain::name::normalize_name(&form.name);
    flash::outcome(
        &state.settings,
        &format!("/activities/{id}"),
        done,
        &format!("已添加“{name}”。"),
    )
}

pub async fn remove(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404((id, participation_id)): PathOr404<(ActivityId, i64)>,
) -> Result<Response> {
    let activity = open_for_write(&state, &user, id).await?;
    let done = participation::remove(
        &state.db,
        &user.actor(&address),
        &activity,
        participation_id,
        state.clock.now(),
    )
    .await;
    flash::outcome(
        &state.settings,
        &format!("/activities/{id}"),
        done,
        "已移除该人员。",
    )
}

/// Records the hours: `all` for everyone whose own field is empty, `hours_N` for
/// participant N.
pub async fn record_hours(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<ActivityId>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let activity = open_for_write(&state, &user, id).await?;
    let back = format!("/activities/{id}");
    let field = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let all = field("all");
    let typed: Vec<(i64, String, String)> = crate::db::participation::list(&state.db, id)
        .await?
        .into_iter()
        .map(|p| {
            let own = field(&format!("hours_{}", p.participation_id));
            let text = if own.is_empty() { all.clone() } else { own };
            (p.participation_id, p.name, text)
        })
        .collect();
    match participation::set_hours(
        &state.db,
        &user.actor(&address),
        &activity,
        &typed,
        state.clock.now(),
    )
    .await
    {
        Ok(Ok(changed)) => Ok(flash::ok(
            &state.settings,
            &back,
            &format!("已保存服务时长（{changed}人有变化）。"),
        )),
        Ok(Err(faults)) => Ok(flash::error(
            &state.settings,
            &back,
            &format!("服务时长未保存：{}", faults.join("；")),
        )),
        Err(Error::Refused(message)) => Ok(flash::error(&state.settings, &back, &message)),
        Err(Error::Database(e)) => Err(e.into()),
    }
}

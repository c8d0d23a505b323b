//! One volunteer team's page: what it is, its hours month by month over a year (its
//! activities' confirmed hours, by the month each began in the zone's time), its members,
//! and for those who may change it, the forms that add and remove members.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::response::Response;
use chrono::{Datelike, Months, NaiveDate};
use serde::Deserialize;

use crate::auth::extract::{Business, ClientAddr, Reporter, Require};
use crate::db::{self, volunteer_team::TeamMember, volunteer_team::TeamRow};
use crate::domain::ids::VolunteerTeamId;
use crate::domain::participation::hours_text;
use crate::error::{AppError, Result};
use crate::services::volunteer_teams::{self, Joining};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;

use super::open_for_write;

/// One month of a team's year: (month 1–12, activities, people, hours as written, the
/// hours' share of the year's busiest month in percent for the bar).
pub type Month = (u32, i64, i64, String, i64);

#[derive(Template, WebTemplate)]
#[template(path = "teams/show.html")]
pub struct TeamPage {
    ctx: PageContext,
    team: TeamRow,
    hours: String,
    year: i32,
    months: Vec<Month>,
    year_hours: String,
    members: Vec<TeamMember>,
    can_edit: bool,
    today: NaiveDate,
}

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    year: String,
}

pub async fn show_team(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    PathOr404(id): PathOr404<VolunteerTeamId>,
    Query(query): Query<YearQuery>,
) -> Result<TeamPage> {
    let team = db::volunteer_team::get(&state.db, id, &user.scope)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = state.clock.today();
    let first = crate::web::activities::parse_year(&query.year)
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today));
    let bounds: Vec<_> = (0..12)
        .filter_map(|m| {
            let start = first.checked_add_months(Months::new(m))?;
            let end = start.checked_add_months(Months::new(1))?;
            Some((state.clock.start_of(start), state.clock.start_of(end)))
        })
        .collect();
    let figures = db::volunteer_team::hours_by_month(&state.db, id, &bounds).await?;
    let busiest = figures.iter().map(|f| f.2).max().unwrap_or(0).max(1);
    let months = (1..)
        .zip(&figures)
        .map(|(m, (activities, people, tenths))| {
            (
                m,
                *activities,
                *people,
                hours_text(*tenths),
                tenths * 100 / busiest,
            )
        })
        .collect();
    let can_edit = db::volunteer_team::get(&state.db, id, &user.scope_for::<Reporter>())
        .await?
        .is_some();
    Ok(TeamPage {
        hours: hours_text(team.hours_tenths),
        year_hours: hours_text(figures.iter().map(|f| f.2).sum::<i64>()),
        members: db::volunteer_team::members(&state.db, id).await?,
        year: first.year(),
        months,
        team,
        can_edit,
        today,
        ctx,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct MemberForm {
    /// `member` (from the roster) or `person` (a registered young person).
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    joined_on: String,
}

pub async fn add_member(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<VolunteerTeamId>,
    Form(form): Form<MemberForm>,
) -> Result<Response> {
    let team = open_for_write(&state, &user, id).await?;
    let back = format!("/teams/{id}");
    let joined_on = match form.joined_on.trim() {
        "" => Some(state.clock.today()),
        text => crate::domain::text::parse_date_text(text),
    };
    let Some(joined_on) = joined_on else {
        return Ok(flash::error(
            &state.settings,
            &back,
            "入队日期：不是有效的日期（例如 2018-06-01）",
        ));
    };
    let joining = if form.kind == "person" {
        Joining::Person {
            name: &form.name,
            phone: &form.phone,
        }
    } else {
        Joining::Member { name: &form.name }
    };
    let done = volunteer_teams::add_member(
        &state.db,
        &state.keys,
        &user.actor(&address),
        (&team, &user.scope_for::<Reporter>()),
        joining,
        joined_on,
        state.clock.now(),
    )
    .await;
    let name = crate::domain::name::normalize_name(&form.name);
    flash::outcome(&state.settings, &back, done, &format!("“{name}”已入队。"))
}

pub async fn remove_member(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404((id, member)): PathOr404<(VolunteerTeamId, i64)>,
) -> Result<Response> {
    let team = open_for_write(&state, &user, id).await?;
    let done = volunteer_teams::remove_member(
        &state.db,
        &user.actor(&address),
        &team,
        member,
        state.clock.now(),
    )
    .await;
    flash::outcome(
        &state.settings,
        &format!("/teams/{id}"),
        done,
        "已移出该队员。",
    )
}

//! `GET /api/v1/activities?year=&kind=&unit=` (activities in scope, latest first; the
//! cursor is the last one's start and id) and `GET /api/v1/volunteers/hours?year=` (hours
//! per person, this year when none is given; the cursor is the last person's key; with
//! `by=team`, per volunteer team, the cursor the last team's). Hours are in hours, to one
//! decimal.

use axum::Json;
use axum::extract::{Query, State};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{PAGE_SIZE, Page};
use crate::auth::extract::{Business, Require};
use crate::db::volunteer_team::TeamHours;
use crate::db::{self, activity::ActivityRow, activity::Filter, participation::PersonHours};
use crate::domain::activity::{Kind, State as ActivityState};
use crate::domain::ids::{ActivityId, MemberId, OrganizationId, UnitId, VolunteerTeamId};
use crate::domain::volunteer_team::Domain;
use crate::error::{AppError, Result};
use crate::state::AppState;
use axum::response::{IntoResponse, Response};

#[derive(Debug, Deserialize)]
pub struct ActivitiesQuery {
    year: Option<String>,
    kind: Option<String>,
    unit: Option<String>,
    after: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ActivityItem {
    pub id: ActivityId,
    pub kind: Kind,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub organizer: Organizer,
    /// Units co-organising or taking part.
    pub units: i64,
    pub participants: i64,
    /// Confirmed volunteer hours of all participants.
    pub volunteer_hours: f64,
    pub state: ActivityState,
}

#[derive(Debug, Serialize)]
pub struct Organizer {
    pub id: OrganizationId,
    pub name: String,
}

/// Tenths of an hour as hours with one decimal.
fn hours(tenths: i64) -> f64 {
    tenths as f64 / 10.0
}

impl From<ActivityRow> for ActivityItem {
    fn from(a: ActivityRow) -> ActivityItem {
        ActivityItem {
            id: a.activity_id,
            kind: a.kind,
            title: a.title,
            starts_at: a.starts_at,
            ends_at: a.ends_at,
            place: a.place,
            organizer: Organizer {
                id: a.organization_id,
                name: a.organizer,
            },
            units: a.units,
            participants: a.participants,
            volunteer_hours: hours(a.hours_tenths),
            state: a.state,
        }
    }
}

/// The year a `year` parameter names and the instants it spans, in the zone's local time;
/// absent or empty is every year, anything else than a year from 2000 to 2100 a 400.
fn year_span(state: &AppState, year: Option<&str>) -> Result<Option<db::activity_total::YearSpan>> {
    let Some(text) = year.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let year: i32 = text
        .parse()
        .ok()
        .filter(|y| crate::domain::activity::YEARS.contains(y))
        .ok_or_else(|| AppError::BadRequest("year 应为2000至2100之间的年份".into()))?;
    let first = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default();
    Ok(Some((
        year,
        state.clock.start_of(first(year)),
        state.clock.start_of(first(year + 1)),
    )))
}

pub async fn list_activities(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    Query(query): Query<ActivitiesQuery>,
) -> Result<Json<Page<ActivityItem>>> {
    let span = year_span(&state, query.year.as_deref())?;
    let kind = match query.kind.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => Some(
            Kind::from_code(code)
                .ok_or_else(|| AppError::BadRequest("kind 不是有效的活动类型".into()))?,
        ),
    };
    let unit = match query.unit.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(id) => {
            Some(UnitId(id.parse().map_err(|_| {
                AppError::BadRequest("unit 不是有效的单位编号".into())
            })?))
        }
    };
    let after = match query.after.as_deref() {
        None | Some("") => None,
        Some(text) => {
            let (at, id) = crate::web::pair_cursor::<ActivityId>(Some(text))
                .ok_or_else(|| AppError::BadRequest("after 不是有效的游标".into()))?;
            let at = DateTime::parse_from_rfc3339(&at)
                .map_err(|_| AppError::BadRequest("after 不是有效的游标".into()))?
                .with_timezone(&Utc);
            Some((at, id))
        }
    };
    let filter = Filter {
        kind,
        from: span.map(|s| s.1),
        to: span.map(|s| s.2),
        unit,
        ..Filter::default()
    };
    let rows = db::activity::list(&state.db, &user.scope, &filter, after, PAGE_SIZE + 1).await?;
    Ok(Json(Page::of(rows, |a| {
        crate::web::encode_pair(&a.starts_at.to_rfc3339(), a.activity_id)
    })))
}

#[derive(Debug, Deserialize)]
pub struct HoursQuery {
    year: Option<String>,
    /// `person` (the default) or `team`.
    by: Option<String>,
    after: Option<String>,
}

/// One volunteer team's figures over the year: its activities started in it, the people
/// taking part (人次) and their confirmed hours.
#[derive(Debug, Serialize)]
pub struct TeamItem {
    pub id: VolunteerTeamId,
    pub name: String,
    pub domain: Domain,
    pub activities: i64,
    pub participants: i64,
    pub hours: f64,
}

impl From<TeamHours> for TeamItem {
    fn from(t: TeamHours) -> TeamItem {
        TeamItem {
            id: t.volunteer_team_id,
            name: t.name,
            domain: t.domain,
            activities: t.activities,
            participants: t.participants,
            hours: hours(t.hours_tenths),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct PersonItem {
    /// The member, for roster members; none for other youth.
    pub member_id: Option<MemberId>,
    pub name: String,
    /// A non-member's mobile, masked.
    pub phone: Option<String>,
    pub unit: String,
    pub activities: i64,
    pub hours: f64,
    /// The star level the period's hours alone reach (the record page counts all years).
    pub star_level: Option<&'static str>,
}

impl From<PersonHours> for PersonItem {
    fn from(p: PersonHours) -> PersonItem {
        PersonItem {
            member_id: p.member_id,
            name: p.name,
            phone: p.phone_masked,
            unit: p.unit,
            activities: p.activities,
            hours: hours(p.hours_tenths),
            star_level: crate::domain::volunteer::star_level(p.hours_tenths),
        }
    }
}

pub async fn volunteer_hours(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    Query(query): Query<HoursQuery>,
) -> Result<Response> {
    let this_year = state.clock.today().year().to_string();
    let year = query
        .year
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(&this_year);
    let Some(span) = year_span(&state, Some(year))? else {
        return Err(AppError::BadRequest("year 应为2000至2100之间的年份".into()));
    };
    let after = query.after.as_deref().filter(|s| !s.is_empty());
    match query.by.as_deref().map(str::trim) {
        None | Some("" | "person") => {
            let rows = db::participation::hours_by_person(
                &state.db,
                &user.scope,
                span,
                after,
                PAGE_SIZE + 1,
            )
            .await?;
            let page: Page<PersonItem> = Page::of(rows, |p| p.person_key.clone());
            Ok(Json(page).into_response())
        }
        Some("team") => {
            let after = match after {
                None => None,
                Some(text) => Some(
                    crate::web::pair_cursor::<VolunteerTeamId>(Some(text))
                        .ok_or_else(|| AppError::BadRequest("after 不是有效的游标".into()))?,
                ),
            };
            let rows = db::volunteer_team::hours_by_team(
                &state.db,
                &user.scope,
                (span.1, span.2),
                after,
                PAGE_SIZE + 1,
            )
            .await?;
            let page: Page<TeamItem> = Page::of(rows, |t| {
                crate::web::encode_pair(&t.name, t.volunteer_team_id)
            });
            Ok(Json(page).into_response())
        }
        Some(_) => Err(AppError::BadRequest("by 应为 person 或 team".into())),
    }
}

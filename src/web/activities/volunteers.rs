//! The year's volunteers (志愿服务时长): everyone credited with volunteer hours in the
//! activities the user may read, with their activities and hours, one keyset page at a
//! time; and the list as a workbook in the office layout, audited.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{Datelike, Months, NaiveDate};
use serde::Deserialize;

use crate::auth::extract::{Business, ClientAddr, Require};
use crate::db::{self, audit::Event, participation::PersonHours};
use crate::domain::audit::Action as AuditAction;
use crate::domain::participation::hours_text;
use crate::domain::volunteer::star_level;
use crate::error::Result;
use crate::export::activities::HoursLine;
use crate::state::AppState;
use crate::web::layout::PageContext;
use crate::web::paging::Pager;
use crate::web::respond::{XLSX, download};

/// People per page.
const PAGE: i64 = 100;
/// The most people one export holds.
const EXPORT_LIMIT: i64 = 50_000;

#[derive(Debug, Default, Deserialize)]
pub struct VolunteersQuery {
    #[serde(default)]
    year: String,
    after: Option<String>,
}

/// The year asked for, this year when none or an unreadable one; its first day.
fn year_of(state: &AppState, text: &str) -> NaiveDate {
    let today = state.clock.today();
    super::parse_year(text)
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today))
}

#[derive(Template, WebTemplate)]
#[template(path = "activities/volunteers.html")]
pub struct VolunteersPage {
    ctx: PageContext,
    year: i32,
    count: i64,
    people: Vec<(PersonHours, String, &'static str)>,
    pager: Pager,
}

pub async fn list_volunteers(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    Query(query): Query<VolunteersQuery>,
) -> Result<VolunteersPage> {
    let first = year_of(&state, &query.year);
    let (from, to) = (
        state.clock.start_of(first),
        state
            .clock
            .start_of(first.checked_add_months(Months::new(12)).unwrap_or(first)),
    );
    let after = query.after.as_deref().filter(|s| !s.is_empty());
    let mut rows = db::participation::hours_by_person(
        &state.db,
        &user.scope,
        (first.year(), from, to),
        after,
        PAGE + 1,
    )
    .await?;
    let next = crate::web::next_page(&mut rows, PAGE, |p| p.person_key.clone());
    let year = first.year();
    let pager = Pager::new(
        "/volunteers",
        &format!("year={year}"),
        "after",
        next.as_deref(),
    )
    .paged(after.is_some());
    Ok(VolunteersPage {
        count: db::participation::volunteers(&state.db, &user.scope, (year, from, to)).await?,
        people: rows
            .into_iter()
            .map(|p| {
                let hours = hours_text(p.hours_tenths);
                let level = star_level(p.hours_tenths).unwrap_or("");
                (p, hours, level)
            })
            .collect(),
        year,
        pager,
        ctx,
    })
}

pub async fn export_volunteers(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    address: ClientAddr,
    Query(query): Query<VolunteersQuery>,
) -> Result<Response> {
    let first = year_of(&state, &query.year);
    let (from, to) = (
        state.clock.start_of(first),
        state
            .clock
            .start_of(first.checked_add_months(Months::new(12)).unwrap_or(first)),
    );
    let rows = db::participation::hours_by_person(
        &state.db,
        &user.scope,
        (first.year(), from, to),
        None,
        EXPORT_LIMIT,
    )
    .await?;
    let lines: Vec<HoursLine> = rows
        .iter()
        .map(|p| HoursLine {
            name: &p.name,
            unit: &p.unit,
            phone_masked: p.phone_masked.as_deref().unwrap_or(""),
            member: p.member_id.is_some(),
            activities: p.activities,
            hours_tenths: p.hours_tenths,
            star_level: star_level(p.hours_tenths).unwrap_or(""),
        })
        .collect();
    let year = first.year();
    let bytes = crate::export::activities::hours(&format!("{year}年志愿服务时长统计表"), &lines)
        .map_err(|e| anyhow::anyhow!("writing the volunteer hours: {e}"))?;
    db::audit::record(
        &state.db,
        state.clock.now(),
        &user.actor(&address),
        Event::new(AuditAction::VolunteerHoursExported, "volunteer_hours", year)
            .after(serde_json::json!({ "year": year, "people": lines.len() })),
    )
    .await?;
    Ok(download(
        &format!("{year}年志愿服务时长统计表.xlsx"),
        "volunteer-hours.xlsx",
        XLSX,
        bytes,
    ))
}

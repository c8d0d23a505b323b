//! The month calendar of activities: weeks of seven days, Monday first, each day with the
//! activities that touch it in the zone's local time; on a phone the template lays the days
//! out as a list.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Deserialize;

use super::list::parse_month;
use crate::auth::extract::{Business, Require};
use crate::db::{self, activity::Filter};
use crate::domain::ids::ActivityId;
use crate::error::Result;
use crate::state::AppState;
use crate::web::layout::PageContext;

/// One day of the calendar: its date and its activities.
pub struct Day {
    pub date: NaiveDate,
    pub in_month: bool,
    pub today: bool,
    pub activities: Vec<(ActivityId, String, &'static str)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "activities/calendar.html")]
pub struct CalendarPage {
    ctx: PageContext,
    month: NaiveDate,
    previous: String,
    next: String,
    /// Weeks of seven days, Monday first.
    weeks: Vec<Vec<Day>>,
    /// How many activities the month holds.
    count: usize,
    /// Whether the month holds more than the calendar shows.
    truncated: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct CalendarQuery {
    #[serde(default)]
    month: String,
}

/// The most activities one month's calendar shows (a province records about 17,000 a
/// month, and reading a thousand cost more than the page); beyond it the list, filtered to
/// the month, has them all.
pub const CALENDAR_MAX: i64 = 300;

pub async fn show_calendar(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    Query(query): Query<CalendarQuery>,
) -> Result<CalendarPage> {
    let today = state.clock.today();
    let month = parse_month(&query.month).unwrap_or_else(|| today.with_day(1).unwrap_or(today));
    let next_month = month.checked_add_months(Months::new(1)).unwrap_or(month);
    let filter = Filter {
        from: Some(state.clock.start_of(month)),
        to: Some(state.clock.start_of(next_month)),
        ..Filter::default()
    };
    let rows = db::activity::list(&state.db, &user.scope, &filter, None, CALENDAR_MAX).await?;
    let first = month - Days::new(u64::from(month.weekday().num_days_from_monday()));
    let mut weeks = Vec::new();
    let mut date = first;
    while date < next_month || weeks.is_empty() {
        let mut week = Vec::with_capacity(7);
        for _ in 0..7 {
            let (start, end) = (
                state.clock.start_of(date),
                state.clock.start_of(date + Days::new(1)),
            );
            let mut activities: Vec<_> = rows
                .iter()
                .filter(|a| a.starts_at < end && a.ends_at >= start)
                .map(|a| (a.activity_id, a.title.clone(), a.kind.label(), a.starts_at))
                .collect();
            activities.sort_by_key(|a| a.3);
            week.push(Day {
                date,
                in_month: date.month() == month.month(),
                today: date == today,
                activities: activities
                    .into_iter()
                    .map(|(id, t, k, _)| (id, t, k))
                    .collect(),
            });
            date = date + Days::new(1);
        }
        weeks.push(week);
    }
    let previous = month.checked_sub_months(Months::new(1)).unwrap_or(month);
    Ok(CalendarPage {
        ctx,
        previous: previous.format("%Y-%m").to_string(),
        next: next_month.format("%Y-%m").to_string(),
        count: rows.len(),
        truncated: rows.len() as i64 >= CALENDAR_MAX,
        month,
        weeks,
    })
}

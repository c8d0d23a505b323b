//! A year's work plan: every item the user may read in its order, with its owner, due date
//! and its flag (即将到期 / 已逾期, by the zone's today), its state and latest progress, and
//! the year's counts by state; printable (print CSS) and exported as a workbook.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::auth::extract::{Business, ClientAddr, Require};
use crate::db::audit::Event;
use crate::db::{self, work_plan::ItemRow};
use crate::domain::audit::Action as AuditAction;
use crate::domain::work_plan::{Flag, State as ItemState, flag};
use crate::error::Result;
use crate::export::work_plan::PlanLine;
use crate::state::AppState;
use crate::web::layout::PageContext;
use crate::web::respond::{XLSX, download};

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    pub year: String,
}

/// One line of the list: the item, its flag, and its latest progress shortened.
pub struct Line {
    pub item: ItemRow,
    pub flag: Option<Flag>,
    pub last_note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "plans/index.html")]
pub struct ListPage {
    ctx: PageContext,
    year: i32,
    lines: Vec<Line>,
    /// The other years holding items, with how many, the latest first.
    other_years: Vec<(i32, i64)>,
    /// (state, how many) for the states the year's items are in.
    states: Vec<(ItemState, usize)>,
    due_soon: usize,
    overdue: usize,
    can_enter: bool,
    today: NaiveDate,
}

/// The year asked for; else this year when it has items, else the latest year that has.
fn chosen_year(query: &YearQuery, today: NaiveDate, years: &[(i32, i64)]) -> i32 {
    if let Some(first) = crate::web::activities::parse_year(&query.year) {
        return first.year();
    }
    if years.iter().any(|(y, _)| *y == today.year()) {
        return today.year();
    }
    years.first().map_or(today.year(), |(y, _)| *y)
}

/// At most `max` characters of `text`, on one line, with … when cut.
fn shortened(text: &str, max: usize) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > max {
        format!("{}…", line.chars().take(max).collect::<String>())
    } else {
        line
    }
}

/// An item's latest progress as "2019年6月1日：text", `max` characters of the text at most.
fn latest(item: &ItemRow, max: usize) -> String {
    match (&item.last_noted_on, &item.last_note) {
        (Some(day), Some(text)) => {
            format!("{}：{}", day.format("%Y年%-m月%-d日"), shortened(text, max))
        }
        _ => String::new(),
    }
}

/// The year's items the user may read, with their flags on `today`.
async fn year_lines(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    year: i32,
) -> Result<Vec<Line>> {
    let today = state.clock.today();
    let items = db::work_plan::list_year(&state.db, year, (&user.scope, user.account_id)).await?;
    Ok(items
        .into_iter()
        .map(|item| Line {
            flag: flag(item.state, item.due_on, today),
            last_note: latest(&item, 60),
            item,
        })
        .collect())
}

pub async fn list_plans(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    Query(query): Query<YearQuery>,
) -> Result<ListPage> {
    let today = state.clock.today();
    let years = db::work_plan::years(&state.db, (&user.scope, user.account_id)).await?;
    let year = chosen_year(&query, today, &years);
    let lines = year_lines(&state, &user, year).await?;
    let states = ItemState::ALL
        .into_iter()
        .map(|s| (s, lines.iter().filter(|l| l.item.state == s).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    let count = |f: Flag| lines.iter().filter(|l| l.flag == Some(f)).count();
    Ok(ListPage {
        due_soon: count(Flag::DueSoon),
        overdue: count(Flag::Overdue),
        can_enter: user.has(crate::domain::role::Role::Committee),
        year,
        other_years: years.into_iter().filter(|(y, _)| *y != year).collect(),
        lines,
        states,
        today,
        ctx,
    })
}

pub async fn export_plans(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    address: ClientAddr,
    Query(query): Query<YearQuery>,
) -> Result<Response> {
    let today = state.clock.today();
    let year = match crate::web::activities::parse_year(&query.year) {
        Some(first) => first.year(),
        None => today.year(),
    };
    let lines = year_lines(&state, &user, year).await?;
    let numbers: Vec<String> = lines.iter().map(|l| l.item.number_text()).collect();
    let owners: Vec<String> = lines.iter().map(|l| l.item.owner()).collect();
    let notes: Vec<String> = lines
        .iter()
        .map(|l| latest(&l.item, crate::domain::work_plan::NOTE_MAX))
        .collect();
    let rows: Vec<PlanLine> = lines
        .iter()
        .zip(numbers.iter().zip(&owners).zip(&notes))
        .map(|(l, ((number, owner), note))| PlanLine {
            number,
            heading: &l.item.heading,
            text: &l.item.text,
            owner,
            due_on: l.item.due_on,
            state: l.item.state.label(),
            flag: l.flag.map_or("", Flag::label),
            last_note: note,
        })
        .collect();
    let bytes = crate::export::work_plan::workbook(year, today, &rows)
        .map_err(|e| anyhow::anyhow!("writing the work plan: {e}"))?;
    db::audit::record(
        &state.db,
        state.clock.now(),
        &user.actor(&address),
        Event::new(AuditAction::WorkPlanExported, "work_plan_item", year)
            .after(serde_json::json!({ "items": rows.len() })),
    )
    .await?;
    Ok(download(
        &format!("{year}年工作安排.xlsx"),
        "work-plan.xlsx",
        XLSX,
        bytes,
    ))
}

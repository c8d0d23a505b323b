//! The year's table of cadres and their results, one keyset page at a time, and the whole
//! table as a workbook.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::chosen_year;
use crate::auth::extract::{ClientAddr, Require, Staff};
use crate::db::assessment::{self as store, CadreRow};
use crate::db::audit::Event;
use crate::domain::assessment::{Grade, Weights, excellent_cap, score_text};
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::AccountId;
use crate::domain::role::Role;
use crate::error::{AppError, Result};
use crate::export::assessments::AssessmentLine;
use crate::state::AppState;
use crate::web::layout::PageContext;
use crate::web::paging::Pager;
use crate::web::respond::{XLSX, download};

/// Cadres per page.
pub const PAGE: i64 = 100;
/// The most cadres an export holds.
const EXPORT_LIMIT: i64 = 20_000;

#[derive(Debug, Default, Deserialize)]
pub struct TableQuery {
    pub year: Option<String>,
    pub after: Option<String>,
}

/// One cadre as the table shows them.
pub struct Line {
    pub row: CadreRow,
    /// The component scores, written; empty when not assessed.
    pub scores: Vec<String>,
    pub score: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "assessments/index.html")]
pub struct TablePage {
    ctx: PageContext,
    year: i32,
    years: Vec<i32>,
    weights: Weights,
    /// Whether the year's weights are stored (else the defaults are shown).
    stored: bool,
    lines: Vec<Line>,
    counts: Vec<(&'static str, i64)>,
    assessed: i64,
    cap: i64,
    can_edit: bool,
    pager: Pager,
}

impl TablePage {
    fn lowered(&self, line: &Line) -> bool {
        line.row.grade.is_some() && line.row.grade != line.row.computed_grade
    }
}

/// The year shown when none is asked for: the latest with a setting, else this one.
async fn default_year(state: &AppState) -> Result<(i32, Vec<i32>)> {
    let this_year = chrono::Datelike::year(&state.clock.today());
    let mut years = store::years(&state.db).await?;
    let default = years.first().copied().unwrap_or(this_year);
    if !years.contains(&this_year) {
        years.insert(0, this_year);
    }
    years.sort_unstable_by_key(|y| std::cmp::Reverse(*y));
    Ok((default, years))
}

async fn year_of(state: &AppState, text: Option<&str>) -> Result<(i32, Vec<i32>)> {
    let (default, mut years) = default_year(state).await?;
    let year = chosen_year(text, default, state.clock.today()).ok_or(AppError::NotFound)?;
    if !years.contains(&year) {
        years.push(year);
        years.sort_unstable_by_key(|y| std::cmp::Reverse(*y));
    }
    Ok((year, years))
}

/// The year's weights: stored, or the defaults the first result will store.
pub(super) async fn weights_of(state: &AppState, year: i32) -> Result<(Weights, bool)> {
    Ok(match store::setting(&state.db, year).await? {
        Some(setting) => (setting.weights(), true),
        None => (Weights::default(), false),
    })
}

pub async fn show_table(
    State(state): State<AppState>,
    Require(user, ..): Require<Staff>,
    ctx: PageContext,
    Query(query): Query<TableQuery>,
) -> Result<TablePage> {
    let (year, years) = year_of(&state, query.year.as_deref()).await?;
    let (weights, stored) = weights_of(&state, year).await?;
    let after = crate::web::pair_cursor::<AccountId>(query.after.as_deref());
    let paged = after.is_some();
    let mut rows = store::table(&state.db, year, after, PAGE + 1).await?;
    let next = crate::web::next_page(&mut rows, PAGE, |r| {
        crate::web::encode_pair(&r.sort_name, r.account_id)
    });
    let pager = Pager::new(
        "/assessments",
        &format!("year={year}"),
        "after",
        next.as_deref(),
    )
    .paged(paged);
    let found = store::grade_counts(&state.db, year).await?;
    let counts: Vec<(&'static str, i64)> = Grade::ALL
        .iter()
        .map(|g| {
            let n = found.iter().find(|(f, _)| f == g).map_or(0, |(_, n)| *n);
            (g.label(), n)
        })
        .collect();
    let assessed: i64 = counts.iter().map(|(_, n)| n).sum();
    Ok(TablePage {
        lines: rows
            .into_iter()
            .map(|row| line(row, weights.components.len()))
            .collect(),
        cap: excellent_cap(assessed, weights.excellent_percent),
        can_edit: user.has(Role::Committee),
        assessed,
        counts,
        weights,
        stored,
        years,
        year,
        pager,
        ctx,
    })
}

/// A cadre's line under `components` columns: a dash in each when not assessed.
fn line(row: CadreRow, components: usize) -> Line {
    Line {
        scores: match &row.scores_tenths {
            Some(scores) => scores.iter().map(|s| score_text(*s)).collect(),
            None => vec!["—".to_string(); components],
        },
        score: row.score_tenths.map(score_text).unwrap_or_default(),
        row,
    }
}

pub async fn export_table(
    State(state): State<AppState>,
    Require(user, ..): Require<Staff>,
    address: ClientAddr,
    Query(query): Query<TableQuery>,
) -> Result<Response> {
    let (year, _) = year_of(&state, query.year.as_deref()).await?;
    let (weights, _) = weights_of(&state, year).await?;
    let rows = store::table(&state.db, year, None, EXPORT_LIMIT).await?;
    let lines: Vec<AssessmentLine> = rows
        .iter()
        .map(|r| AssessmentLine {
            name: &r.name,
            username: &r.username,
            post: &r.post,
            scores: r.scores_tenths.as_deref().unwrap_or(&[]),
            score_tenths: r.score_tenths,
            computed_grade: r.computed_grade,
            grade: r.grade,
            reason: r.grade_reason.as_deref().unwrap_or(""),
        })
        .collect();
    let bytes =
        crate::export::assessments::workbook(year, (&weights.components, &weights.weights), &lines)
            .map_err(|e| anyhow::anyhow!("writing the assessment table: {e}"))?;
    crate::db::audit::record(
        &state.db,
        state.clock.now(),
        &user.actor(&address),
        Event::new(AuditAction::AssessmentExported, "assessment_year", year),
    )
    .await?;
    Ok(download(
        &format!("{year}年度团干部考核结果.xlsx"),
        "assessments.xlsx",
        XLSX,
        bytes,
    ))
}

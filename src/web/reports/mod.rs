//! Reports (issue 17 item 4): the work summary and plan of a period, written from the
//! data. Leaders and the committee read it; every figure links to the list behind it.
//! The committee keeps drafts and finalises them (`kept`). Secretaries and administrators
//! have no access (403).

mod edit;
mod kept;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::auth::extract::{Committee, Require, Staff};
use crate::db;
use crate::domain::ids::SurveyId;
use crate::error::{AppError, Result};
use crate::report::{Link, Part, Period, WorkSummary};
use crate::services;
use crate::state::AppState;
use crate::web::dashboard::{drill_down, units_link};
use crate::web::layout::PageContext;
use crate::web::only;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/reports",
            only::<Staff>(get(choose_report)).merge(only::<Committee>(post(kept::start_draft))),
        )
        .route(
            "/reports/work-summary",
            only::<Staff>(get(show_work_summary)),
        )
        .route(
            "/reports/work-summary.docx",
            only::<Staff>(get(download_work_summary)),
        )
        .route(
            "/reports/{id}/download",
            only::<Staff>(get(kept::download_report)),
        )
        .route(
            "/reports/{id}",
            only::<Staff>(get(kept::show_report)).merge(only::<Committee>(post(edit::save_report))),
        )
        .route(
            "/reports/{id}/edit",
            only::<Committee>(get(edit::edit_report)),
        )
        .route(
            "/reports/{id}/finalise",
            only::<Committee>(post(kept::finalise_report)),
        )
        .route(
            "/reports/{id}/copy",
            only::<Committee>(post(kept::copy_report)),
        )
}

/// `?period=2018H1&survey=ID`: the period is required, the round optional.
#[derive(Debug, Deserialize)]
pub struct ReportQuery {
    pub period: Option<String>,
    pub survey: Option<String>,
}

impl ReportQuery {
    /// The period and round asked for, the half year of `today` without a period; a clear
    /// 400 for anything else.
    fn parse(&self, today: chrono::NaiveDate) -> Result<(Period, Option<SurveyId>)> {
        use chrono::Datelike;
        let period = match self.period.as_deref().map(str::trim) {
            None | Some("") => Period {
                year: today.year(),
                half: Some(if today.month() <= 6 { 1 } else { 2 }),
            },
            Some(text) => Period::parse(text).ok_or_else(|| {
                AppError::BadRequest("period 应为年份或半年，如 2018、2018H1、2018H2".into())
            })?,
        };
        let survey = match self.survey.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => {
                Some(SurveyId(text.parse().map_err(|_| {
                    AppError::BadRequest("survey 应为摸排轮次的编号".into())
                })?))
            }
        };
        Ok((period, survey))
    }
}

/// The report of the query as it is published: the finalised one of the period and
/// round, else its draft, else the figures alone; a 404 when it names no round.
pub(crate) async fn load(state: &AppState, query: &ReportQuery) -> Result<(Period, WorkSummary)> {
    let (period, survey) = query.parse(state.clock.today())?;
    match services::reports::published(&state.db, &state.clock, period, survey).await {
        Ok(report) => Ok((period, report)),
        Err(services::Error::Refused(_)) => Err(AppError::NotFound),
        Err(services::Error::Database(e)) => Err(e.into()),
    }
}

/// The .docx of a report, named by its title.
pub fn docx_response(report: &WorkSummary) -> Result<axum::response::Response> {
    let bytes = crate::report::docx::write(report)?;
    Ok(crate::web::respond::download(
        &format!("{}.docx", report.title),
        "work-summary.docx",
        crate::web::respond::DOCX,
        bytes,
    ))
}

pub async fn download_work_summary(
    State(state): State<AppState>,
    Require(..): Require<Staff>,
    Query(query): Query<ReportQuery>,
) -> Result<axum::response::Response> {
    docx_response(&load(&state, &query).await?.1)
}

/// Where a figure's link goes.
pub fn href(link: &Link) -> String {
    match link {
        Link::Units { survey, figure } => {
            let filters = match &**figure {
                "departments_communities" => "kind=department_community",
                key => drill_down(key).unwrap_or(""),
            };
            units_link(filters, *survey)
        }
        Link::Activity(id) => format!("/activities/{id}"),
        Link::Activities { period, kind } => match kind.as_deref() {
            Some(kind) => format!("/activities?year={}&kind={kind}", period.year),
            None => format!("/activities?year={}", period.year),
        },
        Link::Reminders => "/reminders".to_string(),
    }
}

/// A piece of text for the template: words, or a figure with its link.
pub struct Piece {
    pub text: String,
    pub href: Option<String>,
}

fn pieces(parts: &[Part]) -> Vec<Piece> {
    parts
        .iter()
        .map(|p| match p {
            Part::Words(w) => Piece {
                text: w.clone(),
                href: None,
            },
            Part::Figure { value, link } => Piece {
                text: value.clone(),
                href: Some(link.as_ref().map_or_else(String::new, href)),
            },
        })
        .collect()
}

/// An item as the page shows it.
pub struct ItemView {
    pub key: String,
    pub number: String,
    pub heading: String,
    pub pieces: Vec<Piece>,
}

pub struct SectionView {
    pub number: String,
    pub heading: String,
    pub items: Vec<ItemView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/work_summary.html")]
pub struct WorkSummaryPage {
    ctx: PageContext,
    period: String,
    survey: String,
    title: String,
    opening: String,
    closing: String,
    sections: Vec<SectionView>,
}

pub async fn show_work_summary(
    State(state): State<AppState>,
    Require(..): Require<Staff>,
    ctx: PageContext,
    Query(query): Query<ReportQuery>,
) -> Result<WorkSummaryPage> {
    let (period, report) = load(&state, &query).await?;
    let survey = query.survey.clone().unwrap_or_default();
    Ok(WorkSummaryPage {
        ctx,
        period: period.code(),
        survey,
        title: report.title.clone(),
        opening: report.opening.clone(),
        closing: report.closing.clone(),
        sections: sections_view(report),
    })
}

/// The report's sections as the pages show them.
pub fn sections_view(report: WorkSummary) -> Vec<SectionView> {
    report
        .sections
        .into_iter()
        .map(|s| SectionView {
            number: s.number,
            heading: s.heading,
            items: s
                .items
                .into_iter()
                .map(|i| ItemView {
                    pieces: pieces(&i.parts),
                    key: i.key,
                    number: i.number,
                    heading: i.heading,
                })
                .collect(),
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/index.html")]
pub struct ReportsPage {
    ctx: PageContext,
    /// Periods to choose from, latest first: (code, label).
    periods: Vec<(String, String)>,
    rounds: Vec<db::survey::SurveyRow>,
    /// The reports kept, newest first, with their periods' labels.
    kept: Vec<(db::work_report::WorkReportRow, String)>,
}

/// Choosing a report: the periods from the first round's year to this year, and the rounds.
pub async fn choose_report(
    State(state): State<AppState>,
    Require(..): Require<Staff>,
    ctx: PageContext,
) -> Result<ReportsPage> {
    use chrono::Datelike;
    let rounds = db::survey::list(&state.db).await?;
    let this_year = state.clock.today().year();
    let first = rounds
        .iter()
        .map(|r| r.as_of.year())
        .min()
        .unwrap_or(this_year)
        .min(this_year);
    let mut periods = Vec::new();
    for year in (first..=this_year).rev() {
        for half in [Some(2), Some(1), None] {
            let p = Period { year, half };
            periods.push((p.code(), p.label()));
        }
    }
    let kept = db::work_report::list(&state.db, 100)
        .await?
        .into_iter()
        .map(|r| {
            let label = Period::parse(&r.period).map_or_else(|| r.period.clone(), |p| p.label());
            (r, label)
        })
        .collect();
    Ok(ReportsPage {
        ctx,
        periods,
        rounds,
        kept,
    })
}

//! Reports the staff keep: starting a draft for a period and round, editing the words
//! around the computed figures (the editor marks the figures that changed since the last
//! save), finalising (报送) one, and a new draft from a finalised one. Leaders read them;
//! only the committee writes.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::response::Response;
use serde::Deserialize;

use super::{SectionView, sections_view};
use crate::auth::extract::{ClientAddr, Committee, Require, Staff};
use crate::db::work_report::{self, WorkReportRow};
use crate::domain::ids::{SurveyId, WorkReportId};
use crate::error::{AppError, Result};
use crate::report::Period;
use crate::report::work_summary::{ItemWords, Words};
use crate::services::{Error, reports};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::respond::invalid;

async fn open(state: &AppState, id: WorkReportId) -> Result<WorkReportRow> {
    work_report::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

fn failed(e: Error) -> Result<String> {
    match e {
        Error::Refused(message) => Ok(message.into_owned()),
        Error::Database(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct DraftFields {
    #[serde(default)]
    period: String,
    #[serde(default)]
    survey: String,
}

/// Starts (or reopens) the draft of a period and round, then edits it.
pub async fn start_draft(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    Form(form): Form<DraftFields>,
) -> Result<Response> {
    let Some(period) = Period::parse(&form.period) else {
        return Ok(flash::error(
            &state.settings,
            "/reports",
            "请选择报告的期间",
        ));
    };
    let survey = match form.survey.trim() {
        "" => None,
        text => match text.parse() {
            Ok(id) => Some(SurveyId(id)),
            Err(_) => return Ok(flash::error(&state.settings, "/reports", "请选择摸排轮次")),
        },
    };
    if let Some(id) = survey
        && crate::db::survey::get_or_latest(&state.db, Some(id))
            .await?
            .is_none()
    {
        return Ok(flash::error(&state.settings, "/reports", "没有这一轮摸排"));
    }
    match reports::start_draft(
        &state.db,
        &user.actor(&address),
        state.clock.now(),
        period,
        survey,
    )
    .await
    {
        Ok(id) => Ok(flash::ok(
            &state.settings,
            &format!("/reports/{id}/edit"),
            &format!("{}的报告草稿已打开。", period.label()),
        )),
        Err(e) => Ok(flash::error(&state.settings, "/reports", &failed(e)?)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/show.html")]
pub struct ReportPage {
    ctx: PageContext,
    row: WorkReportRow,
    title: String,
    opening: String,
    closing: String,
    sections: Vec<SectionView>,
    may_write: bool,
}

/// A kept report: a draft as it reads now, a finalised one as it read then.
pub async fn show_report(
    State(state): State<AppState>,
    Require(user, ..): Require<Staff>,
    ctx: PageContext,
    PathOr404(id): PathOr404<WorkReportId>,
) -> Result<ReportPage> {
    let row = open(&state, id).await?;
    let report = match reports::report_of(&state.db, &state.clock, &row).await {
        Ok(report) => report,
        Err(e) => return Err(AppError::BadRequest(failed(e)?)),
    };
    Ok(ReportPage {
        may_write: user.has(crate::domain::role::Role::Committee),
        title: report.title.clone(),
        opening: report.opening.clone(),
        closing: report.closing.clone(),
        sections: sections_view(report),
        row,
        ctx,
    })
}

/// One item in the editor: what the data write now, what they wrote at the last save if
/// that differs, and the staff's heading and words.
pub struct EditItem {
    pub key: String,
    pub number: String,
    pub heading: String,
    pub computed: String,
    pub before: Option<String>,
    pub own_heading: String,
    pub own_text: String,
}

pub struct EditSection {
    pub number: String,
    pub heading: String,
    pub items: Vec<EditItem>,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/edit.html")]
pub struct EditPage {
    ctx: PageContext,
    row: WorkReportRow,
    title: String,
    opening: String,
    closing: String,
    sections: Vec<EditSection>,
    changed: usize,
    errors: Vec<String>,
}

async fn edit_page(
    state: &AppState,
    ctx: PageContext,
    row: WorkReportRow,
    typed: Option<&reports::WordsInput>,
    errors: Vec<String>,
) -> Result<EditPage> {
    let period = Period::parse(&row.period).ok_or(AppError::NotFound)?;
    let now = match reports::work_summary(
        &state.db,
        &state.clock,
        period,
        row.survey_id,
        Words::default(),
    )
    .await
    {
        Ok(report) => report,
        Err(e) => return Err(AppError::BadRequest(failed(e)?)),
    };
    let saved: std::collections::BTreeMap<String, ItemWords> =
        serde_json::from_value(row.words.clone()).unwrap_or_default();
    let before: std::collections::BTreeMap<String, String> =
        serde_json::from_value(row.figures.clone()).unwrap_or_default();
    let own = |key: &str| {
        typed
            .and_then(|t| t.items.get(key).cloned())
            .or_else(|| saved.get(key).cloned())
            .unwrap_or_default()
    };
    let mut changed = 0;
    let sections = now
        .sections
        .into_iter()
        .map(|s| EditSection {
            number: s.number,
            heading: s.heading,
            items: s
                .items
                .into_iter()
                .map(|i| {
                    let was = before.get(&i.key).filter(|b| **b != i.computed).cloned();
                    changed += usize::from(was.is_some());
                    let mine = own(&i.key);
                    EditItem {
                        own_heading: mine.heading.unwrap_or_default(),
                        own_text: mine.text,
                        key: i.key,
                        number: i.number,
                        heading: i.heading,
                        computed: i.computed,
                        before: was,
                    }
                })
                .collect(),
        })
        .collect();
    Ok(EditPage {
        title: typed.map_or_else(
            || row.title.clone().unwrap_or_default(),
            |t| t.title.clone(),
        ),
        opening: typed.map_or_else(|| row.opening.clone(), |t| t.opening.clone()),
        closing: typed.map_or_else(|| row.closing.clone(), |t| t.closing.clone()),
        sections,
        changed,
        errors,
        row,
        ctx,
    })
}

pub async fn edit_report(
    State(state): State<AppState>,
    Require(..): Require<Committee>,
    ctx: PageContext,
    PathOr404(id): PathOr404<WorkReportId>,
) -> Result<Response> {
    let row = open(&state, id).await?;
    if row.is_final() {
        return Ok(flash::error(
            &state.settings,
            &format!("/reports/{id}"),
            "该报告已报送，不能再修改；可以以它为基础起草新稿",
        ));
    }
    Ok(axum::response::IntoResponse::into_response(
        edit_page(&state, ctx, row, None, Vec::new()).await?,
    ))
}

/// The editor's fields: `title`, `opening`, `closing`, and per item `heading:KEY` and
/// `words:KEY`.
fn words_input(fields: Vec<(String, String)>) -> reports::WordsInput {
    let mut input = reports::WordsInput::default();
    for (name, value) in fields {
        match name.as_str() {
            "title" => input.title = value,
            "opening" => input.opening = value,
            "closing" => input.closing = value,
            _ => {
                if let Some(key) = name.strip_prefix("heading:") {
                    input.items.entry(key.to_string()).or_default().heading = Some(value);
                } else if let Some(key) = name.strip_prefix("words:") {
                    input.items.entry(key.to_string()).or_default().text = value;
                }
            }
        }
    }
    input
}

pub async fn save_report(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404(id): PathOr404<WorkReportId>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let row = open(&state, id).await?;
    if row.is_final() {
        return Ok(flash::error(
            &state.settings,
            &format!("/reports/{id}"),
            "该报告已报送，不能再修改；可以以它为基础起草新稿",
        ));
    }
    let input = words_input(fields);
    let shown = reports::WordsInput {
        title: input.title.clone(),
        opening: input.opening.clone(),
        closing: input.closing.clone(),
        items: input.items.clone(),
    };
    match reports::save(&state.db, &state.clock, &user.actor(&address), &row, input).await {
        Ok(()) => Ok(flash::ok(
            &state.settings,
            &format!("/reports/{id}"),
            "报告已保存。",
        )),
        Err(e) => {
            let message = failed(e)?;
            let page = edit_page(&state, ctx, row, Some(&shown), vec![message]).await?;
            Ok(invalid(page))
        }
    }
}

pub async fn finalise_report(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<WorkReportId>,
) -> Result<Response> {
    let row = open(&state, id).await?;
    let done = reports::finalise(&state.db, &state.clock, &user.actor(&address), &row).await;
    flash::outcome(
        &state.settings,
        &format!("/reports/{id}"),
        done,
        "报告已报送，此后数据变化不再改变它。",
    )
}

pub async fn copy_report(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<WorkReportId>,
) -> Result<Response> {
    let row = open(&state, id).await?;
    match reports::copy(&state.db, &user.actor(&address), state.clock.now(), &row).await {
        Ok(new) => Ok(flash::ok(
            &state.settings,
            &format!("/reports/{new}/edit"),
            "已以该报告为基础打开新稿。",
        )),
        Err(e) => Ok(flash::error(
            &state.settings,
            &format!("/reports/{id}"),
            &failed(e)?,
        )),
    }
}

pub async fn download_report(
    State(state): State<AppState>,
    Require(..): Require<Staff>,
    PathOr404(id): PathOr404<WorkReportId>,
) -> Result<Response> {
    let row = open(&state, id).await?;
    match reports::report_of(&state.db, &state.clock, &row).await {
        Ok(report) => super::docx_response(&report),
        Err(e) => Err(AppError::BadRequest(failed(e)?)),
    }
}

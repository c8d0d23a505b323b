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
use crate::services::{Error, reports};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;

pub(super) async fn open(state: &AppState, id: WorkReportId) -> Result<WorkReportRow> {
    work_report::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub(super) fn failed(e: Error) -> Result<String> {
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

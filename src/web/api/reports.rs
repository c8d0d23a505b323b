//! `GET /api/v1/reports/work-summary?period=2018H1|2018&survey=ID`: the work summary and
//! plan as DESIGN.md §6 names its keys — title, period, survey_as_of, and the sections with
//! their numbered items' headings and texts (figures written into the text).

use axum::Json;
use axum::extract::{Query, State};
use serde::Serialize;

use crate::error::Result;
use crate::state::AppState;
use crate::web::reports::{ReportQuery, load};

#[derive(Debug, Serialize)]
pub struct WorkSummaryItem {
    pub title: String,
    pub period: String,
    pub survey_as_of: Option<chrono::NaiveDate>,
    pub sections: Vec<SectionItem>,
}

#[derive(Debug, Serialize)]
pub struct SectionItem {
    pub number: String,
    pub heading: String,
    pub items: Vec<ParagraphItem>,
}

#[derive(Debug, Serialize)]
pub struct ParagraphItem {
    pub number: String,
    pub heading: String,
    pub text: String,
}

pub async fn show_work_summary(
    State(state): State<AppState>,
    Query(query): Query<ReportQuery>,
) -> Result<Json<WorkSummaryItem>> {
    let (_, report) = load(&state, &query).await?;
    Ok(Json(WorkSummaryItem {
        title: report.title,
        period: report.period,
        survey_as_of: report.survey_as_of,
        sections: report
            .sections
            .into_iter()
            .map(|s| SectionItem {
                number: s.number,
                heading: s.heading,
                items: s
                    .items
                    .into_iter()
                    .map(|i| ParagraphItem {
                        number: i.number,
                        heading: i.heading,
                        text: i.text,
                    })
                    .collect(),
            })
            .collect(),
    }))
}

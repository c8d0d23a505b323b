//! The report editor: the staff's title, paragraphs and per-item headings and words
//! around the computed figures, each item marked when its figures changed since the last
//! save; saving refuses bad input with every fault named and writes nothing.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::response::Response;

use super::kept::{failed, open};
use crate::auth::extract::{ClientAddr, Committee, Require};
use crate::db::work_report::WorkReportRow;
use crate::domain::ids::WorkReportId;
use crate::error::{AppError, Result};
use crate::report::Period;
use crate::report::work_summary::{ItemWords, Words};
use crate::services::reports;
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::respond::invalid;

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

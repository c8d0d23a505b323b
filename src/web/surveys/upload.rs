//! Uploading a survey workbook in the browser: size and zip-bomb checks, a preview of the
//! faults (row, column, reason, value) or of the totals and changes it would bring, the
//! commit from the preview only, and the faulty rows as a workbook to correct.
//! Past 300 lines only by the unit test of the sheet query at its end.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::extract::{ClientAddr, Committee, Require};
use crate::db;
use crate::db::survey::{FigureChange, Summary};
use crate::error::{AppError, Result};
use crate::import::{Fault, ImportError, workbook::MAX_FILE_BYTES};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::respond::{XLSX, download};

#[derive(Template, WebTemplate)]
#[template(path = "surveys/upload.html")]
pub struct UploadPage {
    ctx: PageContext,
    error: Option<String>,
    max_mb: usize,
}

pub async fn upload_form(_user: Require<Committee>, ctx: PageContext) -> UploadPage {
    UploadPage {
        ctx,
        error: None,
        max_mb: MAX_FILE_BYTES / 1048576,
    }
}

/// Sends the browser to `to`: htmx follows `HX-Redirect`, a plain form a 303.
fn go_to(headers: &HeaderMap, to: &str) -> Response {
    if headers.contains_key("hx-request") {
        let mut response = ().into_response();
        if let Ok(value) = HeaderValue::from_str(to) {
            response.headers_mut().insert("hx-redirect", value);
        }
        response
    } else {
        Redirect::to(to).into_response()
    }
}

pub async fn receive_upload(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    ctx: PageContext,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response> {
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("上传的内容不完整，请重新选择文件上传。".into()))?
    {
        if field.name() == Some("file") {
            let name = field
                .file_name()
                .unwrap_or("摸排统计表.xlsx")
                .chars()
                .take(120)
                .collect();
            let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?;
            file = Some((name, bytes.to_vec()));
        }
    }
    let refuse = |error: String| {
        UploadPage {
            ctx,
            error: Some(error),
            max_mb: MAX_FILE_BYTES / 1048576,
        }
        .into_response()
    };
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Ok(refuse("请选择要上传的摸排统计表（.xlsx 或 .xls）".into()));
    };
    // The size and zip-bomb checks run before anything is stored.
    let checked = bytes.clone();
    let verdict = tokio::task::spawn_blocking(move || {
        crate::import::survey::survey_sheet(&checked, None).map(|_| ())
    })
    .await
    .map_err(|e| anyhow::anyhow!("checking an upload: {e}"))?;
    if let Err(ImportError::Unreadable(message)) = verdict {
        return Ok(refuse(message));
    }
    let id =
        db::upload::store(&state.db, user.account_id, &name, &bytes, state.clock.now()).await?;
    Ok(go_to(&headers, &format!("/surveys/upload/{id}")))
}

pub enum Outcome {
    Faults(Vec<Fault>),
    Unreadable(String),
    Locked(String),
    Clean {
        as_of: String,
        sheet: String,
        candidates: Vec<String>,
        rows: usize,
        new_round: bool,
        new_units: i64,
        changes: Vec<FigureChange>,
        similar: Vec<db::survey::SimilarUnit>,
        compared: bool,
        figures: Vec<(&'static str, i64)>,
    },
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/preview.html")]
pub struct PreviewPage {
    ctx: PageContext,
    upload_id: Uuid,
    file_name: String,
    committed: bool,
    outcome: Outcome,
    /// `?sheet=…` for the sheet chosen, or empty: kept by the faulty rows' download.
    sheet_query: String,
}

impl PreviewPage {
    /// The preview of the same upload read from `sheet`.
    fn sheet_link(&self, sheet: &str) -> String {
        format!(
            "/surveys/upload/{}{}",
            self.upload_id,
            sheet_query(Some(sheet))
        )
    }
}

/// `?sheet=…` naming `sheet`, or nothing: form-encoded by serde_urlencoded, the inverse of
/// the `Query<SheetChoice>` that reads it back, so that any sheet name (spaces, `&`, `+`,
/// Chinese) returns unchanged.
fn sheet_query(sheet: Option<&str>) -> String {
    sheet.map_or_else(String::new, |sheet| {
        let pair = serde_urlencoded::to_string([("sheet", sheet)]).unwrap_or_default();
        format!("?{pair}")
    })
}

async fn open_upload(state: &AppState, id: &str) -> Result<db::upload::Upload> {
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    db::upload::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

fn figures(summary: &Summary) -> Vec<(&'static str, i64)> {
    summary
        .figures()
        .iter()
        .map(|(_, label, value)| (*label, *value))
        .collect()
}

/// The worksheet a person chose among a workbook's candidates (the preview's links, the
/// commit form's hidden field); none reads the first with the survey's header.
#[derive(Debug, Default, Deserialize)]
pub struct SheetChoice {
    sheet: Option<String>,
}

pub async fn preview(
    State(state): State<AppState>,
    _user: Require<Committee>,
    ctx: PageContext,
    PathOr404(id): PathOr404<String>,
    Query(chosen): Query<SheetChoice>,
) -> Result<PreviewPage> {
    let upload = open_upload(&state, &id).await?;
    let sheet_query = sheet_query(chosen.sheet.as_deref());
    let outcome = match crate::services::survey_import::preview_survey(
        &state.db,
        upload.content,
        chosen.sheet,
        None,
        state.clock.now(),
    )
    .await
    {
        Ok(p) => Outcome::Clean {
            as_of: p.as_of.to_string(),
            sheet: p.sheet,
            candidates: p.candidates,
            rows: p.rows,
            new_round: p.stats.new_round,
            new_units: p.stats.new_units,
            compared: p.stats.compared.is_some(),
            changes: p.stats.changes,
            similar: p.stats.similar,
            figures: figures(&p.summary),
        },
        Err(ImportError::Faults(faults)) => Outcome::Faults(faults),
        Err(ImportError::Unreadable(message)) => Outcome::Unreadable(message),
        Err(e @ ImportError::Locked(_)) => Outcome::Locked(e.to_string()),
        Err(ImportError::Database(e)) => return Err(e.into()),
    };
    Ok(PreviewPage {
        ctx,
        upload_id: upload.upload_id,
        file_name: upload.file_name,
        committed: upload.committed_at.is_some(),
        outcome,
        sheet_query,
    })
}

pub async fn commit(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<String>,
    Form(chosen): Form<SheetChoice>,
) -> Result<Response> {
    let upload = open_upload(&state, &id).await?;
    let back = format!("/surveys/upload/{}", upload.upload_id);
    if upload.committed_at.is_some() {
        return Ok(flash::error(&state.settings, &back, "该文件已经导入过了。"));
    }
    let now = state.clock.now();
    match crate::services::survey_import::import_survey_sheet(
        &state.db,
        upload.content,
        chosen.sheet,
        None,
        &user.actor(&address),
        now,
    )
    .await
    {
        Ok(done) => {
            db::upload::mark_committed(&state.db, upload.upload_id, now).await?;
            let message = format!(
                "已导入截止{}的摸排数据：{}行，变更{}处。",
                done.as_of, done.rows, done.changed
            );
            Ok(flash::ok(
                &state.settings,
                &format!("/dashboard?survey={}", done.survey_id),
                &message,
            ))
        }
        Err(ImportError::Database(e)) => Err(e.into()),
        Err(e) => Ok(flash::error(
            &state.settings,
            &back,
            &format!("未导入：{e}"),
        )),
    }
}

pub async fn download_faults(
    State(state): State<AppState>,
    _user: Require<Committee>,
    PathOr404(id): PathOr404<String>,
    Query(chosen): Query<SheetChoice>,
) -> Result<Response> {
    let upload = open_upload(&state, &id).await?;
    let content = upload.content;
    let bytes = tokio::task::spawn_blocking(move || {
        let sheet = chosen.sheet.as_deref();
        match crate::import::survey::read_sheet(&content, sheet) {
            Err(ImportError::Faults(faults)) => {
                crate::export::survey::faulty_rows(&content, sheet, &faults).map(Some)
            }
            _ => Ok(None),
        }
    })
    .await
    .map_err(|e| anyhow::anyhow!("faulty rows task: {e}"))?
    .map_err(|e| AppError::BadRequest(e.to_string()))?
    .ok_or(AppError::NotFound)?;
    let stem = upload
        .file_name
        .rsplit_once('.')
        .map_or(upload.file_name.as_str(), |(s, _)| s);
    Ok(download(
        &format!("{stem}-错误行.xlsx"),
        "faulty-rows.xlsx",
        XLSX,
        bytes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_name_comes_back_from_its_query_unchanged() {
        for name in ["下半年", "Sheet 1", "a&b=c", "1+1", "100%", "?#/"] {
            let query = sheet_query(Some(name));
            let read: SheetChoice =
                serde_urlencoded::from_str(query.strip_prefix('?').unwrap()).unwrap();
            assert_eq!(read.sheet.as_deref(), Some(name), "{query}");
        }
        assert_eq!(
            sheet_query(Some("下半年")),
            "?sheet=%E4%B8%8B%E5%8D%8A%E5%B9%B4"
        );
        assert_eq!(sheet_query(None), "");
    }
}

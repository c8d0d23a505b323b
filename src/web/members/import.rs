//! Importing a roster workbook into an organisation: the template to download, then every
//! row checked by the member form's own rules, duplicates in the file and in the zone
//! found, and all rows written in one statement — or, on any fault, none.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::form::MemberForm;
use super::open_branch;
use crate::auth::extract::{ClientAddr, Reporter, Require};
use crate::db::{self, audit::Event, member::NewMember, organization::OrganizationRow};
use crate::error::{AppError, Result};
use crate::import::{Fault, ImportError, roster, workbook::MAX_FILE_BYTES};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::respond::{XLSX, download};

#[derive(Template, WebTemplate)]
#[template(path = "members/import.html")]
pub struct ImportPage {
    ctx: PageContext,
    org: OrganizationRow,
    error: Option<String>,
    faults: Vec<Fault>,
    max_mb: usize,
}

impl ImportPage {
    fn new(ctx: PageContext, org: OrganizationRow) -> ImportPage {
        ImportPage {
            ctx,
            org,
            error: None,
            faults: Vec::new(),
            max_mb: MAX_FILE_BYTES / 1048576,
        }
    }
}

pub async fn import_form(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    PathOr404(id): PathOr404<i64>,
) -> Result<ImportPage> {
    Ok(ImportPage::new(ctx, open_branch(&state, &user, id).await?))
}

pub async fn download_template(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response> {
    let org = open_branch(&state, &user, id).await?;
    let bytes = crate::export::roster::template(&org.name)
        .map_err(|e| anyhow::anyhow!("writing the roster template: {e}"))?;
    Ok(download(
        &format!("{}-团员名册模板.xlsx", org.name),
        "roster-template.xlsx",
        XLSX,
        bytes,
    ))
}

/// The uploaded file's bytes, from the multipart form's `file` field.
async fn uploaded_file(multipart: &mut Multipart) -> Result<Option<Vec<u8>>> {
    let mut file = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("上传的内容不完整，请重新选择文件上传。".into()))?
    {
        if field.name() == Some("file") {
            let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?;
            file = Some(bytes.to_vec());
        }
    }
    Ok(file.filter(|b| !b.is_empty()))
}

/// The row's faults as the report lists them: personal numbers are never echoed back.
fn fault(row: u32, column: &str, reason: String, line: &roster::RosterLine) -> Fault {
    let value = match column {
        "姓名" => line.name.clone(),
        "性别" => line.sex.clone(),
        "民族" => line.ethnicity.clone(),
        "入团年月" => line.joined_on.clone(),
        "学历" => line.education.clone(),
        "政治面貌" => line.political_status.clone(),
        "团内职务" => line.league_post.clone(),
        _ => String::new(),
    };
    Fault {
        row,
        column: column.to_string(),
        reason,
        value,
    }
}

pub async fn import_roster(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<Response> {
    // The scope first: someone else's organisation is 404 whatever the body.
    let org = open_branch(&state, &user, id).await?;
    let refuse = |ctx, org, error: Option<String>, faults: Vec<Fault>| {
        let mut page = ImportPage::new(ctx, org);
        page.error = error;
        page.faults = faults;
        (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
    };
    let file = match multipart {
        Ok(mut multipart) => uploaded_file(&mut multipart).await?,
        Err(_) => None,
    };
    let Some(bytes) = file else {
        return Ok(refuse(
            ctx,
            org,
            Some("请选择要导入的团员名册（.xlsx 或 .xls）".into()),
            Vec::new(),
        ));
    };
    let read = tokio::task::spawn_blocking(move || roster::read(&bytes))
        .await
        .map_err(|e| anyhow::anyhow!("reading a roster: {e}"))?;
    let (lines, mut faults) = match read {
        Ok(read) => read,
        Err(ImportError::Unreadable(message)) => {
            return Ok(refuse(ctx, org, Some(message), Vec::new()));
        }
        Err(e) => return Err(anyhow::anyhow!("reading a roster: {e}").into()),
    };
    let today = state.clock.now().date_naive();
    let mut members: Vec<(u32, NewMember)> = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for line in &lines {
        match MemberForm::from_line(line, today).check(id, today) {
            Ok(member) => match seen.insert(member.resident_id.as_str().to_string(), line.row) {
                Some(first) => faults.push(fault(
                    line.row,
                    "身份证号码",
                    format!("与第{first}行重复"),
                    line,
                )),
                None => members.push((line.row, member)),
            },
            Err(errors) => {
                // A blank sex is read from the resident ID: when that is wrong, one fault.
                let id_wrong = errors.iter().any(|(column, _)| *column == "身份证号码");
                faults.extend(
                    errors
                        .into_iter()
                        .filter(|(column, _)| {
                            !(id_wrong && *column == "性别" && line.sex.is_empty())
                        })
                        .map(|(column, reason)| fault(line.row, column, reason, line)),
                )
            }
        }
    }
    let mut tx = state.db.begin().await?;
    let ids: Vec<&str> = members
        .iter()
        .map(|(_, m)| m.resident_id.as_str())
        .collect();
    let registered = db::member::registered(&mut tx, &state.keys, &ids).await?;
    for (row, member) in &members {
        if registered.contains(&state.keys.blind_index(member.resident_id.as_str())) {
            faults.push(Fault {
                row: *row,
                column: "身份证号码".into(),
                reason: "该号码已登记为团员，不能重复登记（如需转入请办理组织关系接转）".into(),
                value: String::new(),
            });
        }
    }
    if !faults.is_empty() {
        faults.sort_by_key(|f| f.row);
        return Ok(refuse(ctx, org, None, faults));
    }
    let new: Vec<NewMember> = members.into_iter().map(|(_, m)| m).collect();
    let Some(added) = db::member::create_many(&mut tx, &state.keys, &new)
        .await?
        .map(|ids| ids.len())
    else {
        return Ok(refuse(
            ctx,
            org,
            Some("导入期间有人登记了其中的团员，请重新导入".into()),
            Vec::new(),
        ));
    };
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &user.actor(&address),
        Event::new("member.imported", "organization", id).after(json!({ "rows": added })),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect(
        &state.settings,
        &format!("/organizations/{id}/members"),
        "ok",
        &format!("已从名册导入 {added} 名团员。"),
    ))
}

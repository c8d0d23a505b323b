//! Importing a roster workbook into an organisation: the template to download, the upload
//! form, and the fault list when `services::roster_import` refuses the file.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::response::Response;

use super::branch_to_change;
use crate::auth::extract::{ClientAddr, Reporter, Require};
use crate::db::organization::OrganizationRow;
use crate::domain::ids::OrganizationId;
use crate::error::Result;
use crate::import::{Fault, workbook::MAX_FILE_BYTES};
use crate::services::Error;
use crate::services::roster_import::{self, Imported};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::respond::{XLSX, download, invalid};
use crate::web::upload::uploaded_file;

#[derive(Template, WebTemplate)]
#[template(path = "members/import.html")]
pub struct ImportPage {
    ctx: PageContext,
    org: OrganizationRow,
    error: Option<String>,
    faults: Vec<Fault>,
    max_mb: usize,
    /// The worksheets to choose from, when the last file had several with a roster header.
    sheets: Vec<String>,
}

impl ImportPage {
    fn new(ctx: PageContext, org: OrganizationRow) -> ImportPage {
        ImportPage {
            ctx,
            org,
            error: None,
            faults: Vec::new(),
            max_mb: MAX_FILE_BYTES / 1048576,
            sheets: Vec::new(),
        }
    }
}

pub async fn import_form(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    PathOr404(id): PathOr404<OrganizationId>,
) -> Result<ImportPage> {
    Ok(ImportPage::new(
        ctx,
        branch_to_change(&state, &user, id).await?,
    ))
}

pub async fn download_template(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    PathOr404(id): PathOr404<OrganizationId>,
) -> Result<Response> {
    let org = branch_to_change(&state, &user, id).await?;
    let bytes = crate::export::roster::template(&org.name)
        .map_err(|e| anyhow::anyhow!("writing the roster template: {e}"))?;
    Ok(download(
        &format!("{}-团员名册模板.xlsx", org.name),
        "roster-template.xlsx",
        XLSX,
        bytes,
    ))
}

pub async fn import_roster(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404(id): PathOr404<OrganizationId>,
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<Response> {
    // The scope first: someone else's organisation is 404 whatever the body.
    let org = branch_to_change(&state, &user, id).await?;
    let refuse = |ctx, org, error: Option<String>, faults: Vec<Fault>| {
        let mut page = ImportPage::new(ctx, org);
        page.error = error;
        page.faults = faults;
        invalid(page)
    };
    let (file, sheet) = match multipart {
        Ok(mut multipart) => uploaded_file(&mut multipart).await?,
        Err(_) => (None, None),
    };
    let Some(bytes) = file else {
        return Ok(refuse(
            ctx,
            org,
            Some("请选择要导入的团员名册（.xlsx 或 .xls）".into()),
            Vec::new(),
        ));
    };
    let actor = user.actor(&address);
    let now = state.clock.now();
    match roster_import::import(
        &state.db,
        &state.keys,
        &actor,
        id,
        (bytes, sheet),
        (now, state.clock.today()),
    )
    .await
    {
        Ok(Imported::Added {
            sheet,
            count,
            joined_young,
            dots_read,
        }) => Ok(flash::ok(
            &state.settings,
            &format!("/organizations/{id}/members"),
            &format!(
                "{}{}（读取的工作表：{sheet}）",
                imported_message(count, &joined_young),
                dots_message(&dots_read)
            ),
        )),
        Ok(Imported::Faults(faults)) => Ok(refuse(ctx, org, None, faults)),
        Ok(Imported::Choose(sheets)) => {
            let mut page = ImportPage::new(ctx, org);
            page.error = Some(format!(
                "工作簿中有 {} 个工作表含名册表头（{}），未导入任何团员。请在下方选择要导入的工作表，再上传一次。",
                sheets.len(),
                sheets.join("、")
            ));
            page.sheets = sheets;
            Ok(invalid(page))
        }
        Err(Error::Refused(message)) => {
            Ok(refuse(ctx, org, Some(message.into_owned()), Vec::new()))
        }
        Err(Error::Database(e)) => Err(e.into()),
    }
}

/// The note on names whose dot between parts was read as the middle dot (GB/T 15834-2011,
/// 4.14 间隔号; `domain::name`): empty when there were none.
fn dots_message(rows: &[u32]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let rows: Vec<String> = rows.iter().map(|r| format!("第{r}行")).collect();
    format!(
        "{}的姓名中用作分隔的“.”“・”“•”等已按规定读作间隔号“·”。",
        rows.join("、")
    )
}

/// The import's report: how many were added, and which rows joined before 14.
fn imported_message(count: usize, joined_young: &[u32]) -> String {
    if joined_young.is_empty() {
        return format!("已从名册导入 {count} 名团员。");
    }
    let rows: Vec<String> = joined_young.iter().map(|r| format!("第{r}行")).collect();
    format!(
        "已从名册导入 {count} 名团员。其中{}名入团时未满14周岁（{}），按原系统记录导入，已在团员信息中标注，请核对。",
        joined_young.len(),
        rows.join("、")
    )
}

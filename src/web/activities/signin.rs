//! Importing a sign-in sheet (签到表) into an activity's participants: the upload from the
//! activity's page, and the fault list when `services::signin_import` refuses the file.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::response::Response;

use crate::auth::extract::{ClientAddr, Reporter, Require};
use crate::db::activity::ActivityRow;
use crate::domain::ids::ActivityId;
use crate::error::Result;
use crate::import::{Fault, workbook::MAX_FILE_BYTES};
use crate::services::Error;
use crate::services::signin_import::{self, Imported};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::respond::invalid;
use crate::web::upload::uploaded_file;

use super::open_for_write;

/// The sheet refused: why, or its faults, with the form to upload it again.
#[derive(Template, WebTemplate)]
#[template(path = "activities/signin_import.html")]
pub struct SigninImportPage {
    ctx: PageContext,
    activity: ActivityRow,
    error: Option<String>,
    faults: Vec<Fault>,
    max_mb: usize,
    /// The worksheets to choose from, when the file had several with a sign-in header.
    sheets: Vec<String>,
}

pub async fn import_signin(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404(id): PathOr404<ActivityId>,
    multipart: std::result::Result<Multipart, MultipartRejection>,
) -> Result<Response> {
    // The scope first: someone else's activity is 404 or 403 whatever the body.
    let activity = open_for_write(&state, &user, id).await?;
    let (file, sheet) = match multipart {
        Ok(mut multipart) => uploaded_file(&mut multipart).await?,
        Err(_) => (None, None),
    };
    let mut page = SigninImportPage {
        ctx,
        activity,
        error: None,
        faults: Vec::new(),
        max_mb: MAX_FILE_BYTES / 1048576,
        sheets: Vec::new(),
    };
    let Some(bytes) = file else {
        page.error = Some("请选择要导入的签到表（.xlsx 或 .xls）".into());
        return Ok(invalid(page));
    };
    match signin_import::import(
        &state.db,
        &state.keys,
        &state.clock,
        &user.actor(&address),
        (&page.activity, &user.scope_for::<Reporter>()),
        (bytes, sheet),
        state.clock.now(),
    )
    .await
    {
        Ok(Imported::Done {
            sheet,
            members_added,
            youth_added,
            updated,
        }) => Ok(flash::ok(
            &state.settings,
            &format!("/activities/{id}#participants"),
            &format!(
                "已导入签到表：新增团员 {members_added} 人、青年 {youth_added} 人，更新已登记人员 {updated} 人（读取的工作表：{sheet}）。"
            ),
        )),
        Ok(Imported::Faults(faults)) => {
            page.faults = faults;
            Ok(invalid(page))
        }
        Ok(Imported::Choose(sheets)) => {
            page.error = Some(format!(
                "工作簿中有 {} 个工作表含签到表表头（{}），未导入任何人员。请在下方选择要导入的工作表，再上传一次。",
                sheets.len(),
                sheets.join("、")
            ));
            page.sheets = sheets;
            Ok(invalid(page))
        }
        Err(Error::Refused(message)) => {
            page.error = Some(message.into_owned());
            Ok(invalid(page))
        }
        Err(Error::Database(e)) => Err(e.into()),
    }
}

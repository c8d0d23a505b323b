//! Attachments to an application (meeting minutes, member lists): PDF, images or Word,
//! recognised by their first bytes, at most 5 MiB, served only through the scoped route.

use axum::extract::State;
use axum::response::Response;
use serde_json::json;

use crate::auth::extract::{Business, ClientAddr, Require, Secretary};
use crate::db::{self, audit::Event};
use crate::domain::audit::Action as AuditAction;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::respond::download;
use crate::web::upload::named_file;

use super::{application_for, open_application};
use crate::domain::ids::{ApplicationId, AttachmentId};

/// Accepted attachment types, recognised by their first bytes rather than their names.
fn attachment_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"PK\x03\x04") {
        // a Word document, not any ZIP (security review F14)
        match crate::domain::activity_file::recognise(bytes) {
            Some((_, crate::domain::activity_file::DOCX)) => {
                Some(crate::domain::activity_file::DOCX)
            }
            _ => None,
        }
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some("application/msword")
    } else {
        None
    }
}

pub const ATTACHMENT_LIMIT: usize = 5 * 1024 * 1024;

pub async fn add_attachment(
    State(state): State<AppState>,
    Require(user, ..): Require<Secretary>,
    address: ClientAddr,
    PathOr404(id): PathOr404<ApplicationId>,
    request: axum::extract::Request,
) -> Result<Response> {
    // The scope is checked before the body is read: another unit's id is 404 whatever is sent.
    let app = application_for::<Secretary>(&state, &user, id).await?;
    let back = format!("/applications/{id}");
    if !app.state.is_editable() {
        return Ok(flash::error(
            &state.settings,
            &back,
            "该申请当前状态不能再添加附件",
        ));
    }
    let file = named_file(request, &state).await?;
    let file = file.map(|(name, bytes)| (name.unwrap_or_else(|| "附件".into()), bytes));
    let Some((name, bytes)) = file else {
        return Ok(flash::error(&state.settings, &back, "请选择要上传的文件"));
    };
    if bytes.len() > ATTACHMENT_LIMIT {
        return Ok(flash::error(&state.settings, &back, "附件不能超过 5 MB"));
    }
    let Some(content_type) = attachment_type(&bytes) else {
        return Ok(flash::error(
            &state.settings,
            &back,
            "只接受 PDF、JPG、PNG 或 Word 文件",
        ));
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let attachment = db::application::add_attachment(
        &mut tx,
        id,
        (&name, content_type, &bytes),
        user.account_id,
        now,
    )
    .await?;
    db::audit::record(
        &mut *tx,
        now,
        &user.actor(&address),
        Event::new(
            AuditAction::ApplicationAttachmentAdded,
            "formation_application",
            id,
        )
        .after(json!({"attachment_id": attachment, "file_name": name, "size": bytes.len()})),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::ok(&state.settings, &back, "附件已上传。"))
}

pub async fn download_attachment(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    PathOr404((id, attachment)): PathOr404<(ApplicationId, AttachmentId)>,
) -> Result<Response> {
    open_application(&state, &user, id).await?;
    let (name, content_type, bytes) = db::application::attachment(&state.db, id, attachment)
        .await?
        .ok_or(AppError::NotFound)?;
    // Named after what the content is, not what the uploader called it (F14).
    let name = crate::domain::content::download_name(&name, &content_type);
    Ok(download(&name, "attachment", &content_type, bytes))
}

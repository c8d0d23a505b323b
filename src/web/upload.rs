//! A workbook upload as the import forms send it: the file's bytes and the worksheet
//! chosen when the last file had several; a file with its name, as the attachment forms
//! send it.

use axum::extract::{FromRequest, Multipart, Request};

use crate::error::{AppError, Result};
use crate::state::AppState;

/// The uploaded file's bytes, from the multipart form's `file` field, and the worksheet
/// chosen in its `sheet` field (offered when a file had several).
pub async fn uploaded_file(multipart: &mut Multipart) -> Result<(Option<Vec<u8>>, Option<String>)> {
    let (mut file, mut sheet) = (None, None);
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("上传的内容不完整，请重新选择文件上传。".into()))?
    {
        match field.name() {
            Some("file") => {
                let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?;
                file = Some(bytes.to_vec());
            }
            Some("sheet") => {
                let text = field.text().await.map_err(|_| AppError::TooLarge)?;
                sheet = Some(text.trim().to_string()).filter(|s| !s.is_empty());
            }
            _ => {}
        }
    }
    Ok((file.filter(|b| !b.is_empty()), sheet))
}

/// The multipart form's `file` field as its name (at most 120 characters, `None` when the
/// browser sent none) and bytes; `None` when no file or an empty one was sent. The body is
/// read only here, so a handler checks the scope first and calls this after.
pub async fn named_file(
    request: Request,
    state: &AppState,
) -> Result<Option<(Option<String>, Vec<u8>)>> {
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|_| AppError::BadRequest("请通过页面上的表单选择文件上传。".into()))?;
    let mut file = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("上传的内容不完整，请重新选择文件上传。".into()))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().map(|n| n.chars().take(120).collect());
            let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?;
            file = Some((name, bytes.to_vec()));
        }
    }
    Ok(file.filter(|(_, b)| !b.is_empty()))
}

//! A workbook upload as the import forms send it: the file's bytes and the worksheet
//! chosen when the last file had several.

use axum::extract::Multipart;

use crate::error::{AppError, Result};

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

//! An application's attachments: listing them, adding one, and reading one back.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

use crate::domain::ids::{AccountId, ApplicationId, AttachmentId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentRow {
    pub application_attachment_id: AttachmentId,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i32,
    pub uploaded_at: DateTime<Utc>,
}

pub async fn attachments(db: &PgPool, id: ApplicationId) -> sqlx::Result<Vec<AttachmentRow>> {
    sqlx::query_as(
        "select application_attachment_id, file_name, content_type, size_bytes, uploaded_at
           from application_attachment where formation_application_id = $1 order by application_attachment_id",
    )
    .bind(id)
    .fetch_all(db)
    .await
}

pub async fn add_attachment(
    db: &mut PgConnection,
    id: ApplicationId,
    file: (&str, &str, &[u8]),
    by: AccountId,
    at: DateTime<Utc>,
) -> sqlx::Result<AttachmentId> {
    sqlx::query_scalar(
        "insert into application_attachment
                (formation_application_id, file_name, content_type, content, size_bytes, uploaded_by, uploaded_at)
         values ($1, $2, $3, $4, $5, $6, $7) returning application_attachment_id",
    )
    .bind(id)
    .bind(file.0)
    .bind(file.1)
    .bind(file.2)
    .bind(file.2.len() as i32)
    .bind(by)
    .bind(at)
    .fetch_one(db)
    .await
}

/// The attachment's name, type and bytes, if it belongs to application `id`.
pub async fn attachment(
    db: &PgPool,
    id: ApplicationId,
    attachment: AttachmentId,
) -> sqlx::Result<Option<(String, String, Vec<u8>)>> {
    sqlx::query_as(
        "select file_name, content_type, content from application_attachment
          where formation_application_id = $1 and application_attachment_id = $2",
    )
    .bind(id)
    .bind(attachment)
    .fetch_optional(db)
    .await
}

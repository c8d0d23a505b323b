//! An activity's photos and documents (`activity_file`): the list without the bytes,
//! adding and removing one, and reading one's bytes or thumbnail back.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

use crate::domain::activity_file::Kind;
use crate::domain::ids::{AccountId, ActivityId};

/// One file as the activity page lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileRow {
    pub activity_file_id: i64,
    pub kind: Kind,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i32,
    pub uploaded_at: DateTime<Utc>,
}

impl FileRow {
    pub fn is_photo(&self) -> bool {
        self.kind == Kind::Photo
    }

    /// The size as the page shows it (“2.5 MB”).
    pub fn size_text(&self) -> String {
        crate::domain::activity_file::size_text(i64::from(self.size_bytes))
    }
}

/// A file to add: its kind, name as uploaded, content type, bytes and, for a photo, its
/// thumbnail.
pub struct NewFile<'a> {
    pub kind: Kind,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub content: &'a [u8],
    pub thumbnail: Option<&'a [u8]>,
}

/// The activity's files, oldest first.
pub async fn list(db: &PgPool, activity: ActivityId) -> sqlx::Result<Vec<FileRow>> {
    sqlx::query_as(
        "select activity_file_id, kind, file_name, content_type, size_bytes, uploaded_at
           from activity_file where activity_id = $1 order by activity_file_id",
    )
    .bind(activity)
    .fetch_all(db)
    .await
}

/// The file `file` of `activity`, without its bytes.
pub async fn get(
    db: &mut PgConnection,
    activity: ActivityId,
    file: i64,
) -> sqlx::Result<Option<FileRow>> {
    sqlx::query_as(
        "select activity_file_id, kind, file_name, content_type, size_bytes, uploaded_at
           from activity_file where activity_id = $1 and activity_file_id = $2",
    )
    .bind(activity)
    .bind(file)
    .fetch_optional(db)
    .await
}

/// Adds a file; returns its id.
pub async fn add(
    db: &mut PgConnection,
    activity: ActivityId,
    file: &NewFile<'_>,
    by: Option<AccountId>,
    at: DateTime<Utc>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "insert into activity_file
                (activity_id, kind, file_name, content_type, size_bytes, content, thumbnail, uploaded_by, uploaded_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning activity_file_id",
    )
    .bind(activity)
    .bind(file.kind)
    .bind(file.file_name)
    .bind(file.content_type)
    .bind(file.content.len() as i32)
    .bind(file.content)
    .bind(file.thumbnail)
    .bind(by)
    .bind(at)
    .fetch_one(db)
    .await
}

/// Removes the file; whether there was one.
pub async fn remove(db: &mut PgConnection, activity: ActivityId, file: i64) -> sqlx::Result<bool> {
    let done =
        sqlx::query("delete from activity_file where activity_id = $1 and activity_file_id = $2")
            .bind(activity)
            .bind(file)
            .execute(db)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// The file's name, content type and bytes, if it belongs to `activity`.
pub async fn content(
    db: &PgPool,
    activity: ActivityId,
    file: i64,
) -> sqlx::Result<Option<(String, String, Vec<u8>)>> {
    sqlx::query_as(
        "select file_name, content_type, content from activity_file
          where activity_id = $1 and activity_file_id = $2",
    )
    .bind(activity)
    .bind(file)
    .fetch_optional(db)
    .await
}

/// A photo's thumbnail (JPEG), if `file` is a photo of `activity`.
pub async fn thumbnail(
    db: &PgPool,
    activity: ActivityId,
    file: i64,
) -> sqlx::Result<Option<Vec<u8>>> {
    sqlx::query_scalar(
        "select thumbnail from activity_file
          where activity_id = $1 and activity_file_id = $2 and thumbnail is not null",
    )
    .bind(activity)
    .bind(file)
    .fetch_optional(db)
    .await
}

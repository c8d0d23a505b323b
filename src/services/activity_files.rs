//! An activity's photos and documents as use cases (issue 16 item 1): adding one — its
//! type recognised by content, its size checked, a photo's thumbnail made — and removing
//! one, each one transaction with its audit event on the activity. The caller opened the
//! activity for writing (`db::activity::get_for_write`).

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;

use crate::db::activity::ActivityRow;
use crate::db::activity_file::NewFile;
use crate::db::audit::Event;
use crate::domain::activity_file::{self as rules, Kind};
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::services::{Error, Outcome, commit_audited};

/// The refusal when the file named is not (or no longer) the activity's.
pub const NO_SUCH_FILE: &str = "该文件已不存在，请刷新后再操作";

/// Adds `bytes`, uploaded as `file_name`, to the activity; returns its id and kind.
/// Refused, writing nothing: a file that is none of JPEG, PNG, PDF, DOCX, XLSX by content
/// (`rules::WRONG_TYPE`); a photo over 10 MiB or a document over 20 MiB
/// (`Kind::too_large`); a picture that cannot be decoded within the decode limits.
pub async fn add(
    db: &PgPool,
    actor: &Actor,
    activity: &ActivityRow,
    file_name: &str,
    bytes: Vec<u8>,
    now: DateTime<Utc>,
) -> Outcome<(i64, Kind)> {
    let Some((kind, content_type)) = rules::recognise(&bytes) else {
        return Err(Error::refused(rules::WRONG_TYPE));
    };
    if bytes.len() > kind.limit() {
        return Err(Error::refused(kind.too_large()));
    }
    let name: String = file_name.trim().chars().take(120).collect();
    let name = if name.is_empty() {
        "文件".to_string()
    } else {
        name
    };
    let (bytes, thumbnail) = match kind {
        Kind::Photo => {
            // Decoding a large photo takes a while: off the request threads.
            let (bytes, thumb) = tokio::task::spawn_blocking(move || {
                let thumb = rules::thumbnail(&bytes, content_type);
                (bytes, thumb)
            })
            .await
            .map_err(|_| Error::refused(rules::UNREADABLE_PHOTO))?;
            (
                bytes,
                Some(thumb.ok_or_else(|| Error::refused(rules::UNREADABLE_PHOTO))?),
            )
        }
        Kind::Document => (bytes, None),
    };
    let mut tx = db.begin().await?;
    let new = NewFile {
        kind,
        file_name: &name,
        content_type,
        content: &bytes,
        thumbnail: thumbnail.as_deref(),
    };
    let id =
        crate::db::activity_file::add(&mut tx, activity.activity_id, &new, actor.account_id, now)
            .await?;
    let event = Event::new(
        AuditAction::ActivityFileAdded,
        "activity",
        activity.activity_id,
    )
    .after(json!({
        "activity_file_id": id, "kind": kind.code(), "file_name": name,
        "content_type": content_type, "size": bytes.len(),
    }));
    commit_audited(tx, now, actor, event).await?;
    Ok((id, kind))
}

/// Removes the activity's file `file`; refused (`NO_SUCH_FILE`) when it is not there.
pub async fn remove(
    db: &PgPool,
    actor: &Actor,
    activity: &ActivityRow,
    file: i64,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let mut tx = db.begin().await?;
    let before = crate::db::activity_file::get(&mut tx, activity.activity_id, file)
        .await?
        .ok_or_else(|| Error::refused(NO_SUCH_FILE))?;
    crate::db::activity_file::remove(&mut tx, activity.activity_id, file).await?;
    let event = Event::new(
        AuditAction::ActivityFileRemoved,
        "activity",
        activity.activity_id,
    )
    .before(json!({
        "activity_file_id": file, "kind": before.kind.code(), "file_name": before.file_name,
        "content_type": before.content_type, "size": before.size_bytes,
    }))
    .after(json!({ "activity_file_id": file, "removed": true }));
    commit_audited(tx, now, actor, event).await
}

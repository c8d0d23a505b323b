//! An activity's photos and documents: uploading one (the activity's writers), downloading
//! one and a photo's thumbnail (its readers), and removing one (writers). The bytes live
//! in the database and reach the browser only through these scoped routes.

use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

use crate::auth::CurrentUser;
use crate::auth::extract::{Business, ClientAddr, Reporter, Require};
use crate::db;
use crate::domain::activity_file::Kind;
use crate::domain::ids::ActivityId;
use crate::error::{AppError, Result};
use crate::services::{Error, activity_files};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::respond::download;
use crate::web::upload::named_file;

use super::open_for_write;

/// The activity page's files section, where the answers land.
fn back(id: ActivityId) -> String {
    format!("/activities/{id}#files")
}

/// 404 unless the user may read the activity.
async fn open_for_read(state: &AppState, user: &CurrentUser, id: ActivityId) -> Result<()> {
    db::activity::get(&state.db, id, &user.scope)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(())
}

pub async fn upload_file(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<ActivityId>,
    request: Request,
) -> Result<Response> {
    // The scope is checked before the body is read: another unit's id is 404 whatever is sent.
    let activity = open_for_write(&state, &user, id).await?;
    let Some((name, bytes)) = named_file(request, &state).await? else {
        return Ok(flash::error(
            &state.settings,
            &back(id),
            "请选择要上传的照片或文件",
        ));
    };
    let name = name.unwrap_or_default();
    let done = activity_files::add(
        &state.db,
        &user.actor(&address),
        &activity,
        &name,
        bytes,
        state.clock.now(),
    )
    .await;
    match done {
        Ok((_, Kind::Photo)) => Ok(flash::ok(&state.settings, &back(id), "照片已上传。")),
        Ok((_, Kind::Document)) => Ok(flash::ok(&state.settings, &back(id), "文件已上传。")),
        Err(Error::Refused(message)) => Ok(flash::error(&state.settings, &back(id), &message)),
        Err(Error::Database(e)) => Err(e.into()),
    }
}

pub async fn download_file(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    PathOr404((id, file)): PathOr404<(ActivityId, i64)>,
) -> Result<Response> {
    open_for_read(&state, &user, id).await?;
    let (name, content_type, bytes) = db::activity_file::content(&state.db, id, file)
        .await?
        .ok_or(AppError::NotFound)?;
    let name = crate::domain::content::download_name(&name, &content_type);
    Ok(download(&name, "activity-file", &content_type, bytes))
}

pub async fn thumbnail(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    PathOr404((id, file)): PathOr404<(ActivityId, i64)>,
) -> Result<Response> {
    open_for_read(&state, &user, id).await?;
    let bytes = db::activity_file::thumbnail(&state.db, id, file)
        .await?
        .ok_or(AppError::NotFound)?;
    // A file's thumbnail never changes (a new upload is a new id); only this user's browser
    // may keep it.
    Ok((
        [
            (CONTENT_TYPE, "image/jpeg"),
            (CACHE_CONTROL, "private, max-age=86400"),
        ],
        bytes,
    )
        .into_response())
}

pub async fn remove_file(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404((id, file)): PathOr404<(ActivityId, i64)>,
) -> Result<Response> {
    let activity = open_for_write(&state, &user, id).await?;
    let done = activity_files::remove(
        &state.db,
        &user.actor(&address),
        &activity,
        file,
        state.clock.now(),
    )
    .await;
    match done {
        Ok(()) => Ok(flash::ok(&state.settings, &back(id), "已删除该文件。")),
        Err(Error::Refused(message)) => Ok(flash::error(&state.settings, &back(id), &message)),
        Err(Error::Database(e)) => Err(e.into()),
    }
}

//! One activity's page: what, when, where, who organised it and which units took part;
//! for those who may change it, its state buttons (each asking first where it cannot be
//! undone), the units' form, and the photos and documents section (`files`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

use crate::auth::extract::{Business, ClientAddr, Reporter, Require};
use crate::db::activity_file::FileRow as ActivityFile;
use crate::db::participation::Participant;
use crate::db::{self, activity::ActivityRow, activity::ActivityUnit};
use crate::domain::activity::{State as ActivityState, UnitRole};
use crate::domain::activity_file::{DOCUMENT_LIMIT, PHOTO_LIMIT};
use crate::domain::ids::{ActivityId, UnitId};
use crate::domain::participation::{Role as ParticipantRole, hours_text, span_tenths};
use crate::error::{AppError, Result};
use crate::services::{Error, activities};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;

use super::open_for_write;

#[derive(Template, WebTemplate)]
#[template(path = "activities/show.html")]
pub struct ActivityPage {
    ctx: PageContext,
    activity: ActivityRow,
    when: String,
    /// How the page names the zone's time (北京时间).
    zone: String,
    units: Vec<ActivityUnit>,
    participants: Vec<Participant>,
    /// Photos and documents, oldest first.
    files: Vec<ActivityFile>,
    /// The largest photo and document, in MB, as the upload form says them.
    photo_mb: usize,
    document_mb: usize,
    /// Confirmed volunteer hours of all participants, as written.
    total_hours: String,
    /// The most hours one participant can be credited.
    span_hours: String,
    can_edit: bool,
    /// Check-in by phone, for those who may change the activity.
    checkin: Option<super::checkin::CheckinPanel>,
    roles: [UnitRole; 2],
    participant_roles: [ParticipantRole; 6],
}

impl ActivityPage {
    /// The list of the activity's series.
    fn series_link(&self) -> String {
        let query = serde_urlencoded::to_string([("series", self.activity.series.as_str())])
            .unwrap_or_default();
        format!("/activities?{query}")
    }

    /// The state buttons: (state code, button text, confirmation or empty).
    fn moves(&self) -> Vec<(&'static str, &'static str, &'static str)> {
        self.activity
            .state
            .next()
            .iter()
            .map(|s| {
                let confirm = match s {
                    ActivityState::Cancelled => "确定取消这项活动吗？取消后不能恢复。",
                    ActivityState::Done => "确定将这项活动标记为已完成吗？完成后不能改回。",
                    _ => "",
                };
                (s.code(), s.verb(), confirm)
            })
            .collect()
    }
}

pub async fn show_activity(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    headers: HeaderMap,
    PathOr404(id): PathOr404<ActivityId>,
) -> Result<ActivityPage> {
    let activity = db::activity::get(&state.db, id, &user.scope)
        .await?
        .ok_or(AppError::NotFound)?;
    // Reading reaches activities the user's units take part in; changing only those their
    // organisations organise, so the write scope is asked on its own.
    let can_edit = db::activity::get_for_write(&state.db, id, &user.scope_for::<Reporter>())
        .await?
        .is_some();
    let checkin = if can_edit {
        Some(super::checkin::panel(&state, &headers, &activity).await?)
    } else {
        None
    };
    Ok(ActivityPage {
        when: super::list::span_text(&state, activity.starts_at, activity.ends_at),
        zone: state.clock.zone_label(),
        units: db::activity::units(&state.db, id).await?,
        participants: db::participation::list(&state.db, id).await?,
        files: db::activity_file::list(&state.db, id).await?,
        photo_mb: PHOTO_LIMIT / (1024 * 1024),
        document_mb: DOCUMENT_LIMIT / (1024 * 1024),
        total_hours: hours_text(db::participation::totals(&state.db, id).await?.1),
        span_hours: hours_text(span_tenths(activity.starts_at, activity.ends_at)),
        participant_roles: ParticipantRole::ALL,
        activity,
        can_edit,
        checkin,
        roles: UnitRole::ALL,
        ctx,
    })
}

#[derive(Deserialize)]
pub struct StateForm {
    #[serde(default)]
    state: String,
}

pub async fn change_state(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<ActivityId>,
    Form(form): Form<StateForm>,
) -> Result<Response> {
    let activity = open_for_write(&state, &user, id).await?;
    let back = format!("/activities/{id}");
    let Some(to) = ActivityState::from_code(form.state.trim()) else {
        return Ok(flash::error(&state.settings, &back, "请选择活动状态"));
    };
    match activities::set_state(
        &state.db,
        &user.actor(&address),
        &activity,
        to,
        state.clock.now(),
    )
    .await
    {
        Ok(()) => Ok(flash::ok(
            &state.settings,
            &back,
            &format!("活动状态已改为“{}”。", to.label()),
        )),
        Err(Error::Refused(message)) => Ok(flash::error(&state.settings, &back, &message)),
        Err(Error::Database(e)) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct UnitForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    role: String,
}

pub async fn add_unit(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<ActivityId>,
    Form(form): Form<UnitForm>,
) -> Result<Response> {
    open_for_write(&state, &user, id).await?;
    let back = format!("/activities/{id}");
    let Some(role) = UnitRole::from_code(form.role.trim()) else {
        return Ok(flash::error(
            &state.settings,
            &back,
            "请选择协办单位或参与单位",
        ));
    };
    let name = crate::domain::name::normalize_name(&form.unit);
    if name.is_empty() {
        return Ok(flash::error(&state.settings, &back, "请填写单位名称"));
    }
    let Some(unit) = db::unit::find_id_by_name(&state.db, &name).await? else {
        return Ok(flash::error(
            &state.settings,
            &back,
            &format!("找不到名为“{name}”的单位，请填写单位的全称"),
        ));
    };
    match activities::put_unit(
        &state.db,
        &user.actor(&address),
        id,
        unit,
        role,
        state.clock.now(),
    )
    .await
    {
        Ok(()) => Ok(flash::ok(
            &state.settings,
            &back,
            &format!("已将“{name}”列为{}。", role.label()),
        )),
        Err(Error::Refused(message)) => Ok(flash::error(&state.settings, &back, &message)),
        Err(Error::Database(e)) => Err(e.into()),
    }
}

pub async fn remove_unit(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404((id, unit)): PathOr404<(ActivityId, UnitId)>,
) -> Result<Response> {
    open_for_write(&state, &user, id).await?;
    let back = format!("/activities/{id}");
    match activities::remove_unit(
        &state.db,
        &user.actor(&address),
        id,
        unit,
        state.clock.now(),
    )
    .await
    {
        Ok(()) => Ok(flash::ok(&state.settings, &back, "已移除该单位。")),
        Err(Error::Refused(message)) => Ok(flash::error(&state.settings, &back, &message)),
        Err(Error::Database(e)) => Err(e.into()),
    }
}

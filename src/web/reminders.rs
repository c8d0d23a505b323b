//! 督促: the units that must form an organisation and have not applied, the campaign's
//! deadline, reminding one or all, and the list as a workbook.

use crate::web::only;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use crate::auth::extract::{ClientAddr, Committee, Require, Staff};
use crate::db::{self, audit::Event, formation::Eligible, survey::SurveyRow};
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::UnitId;
use crate::domain::role::Role;
use crate::error::{AppError, Result};
use crate::export::reminders::ReminderLine;
use crate::services::reminders::{self, Reminded};
use crate::state::AppState;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::paging::Pager;
use crate::web::respond::{XLSX, download};

/// The export holds the whole list.
const EXPORT_LIMIT: i64 = 100_000;

#[derive(Template, WebTemplate)]
#[template(path = "reminders/index.html")]
pub struct RemindersPage {
    ctx: PageContext,
    round: Option<SurveyRow>,
    units: Vec<Eligible>,
    /// Units on the whole list, and the cursor of the next page.
    count: i64,
    pager: Pager,
    days_left: Option<i64>,
    can_remind: bool,
}

/// Units per page of the reminder list, as on the other lists.
const PAGE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    /// The last unit name of the previous page.
    after: Option<String>,
}

pub async fn show_reminders(
    State(state): State<AppState>,
    Require(user, ..): Require<Staff>,
    ctx: PageContext,
    axum::extract::Query(query): axum::extract::Query<PageQuery>,
) -> Result<RemindersPage> {
    let round = db::survey::get_or_latest(&state.db, None).await?;
    let (mut units, count) = match &round {
        Some(r) => (
            db::formation::reminder_list(&state.db, r.survey_id, query.after.as_deref(), PAGE + 1)
                .await?,
            db::formation::reminder_count(&state.db, r.survey_id).await?,
        ),
        None => (Vec::new(), 0),
    };
    let next = crate::web::next_page(&mut units, PAGE, |u| u.name.clone());
    let today = state.clock.today();
    Ok(RemindersPage {
        days_left: round
            .as_ref()
            .and_then(|r| r.formation_deadline)
            .map(|d| (d - today).num_days()),
        can_remind: user.has(Role::Committee),
        round,
        units,
        count,
        pager: Pager::new("/reminders", "", "after", next.as_deref()),
        ctx,
    })
}

#[derive(Deserialize)]
pub struct RemindForm {
    #[serde(default)]
    unit: String,
}

pub async fn remind(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    Form(form): Form<RemindForm>,
) -> Result<Response> {
    let round = db::survey::get_or_latest(&state.db, None)
        .await?
        .ok_or(AppError::NotFound)?;
    let unit = match form.unit.trim() {
        "" => None,
        text => Some(UnitId(text.parse().map_err(|_| AppError::NotFound)?)),
    };
    let Reminded { units, notices } = reminders::remind_to_form(
        &state.db,
        &user.actor(&address),
        round.survey_id,
        round.formation_deadline,
        unit,
        state.clock.now(),
    )
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(flash::ok(
        &state.settings,
        "/reminders",
        &format!("已督促{units}个单位（发出{notices}条站内通知）。"),
    ))
}

pub async fn export_reminders(
    State(state): State<AppState>,
    Require(user, ..): Require<Staff>,
    address: ClientAddr,
) -> Result<Response> {
    let round = db::survey::get_or_latest(&state.db, None)
        .await?
        .ok_or(AppError::NotFound)?;
    let units =
        db::formation::reminder_list(&state.db, round.survey_id, None, EXPORT_LIMIT).await?;
    let lines: Vec<ReminderLine> = units
        .iter()
        .map(|u| ReminderLine {
            name: &u.name,
            kind: u.kind_label(),
            members: i64::from(u.members),
            youth: i64::from(u.youth),
            reminders: u.reminders,
            last_reminded: u.last_reminded.map(|t| state.clock.local(t).date_naive()),
            in_progress: u.in_progress,
        })
        .collect();
    let bytes = crate::export::reminders::workbook(round.as_of, &lines)
        .map_err(|e| anyhow::anyhow!("writing the reminder list: {e}"))?;
    db::audit::record(
        &state.db,
        state.clock.now(),
        &user.actor(&address),
        Event::new(AuditAction::FormationExported, "survey", round.survey_id),
    )
    .await?;
    Ok(download(
        &format!("督促名单-截止{}.xlsx", round.as_of),
        "reminders.xlsx",
        XLSX,
        bytes,
    ))
}

/// The reminder list for the staff; reminding for the committee.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reminders", only::<Staff>(get(show_reminders)))
        .route("/reminders/remind", only::<Committee>(post(remind)))
        .route("/reminders/export", only::<Staff>(get(export_reminders)))
}

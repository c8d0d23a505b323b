//! One work-plan item's page: what it is, who owns it, its due date and flag, its state,
//! its progress notes (latest first), and for those who may record progress, the form that
//! adds a note and may move its state, and the committee's separate form that cancels it
//! (asking first).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::response::Response;
use chrono::NaiveDate;

use crate::auth::extract::{Business, ClientAddr, Reporter, Require};
use crate::db::{self, work_plan::ItemRow, work_plan::NoteRow};
use crate::domain::ids::WorkPlanItemId;
use crate::domain::role::{Role, Scope};
use crate::domain::work_plan::{Flag, NoteFields, NoteInput, State as ItemState, flag};
use crate::error::Result;
use crate::services::work_plans;
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;

use super::{open, open_for_notes};

#[derive(Template, WebTemplate)]
#[template(path = "plans/show.html")]
pub struct PlanPage {
    ctx: PageContext,
    item: ItemRow,
    flag: Option<Flag>,
    notes: Vec<NoteRow>,
    /// Whether the user may record progress.
    can_note: bool,
    /// The states the progress form offers to move to (the current one left out).
    moves: Vec<ItemState>,
    /// Whether the user may cancel it (the committee, while it is not cancelled).
    can_cancel: bool,
    can_edit: bool,
    today: NaiveDate,
}

/// The states `item` may move to from the progress form: any but its own and 已取消 (which
/// has its own form); from 已取消, the committee's only.
fn moves(item: &ItemRow, committee: bool) -> Vec<ItemState> {
    ItemState::ALL
        .into_iter()
        .filter(|s| *s != item.state && *s != ItemState::Cancelled)
        .filter(|s| committee || item.state.secretary_may_move_to(*s))
        .collect()
}

pub async fn show_plan(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    PathOr404(id): PathOr404<WorkPlanItemId>,
) -> Result<PlanPage> {
    let item = open(&state, &user, id).await?;
    let today = state.clock.today();
    let writer = user.scope_for::<Reporter>();
    let can_note = writer != Scope::Nothing
        && db::work_plan::get(&state.db, id, (&writer, user.account_id))
            .await?
            .is_some();
    let committee = user.has(Role::Committee);
    Ok(PlanPage {
        flag: flag(item.state, item.due_on, today),
        notes: db::work_plan::notes(&state.db, id).await?,
        moves: if can_note {
            moves(&item, committee)
        } else {
            Vec::new()
        },
        can_cancel: committee && item.state != ItemState::Cancelled,
        can_edit: committee,
        can_note,
        item,
        today,
        ctx,
    })
}

pub async fn add_note(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<WorkPlanItemId>,
    Form(form): Form<NoteFields>,
) -> Result<Response> {
    let (item, committee) = open_for_notes(&state, &user, id).await?;
    let back = format!("/plans/{id}");
    let note = match NoteInput::parse(&form, state.clock.today()) {
        Ok(note) => note,
        Err(errors) => {
            return Ok(flash::error(
                &state.settings,
                &back,
                &errors.messages().join("；"),
            ));
        }
    };
    let done = work_plans::add_note(
        &state.db,
        &user.actor(&address),
        (&item, committee),
        &note,
        state.clock.now(),
    )
    .await;
    let said = match note.state.filter(|s| *s != item.state) {
        Some(to) => format!("已记录进展，状态改为“{}”。", to.label()),
        None => "已记录进展。".to_string(),
    };
    flash::outcome(&state.settings, &back, done, &said)
}

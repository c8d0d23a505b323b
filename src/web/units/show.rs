//! A unit's page: its figures per survey round, its organisation and applications, the
//! contact phone as the reader may see it. Another unit's id is 404 for a secretary.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use crate::auth::extract::{Business, Require};
use crate::db;
use crate::db::application::ApplicationRow;
use crate::db::organization::OrganizationRow;
use crate::db::unit::{HistoryRow, Unit};
use crate::domain::disclosure::{Field, Reader, Shown, shown};
use crate::domain::ids::UnitId;
use crate::domain::phone::Phone;
use crate::domain::role::Role;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::layout::PageContext;

#[derive(Template, WebTemplate)]
#[template(path = "units/show.html")]
pub struct UnitPage {
    ctx: PageContext,
    unit: Unit,
    phone: String,
    history: Vec<HistoryRow>,
    organization: Option<OrganizationRow>,
    applications: Vec<ApplicationRow>,
    can_edit: bool,
    can_report: bool,
    /// The unit's secretary may start a formation application.
    can_apply: bool,
}

/// The unit's contact phone as `domain::disclosure` lets `user` see it: whole for the
/// committee and the unit's own secretary, masked for everyone else.
fn phone_for(user: &crate::auth::CurrentUser, unit: &Unit) -> String {
    let Some(raw) = unit.contact_phone.as_deref() else {
        return "—".into();
    };
    contact_phone(user.reader(user.secretary_of(unit.unit_id)), raw)
}

/// A stored contact phone as `reader` sees it.
pub fn contact_phone(reader: Reader, raw: &str) -> String {
    match shown(reader, Field::ContactPhone, true) {
        Shown::Whole => raw.to_string(),
        Shown::OnRequest | Shown::Masked => Phone::mask_text(raw),
    }
}

pub async fn show_unit(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    PathOr404(id): PathOr404<UnitId>,
) -> Result<UnitPage> {
    let unit = db::unit::get(&state.db, id, &user.scope)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = state.clock.today();
    let own = user.secretary_of(unit.unit_id);
    let open_round = db::survey::open_for_reporting(&state.db, today).await?;
    let organization = db::organization::for_unit(&state.db, unit.unit_id).await?;
    let applications = db::application::for_unit(&state.db, unit.unit_id).await?;
    let open_application = applications.iter().any(|a| !a.state.is_finished());
    Ok(UnitPage {
        can_apply: own && organization.is_none() && !open_application && unit.closed_on.is_none(),
        phone: phone_for(&user, &unit),
        history: db::unit::history(&state.db, unit.unit_id).await?,
        organization,
        applications,
        can_edit: user.has(Role::Committee) && unit.closed_on.is_none(),
        can_report: own && open_round.is_some() && unit.closed_on.is_none(),
        unit,
        ctx,
    })
}

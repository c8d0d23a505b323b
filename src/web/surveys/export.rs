//! A round as the office workbook (摸排统计表), in the layout the import reads.

use axum::extract::State;
use axum::response::Response;

use crate::auth::extract::{ClientAddr, Require, Staff};
use crate::db::{self, audit::Event};
use crate::domain::audit::Action as AuditAction;
use crate::error::Result;
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::respond::{XLSX, download};

use super::load_round;
use crate::domain::ids::SurveyId;

pub async fn export_round(
    State(state): State<AppState>,
    Require(user, ..): Require<Staff>,
    address: ClientAddr,
    PathOr404(id): PathOr404<SurveyId>,
) -> Result<Response> {
    let round = load_round(&state, id).await?;
    // Contact phones as `domain::disclosure` lets this reader see them (a leader: masked).
    let rows: Vec<_> = db::survey::export_rows(&state.db, round.survey_id)
        .await?
        .into_iter()
        .map(|(unit, mut row)| {
            let reader = user.reader(user.secretary_of(unit));
            row.phone = row
                .phone
                .map(|raw| crate::web::units::contact_phone(reader, &raw));
            row
        })
        .collect();
    let (title, as_of) = (round.title.clone(), round.as_of);
    let bytes = tokio::task::spawn_blocking(move || {
        crate::export::survey::workbook(&title, "开发区团工委", as_of, &rows)
    })
    .await
    .map_err(|e| anyhow::anyhow!("export task: {e}"))?
    .map_err(|e| anyhow::anyhow!("writing the workbook: {e}"))?;
    db::audit::record(
        &state.db,
        state.clock.now(),
        &user.actor(&address),
        Event::new(AuditAction::SurveyExported, "survey", round.survey_id),
    )
    .await?;
    let name = format!("摸排统计表-截止{}.xlsx", round.as_of);
    let fallback = format!("survey-{}.xlsx", round.as_of);
    Ok(download(&name, &fallback, XLSX, bytes))
}

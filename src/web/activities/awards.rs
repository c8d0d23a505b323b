//! A contest's awards, on its results page, for the activity's writers: one entry's award
//! by hand, every entry's by rank (the helper), and 优秀组织奖 for units.

use axum::extract::{Form, State};
use axum::response::Response;
use serde::Deserialize;

use crate::auth::extract::{ClientAddr, Reporter, Require};
use crate::domain::contest::AwardCounts;
use crate::domain::ids::{ActivityId, UnitId};
use crate::error::Result;
use crate::services::contests;
use crate::state::AppState;
use crate::web::PathOr404;

use super::entries::{answered, open_contest};

#[derive(Deserialize)]
pub struct AwardForm {
    #[serde(default)]
    award: String,
}

pub async fn set_award(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404((id, entry)): PathOr404<(ActivityId, i64)>,
    Form(form): Form<AwardForm>,
) -> Result<Response> {
    let activity = open_contest(&state, &user, id).await?;
    let actor = user.actor(&address);
    let done = contests::set_award(
        &state.db,
        &actor,
        &activity,
        entry,
        &form.award,
        state.clock.now(),
    )
    .await;
    answered(&state, id, done, |award| match award {
        Some(award) => format!("已评为{}。", award.label()),
        None => "已取消该作品的奖项。".into(),
    })
}

#[derive(Deserialize)]
pub struct ByRankForm {
    #[serde(default)]
    first: String,
    #[serde(default)]
    second: String,
    #[serde(default)]
    third: String,
    #[serde(default)]
    excellent: String,
}

/// A count as typed: empty is 0, anything not a whole number is -1 (refused by the service).
fn count(text: &str) -> i32 {
    let text = crate::domain::normalize_width(text.trim());
    if text.is_empty() {
        return 0;
    }
    text.parse().unwrap_or(-1)
}

pub async fn award_by_rank(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<ActivityId>,
    Form(form): Form<ByRankForm>,
) -> Result<Response> {
    let activity = open_contest(&state, &user, id).await?;
    let counts = AwardCounts {
        first: count(&form.first),
        second: count(&form.second),
        third: count(&form.third),
        excellent: count(&form.excellent),
    };
    let actor = user.actor(&address);
    let done =
        contests::award_by_rank(&state.db, &actor, &activity, counts, state.clock.now()).await;
    answered(&state, id, done, |changed| {
        format!("已按名次评定奖项（{changed}个作品的奖项有变化）。")
    })
}

#[derive(Deserialize)]
pub struct OrganizingForm {
    #[serde(default)]
    unit: String,
}

pub async fn add_organizing(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<ActivityId>,
    Form(form): Form<OrganizingForm>,
) -> Result<Response> {
    let activity = open_contest(&state, &user, id).await?;
    let actor = user.actor(&address);
    let done =
        contests::add_organizing(&state.db, &actor, &activity, &form.unit, state.clock.now()).await;
    answered(&state, id, done, |name| format!("“{name}”获优秀组织奖。"))
}

pub async fn remove_organizing(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404((id, unit)): PathOr404<(ActivityId, UnitId)>,
) -> Result<Response> {
    let activity = open_contest(&state, &user, id).await?;
    let actor = user.actor(&address);
    let done =
        contests::remove_organizing(&state.db, &actor, &activity, unit, state.clock.now()).await;
    answered(&state, id, done, |()| "已取消该单位的优秀组织奖。".into())
}

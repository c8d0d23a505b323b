//! The demo's 2018 cadre assessment, entered through the services the committee's forms
//! call: the year's default components and weights, then a result for each demo cadre
//! (the committee's staff member and the two secretaries). With three results the 20 %
//! cap allows no 优秀, as the table explains.

use crate::domain::assessment::{EntryInput, Weights};
use crate::domain::ids::AccountId;
use crate::services::assessments;
use crate::state::AppState;

pub const YEAR: i32 = 2018;

/// (account, scores in tenths for 德、能、勤、绩、廉).
const RESULTS: [(&str, [i32; 5]); 3] = [
    ("committee", [920, 880, 900, 860, 950]),
    ("secretary", [850, 820, 900, 800, 900]),
    ("secretary2", [780, 700, 750, 680, 850]),
];

/// Enters the 2018 results once.
pub async fn load(state: &AppState) -> anyhow::Result<()> {
    if crate::db::assessment::counts(&state.db, YEAR).await?.0 > 0 {
        return Ok(());
    }
    let actor = super::actor();
    let now = state.clock.now();
    assessments::set_weights(&state.db, &actor, YEAR, &Weights::default(), now)
        .await
        .map_err(|e| anyhow::anyhow!("the demo's {YEAR} weights: {e}"))?;
    for (username, scores) in RESULTS {
        let Some(account): Option<AccountId> =
            sqlx::query_scalar("select account_id from account where username = $1")
                .bind(username)
                .fetch_optional(&state.db)
                .await?
        else {
            continue;
        };
        let entry = EntryInput {
            scores: scores.to_vec(),
            grade: None,
            reason: String::new(),
        };
        assessments::record(&state.db, &actor, (YEAR, account), &entry, now)
            .await
            .map_err(|e| anyhow::anyhow!("the demo's assessment of {username}: {e}"))?;
    }
    Ok(())
}

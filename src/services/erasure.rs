//! Erasure after the retention period (PIPL art. 19 and 47, issue 18 item 7): the hourly
//! pass erases the resident ID and phone of every member who left (离团, 超龄离团,
//! transferred out of the zone) longer ago than the retention period. Batch by batch, each
//! one transaction with one audit event per member, so that an interrupted pass leaves
//! every member either erased and audited or untouched, and the next pass goes on.
//!
//! Kept: name, sex, ethnicity, birth date, joining month, organisation, state and history;
//! the anonymous counts (by state, age band and sex) read them and stay as they were. The
//! audit events name the member's record and the fields erased, never a value.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;

use crate::db::{self, audit::Event};
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::retention::Retention;
use crate::services::Outcome;

/// Members erased in one transaction: enough to make progress at province scale, few
/// enough that a batch's locks and audit rows stay short.
const BATCH: i64 = 500;

/// Erases every leaver whose retention period has ended at `now`; answers how many.
/// Running it again at once erases none: a member is erased and audited once.
pub async fn erase_due(
    db: &PgPool,
    actor: &Actor,
    retention: Retention,
    now: DateTime<Utc>,
) -> Outcome<u64> {
    let left_by = retention.left_by(now);
    let mut total = 0;
    let mut after = None;
    loop {
        let mut tx = db.begin().await?;
        let erased = db::member::erase_due(&mut tx, left_by, now, (after, BATCH)).await?;
        for member in &erased {
            db::audit::record(
                &mut *tx,
                now,
                actor,
                Event::new(AuditAction::MemberPersonalDataErased, "member", member).after(json!({
                    "erased": ["resident_id", "phone"],
                    "retention_years": retention.years(),
                })),
            )
            .await?;
        }
        tx.commit().await?;
        total += erased.len() as u64;
        if (erased.len() as i64) < BATCH {
            return Ok(total);
        }
        after = erased.last().copied();
    }
}

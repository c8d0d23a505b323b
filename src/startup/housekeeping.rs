//! The server's hourly pass, one function so that tests run exactly what the server runs:
//! expired sessions and old sign-in and check-in attempts purged, rounds whose window has closed locked,
//! the formation-deadline notices for secretaries (at most one per deadline), the 换届
//! notices 90 and 30 days before a term ends (once each), and the work-plan notices to the
//! owners of items due within 30 days and of overdue ones (once per item and condition),
//! and the resident IDs and phones of members who left longer ago than the retention
//! period erased (once per member, `services::erasure`).
//! Hourly rather than daily, so each follows the zone's midnight within the hour; each is
//! recorded, so reruns and restarts do nothing twice. A failing step is logged and the
//! others still run.

use crate::domain::actor::Actor;
use crate::state::AppState;

/// What one pass did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pass {
    /// Rounds locked because their reporting window closed.
    pub rounds_locked: usize,
    /// Formation-deadline notices sent.
    pub deadline_notices: u64,
    /// 换届 notices sent.
    pub term_notices: u64,
    /// Work-plan notices sent (items due soon or overdue).
    pub plan_notices: u64,
    /// Members whose resident ID and phone were erased after the retention period.
    pub personal_data_erased: u64,
}

/// The actor of what the pass does, in the audit log.
pub fn actor() -> Actor {
    Actor::system("(hourly)", "local")
}

/// Runs the pass once at the clock's present time.
pub async fn run(state: &AppState) -> Pass {
    let mut pass = Pass::default();
    let now = state.clock.now();
    let today = state.clock.today();
    match crate::auth::session::purge_expired(&state.db, now).await {
        Ok(purged) => tracing::info!(?purged, "expired sessions and sign-in attempts purged"),
        Err(e) => tracing::warn!(error = %e, "purging expired sessions"),
    }
    let before = now - crate::auth::session::ATTEMPTS_KEPT;
    match crate::db::checkin::delete_attempts_before(&state.db, before).await {
        Ok(purged) => tracing::info!(purged, "old check-in forms purged"),
        Err(e) => tracing::warn!(error = %e, "purging old check-in forms"),
    }
    match crate::services::rounds::lock_closed(&state.db, &actor(), &state.clock).await {
        Ok(locked) => {
            if !locked.is_empty() {
                tracing::info!(?locked, "rounds locked after their window closed");
            }
            pass.rounds_locked = locked.len();
        }
        Err(e) => tracing::warn!(error = %e, "locking closed rounds"),
    }
    match crate::db::formation::deadline_notices(&state.db, today, now).await {
        Ok(n) => {
            if n > 0 {
                tracing::info!(notices = n, "formation deadline notices sent");
            }
            pass.deadline_notices = n;
        }
        Err(e) => tracing::warn!(error = %e, "formation deadline notices"),
    }
    match crate::services::reminders::notify_terms_ending(&state.db, today, now).await {
        Ok(r) => {
            if r.units > 0 {
                tracing::info!(
                    organizations = r.units,
                    notices = r.notices,
                    "term notices sent"
                );
            }
            pass.term_notices = r.notices;
        }
        Err(e) => tracing::warn!(error = %e, "term notices"),
    }
    match crate::services::work_plans::notify_due(&state.db, &actor(), today, now).await {
        Ok(n) => {
            if n > 0 {
                tracing::info!(notices = n, "work-plan notices sent");
            }
            pass.plan_notices = n;
        }
        Err(e) => tracing::warn!(error = %e, "work-plan notices"),
    }
    let retention = state.settings.retention;
    match crate::services::erasure::erase_due(&state.db, &actor(), retention, now).await {
        Ok(n) => {
            if n > 0 {
                tracing::info!(
                    members = n,
                    years = retention.years(),
                    "personal data erased after the retention period"
                );
            }
            pass.personal_data_erased = n;
        }
        Err(e) => tracing::warn!(error = %e, "erasing personal data after the retention period"),
    }
    pass
}

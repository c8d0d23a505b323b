//! Signing in and out and changing one's password: the rate limit, the lockout, the
//! session renewal and the audit events, in one place for the pages and the tests.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use crate::auth::extract::{ClientAddr, CurrentUser};
use crate::auth::password;
use crate::auth::second_factor::open_session;
use crate::auth::session::token_hash;
use crate::db::{self, audit::Actor, audit::Event};
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::AccountId;
use crate::domain::username::Username;
use crate::error::Result;
use crate::state::AppState;

/// Consecutive failures that lock an account, and for how long.
pub const LOCK_THRESHOLD: i32 = 5;
pub const LOCK_DURATION: Duration = Duration::minutes(15);
/// Sign-in attempts allowed from one address per window.
pub const RATE_LIMIT: i64 = 20;
pub const RATE_WINDOW: Duration = Duration::minutes(1);

pub enum Outcome {
    /// Signed in: the new session's token for the cookie, and whether an administrator
    /// set the password, which must then be changed before anything else.
    Success {
        token: String,
        must_change_password: bool,
    },
    /// The right password of an account with a second factor: a session that waits for
    /// the code (and reaches nothing else).
    CodeNeeded {
        token: String,
    },
    /// The right password for an account that is locked: only its owner learns that it is
    /// locked and until when.
    Locked {
        until: DateTime<Utc>,
    },
    /// Wrong name or password, locked (to whoever does not know the password) or disabled:
    /// one answer for all, so that it says nothing about whether the user exists.
    Failed,
    RateLimited,
}

pub struct Attempt<'a> {
    pub username: &'a str,
    pub password: String,
    pub address: &'a ClientAddr,
    pub user_agent: &'a str,
    /// The token of a session the browser already had, ended now.
    pub previous_token: Option<&'a str>,
}

/// A failed sign-in step, recorded in `tx`: the attempt (towards the address's rate
/// limit), a `login.failure` audit event with its reason, and, when `counts` (a wrong
/// password or code), one more failure towards the account's lock (LOCK_THRESHOLD in a
/// row lock it for LOCK_DURATION, audited). Returns the lock's end when this one locked it.
pub(crate) async fn record_failure(
    tx: &mut sqlx::PgConnection,
    actor: &Actor,
    id: AccountId,
    reason: &str,
    counts: bool,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    db::login_attempt::record(&mut *tx, &actor.address, now, false).await?;
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::LoginFailure, "account", id).after(json!({ "reason": reason })),
    )
    .await?;
    if !counts {
        return Ok(None);
    }
    let until = now + LOCK_DURATION;
    if !db::account::record_failure(tx, id, LOCK_THRESHOLD, until).await? {
        return Ok(None);
    }
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::AccountLocked, "account", id)
            .after(json!({ "locked_until": until })),
    )
    .await?;
    Ok(Some(until))
}

pub async fn sign_in(state: &AppState, attempt: Attempt<'_>) -> Result<Outcome> {
    let now = state.clock.now();
    let address = attempt.address.0.as_str();
    let typed = attempt.username.trim().chars().take(64).collect::<String>();
    let mut actor = Actor::system(&typed, address);

    let recent = db::login_attempt::failures_since(&state.db, address, now - RATE_WINDOW).await?;
    if recent >= RATE_LIMIT {
        let mut tx = state.db.begin().await?;
        db::login_attempt::record(&mut *tx, address, now, false).await?;
        db::audit::record(
            &mut *tx,
            now,
            &actor,
            Event::new(AuditAction::LoginRateLimited, "account", &typed),
        )
        .await?;
        tx.commit().await?;
        return Ok(Outcome::RateLimited);
    }

    let record = match Username::parse(&typed) {
        Ok(name) => db::account::find_for_login(&state.db, name.as_str()).await?,
        Err(_) => None,
    };
    let password_ok = password::verify(
        record.as_ref().map(|r| r.password_hash.clone()),
        attempt.password,
    )
    .await;

    let mut tx = state.db.begin().await?;
    let Some(record) = record else {
        db::login_attempt::record(&mut *tx, address, now, false).await?;
        db::audit::record(
            &mut *tx,
            now,
            &actor,
            Event::new(AuditAction::LoginFailure, "account", "")
                .after(json!({"reason": "unknown user"})),
        )
        .await?;
        tx.commit().await?;
        return Ok(Outcome::Failed);
    };
    actor.account_id = Some(record.account_id);
    actor.username = record.username.clone();
    let id = record.account_id;

    let locked_until = record.locked_until.filter(|until| *until > now);
    let refusal = if locked_until.is_some() {
        Some("locked")
    } else if record.disabled {
        Some("disabled")
    } else if !password_ok {
        Some("wrong password")
    } else {
        None
    };
    if let Some(reason) = refusal {
        let counts = reason == "wrong password";
        record_failure(&mut tx, &actor, id, reason, counts, now).await?;
        tx.commit().await?;
        return Ok(match locked_until {
            Some(until) if password_ok && !record.disabled => Outcome::Locked { until },
            _ => Outcome::Failed,
        });
    }

    if let Some(previous) = attempt.previous_token {
        db::session::delete(&mut *tx, &token_hash(previous)).await?;
    }
    let user_agent = attempt.user_agent;
    if record.second_factor_enrolled {
        // Neither a success nor a failure yet: the failures before it still count
        // towards the lock until the code is right.
        let session = open_session(&mut tx, id, now, address, user_agent, true).await?;
        tx.commit().await?;
        return Ok(Outcome::CodeNeeded {
            token: session.token,
        });
    }
    db::account::record_success(&mut tx, id).await?;
    let token = open_session(&mut tx, id, now, address, user_agent, false)
        .await?
        .token;
    db::login_attempt::record(&mut *tx, address, now, true).await?;
    db::audit::record(
        &mut *tx,
        now,
        &actor,
        Event::new(AuditAction::LoginSuccess, "account", id),
    )
    .await?;
    tx.commit().await?;
    Ok(Outcome::Success {
        token,
        must_change_password: record.must_change_password,
    })
}

pub async fn sign_out(state: &AppState, user: &CurrentUser, address: &ClientAddr) -> Result<()> {
    let mut tx = state.db.begin().await?;
    db::session::delete(&mut *tx, &user.session_hash).await?;
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &user.actor(address),
        Event::new(AuditAction::Logout, "account", user.account_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub enum PasswordChange {
    /// Changed: every session ended, this new one replaces the current.
    Changed {
        token: String,
    },
    WrongCurrent,
    Refused(&'static str),
}

/// Changes the user's own password after checking the current one; ends all of the
/// account's sessions and opens a fresh one for this browser.
pub async fn change_password(
    state: &AppState,
    user: &CurrentUser,
    address: &ClientAddr,
    current: String,
    new: String,
    user_agent: &str,
) -> Result<PasswordChange> {
    if let Err(message) = password::check_policy(&new, &user.username) {
        return Ok(PasswordChange::Refused(message));
    }
    if current == new {
        return Ok(PasswordChange::Refused("新密码不能与当前密码相同"));
    }
    let stored = db::account::password_hash(&state.db, user.account_id).await?;
    if !password::verify(Some(stored), current).await {
        return Ok(PasswordChange::WrongCurrent);
    }
    let hash = password::hash(new).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    db::account::set_password(
        &mut tx,
        user.account_id,
        &hash,
        now,
        db::account::SetBy::Owner,
    )
    .await?;
    let ended = db::session::delete_for_account(&mut *tx, user.account_id).await?;
    let token = open_session(&mut tx, user.account_id, now, &address.0, user_agent, false)
        .await?
        .token;
    db::audit::record(
        &mut *tx,
        now,
        &user.actor(address),
        Event::new(
            AuditAction::AccountPasswordChanged,
            "account",
            user.account_id,
        )
        .after(json!({ "sessions_ended": ended })),
    )
    .await?;
    tx.commit().await?;
    Ok(PasswordChange::Changed { token })
}

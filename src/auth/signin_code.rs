//! The code after the password: a six-digit code or a recovery code completes the sign-in
//! of a session that waits for it and renews the session; a wrong or replayed one counts
//! with the password's failures towards the lock.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::auth::extract::{ClientAddr, CurrentUser};
use crate::auth::recovery;
use crate::auth::second_factor::{decrypt, open_session};
use crate::auth::signin::{RATE_LIMIT, RATE_WINDOW, record_failure};
use crate::auth::totp::{self, CodeCheck, Entered};
use crate::db::{self, audit::Event};
use crate::domain::audit::Action as AuditAction;
use crate::error::{AppError, Result};
use crate::state::AppState;

pub enum CodeOutcome {
    /// Signed in: the session was renewed.
    SignedIn {
        token: String,
    },
    /// Not a code at all: nothing written, nothing counted.
    Refused(&'static str),
    /// A wrong or replayed code, counted as a failed sign-in.
    Wrong(&'static str),
    /// This failure (or an earlier one) locked the account; the session is ended.
    Locked {
        until: DateTime<Utc>,
    },
    RateLimited,
}

pub const WRONG_CODE_MESSAGE: &str =
    "验证码不正确。连续失败5次（含密码错误）后账户将被锁定15分钟。";
pub(crate) const REPLAYED_MESSAGE: &str = "该验证码已使用过，请等认证器显示下一个验证码后再输入。";
const WRONG_RECOVERY_MESSAGE: &str = "恢复码不正确或已使用过。每个恢复码只能使用一次。";

/// The code (or a recovery code) after the password, for a session waiting for it.
pub async fn complete_sign_in(
    state: &AppState,
    user: &CurrentUser,
    address: &ClientAddr,
    user_agent: &str,
    typed: &str,
) -> Result<CodeOutcome> {
    let entered = match totp::parse_entry(typed) {
        Ok(entered) => entered,
        Err(message) => return Ok(CodeOutcome::Refused(message)),
    };
    let now = state.clock.now();
    let id = user.account_id;
    let actor = user.actor(address);
    let recent =
        db::login_attempt::failures_since(&state.db, &address.0, now - RATE_WINDOW).await?;
    if recent >= RATE_LIMIT {
        let mut tx = state.db.begin().await?;
        db::login_attempt::record(&mut *tx, &address.0, now, false).await?;
        db::audit::record(
            &mut *tx,
            now,
            &actor,
            Event::new(AuditAction::LoginRateLimited, "account", id),
        )
        .await?;
        tx.commit().await?;
        return Ok(CodeOutcome::RateLimited);
    }
    let account = db::account::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let stored = db::second_factor::get(&state.db, id).await?;
    let mut tx = state.db.begin().await?;
    if let Some(until) = account.locked_until.filter(|until| *until > now) {
        db::session::delete(&mut *tx, &user.session_hash).await?;
        tx.commit().await?;
        return Ok(CodeOutcome::Locked { until });
    }
    let secret = decrypt(state, &stored)?.filter(|_| stored.enrolled());
    let verdict: std::result::Result<&'static str, (&'static str, &'static str)> =
        match (&entered, secret) {
            (_, None) => Err(("not enrolled", WRONG_CODE_MESSAGE)),
            (Entered::Code(code), Some(secret)) => {
                match totp::check(&secret, code, now, stored.last_step) {
                    CodeCheck::Accepted { step } => {
                        if db::second_factor::use_step(&mut tx, id, step).await? {
                            Ok("totp")
                        } else {
                            Err(("replayed code", REPLAYED_MESSAGE))
                        }
                    }
                    CodeCheck::Replayed => Err(("replayed code", REPLAYED_MESSAGE)),
                    CodeCheck::Wrong => Err(("wrong code", WRONG_CODE_MESSAGE)),
                }
            }
            (Entered::Recovery(code), Some(_)) => {
                let hash = recovery::hash(code);
                if db::second_factor::use_recovery_code(&mut tx, id, &hash, now).await? {
                    Ok("recovery_code")
                } else {
                    Err(("wrong recovery code", WRONG_RECOVERY_MESSAGE))
                }
            }
        };
    let method = match verdict {
        Ok(method) => method,
        Err((reason, message)) => {
            let locked = record_failure(&mut tx, &actor, id, reason, true, now).await?;
            if locked.is_some() {
                db::session::delete(&mut *tx, &user.session_hash).await?;
            }
            tx.commit().await?;
            return Ok(match locked {
                Some(until) => CodeOutcome::Locked { until },
                None => CodeOutcome::Wrong(message),
            });
        }
    };
    db::session::delete(&mut *tx, &user.session_hash).await?;
    let session = open_session(&mut tx, id, now, &address.0, user_agent, false).await?;
    db::account::record_success(&mut tx, id).await?;
    db::login_attempt::record(&mut *tx, &address.0, now, true).await?;
    db::audit::record(
        &mut *tx,
        now,
        &actor,
        Event::new(AuditAction::LoginSuccess, "account", id)
            .after(json!({ "second_factor": method })),
    )
    .await?;
    if method == "recovery_code" {
        let left = db::second_factor::recovery_codes_left(&mut *tx, id).await?;
        db::audit::record(
            &mut *tx,
            now,
            &actor,
            Event::new(AuditAction::AccountRecoveryCodeUsed, "account", id)
                .after(json!({ "recovery_codes_left": left })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(CodeOutcome::SignedIn {
        token: session.token,
    })
}

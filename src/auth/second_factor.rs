//! The second factor's steps, with their audit events: enrolment, new recovery codes,
//! turning it off, and an administrator's reset (the code after the password is in
//! `signin_code`).
//!
//! The TOTP secret is stored encrypted with the personal-data keys and shown only while the
//! enrolment is not confirmed.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgConnection;

use crate::auth::extract::{ClientAddr, CurrentUser};
use crate::auth::session::{random_token, token_hash};
use crate::auth::signin_code::REPLAYED_MESSAGE;
use crate::auth::totp::{self, CodeCheck};
use crate::auth::{password, recovery};
use crate::db::{self, audit::Event};
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::AccountId;
use crate::error::{AppError, Result};
use crate::state::AppState;

/// A fresh session's cookie token and CSRF token.
pub struct Opened {
    pub token: String,
    pub csrf_token: String,
}

/// Opens a session for the account (fully signed in unless `pending`).
pub async fn open_session(
    tx: &mut PgConnection,
    account_id: AccountId,
    now: DateTime<Utc>,
    address: &str,
    user_agent: &str,
    pending: bool,
) -> Result<Opened> {
    let opened = Opened {
        token: random_token(),
        csrf_token: random_token(),
    };
    db::session::create(
        &mut *tx,
        db::session::NewSession {
            session_hash: &token_hash(&opened.token),
            account_id,
            csrf_token: &opened.csrf_token,
            now,
            address,
            user_agent: &user_agent.chars().take(200).collect::<String>(),
            second_factor_pending: pending,
        },
    )
    .await?;
    Ok(opened)
}

pub(crate) fn decrypt(
    state: &AppState,
    stored: &db::second_factor::SecondFactor,
) -> Result<Option<Vec<u8>>> {
    let (Some(cipher), Some(version)) = (&stored.secret_cipher, stored.secret_version) else {
        return Ok(None);
    };
    let text = state
        .keys
        .decrypt(version, cipher)
        .map_err(|e| AppError::Internal(e.into()))?;
    let secret = totp::secret_from_base32(&text)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a stored TOTP secret is not base32")))?;
    Ok(Some(secret))
}

/// A new secret for the user to enrol, and the same sealed (encrypted with the
/// personal-data keys, bound to the account) for the enrolment form to carry back: nothing
/// is stored before a code confirms it, and no one can choose the secret.
pub fn new_enrolment(state: &AppState, user: &CurrentUser) -> (Vec<u8>, String) {
    let secret = totp::new_secret();
    let sealed = seal(state, user.account_id, &secret);
    (secret, sealed)
}

fn seal(state: &AppState, id: AccountId, secret: &[u8]) -> String {
    let (version, cipher) = state
        .keys
        .encrypt(&format!("{id}:{}", totp::secret_base32(secret)));
    format!("{version}.{}", URL_SAFE_NO_PAD.encode(cipher))
}

/// The secret a sealed enrolment form carries, if it was sealed for this account.
pub fn open_enrolment(state: &AppState, user: &CurrentUser, sealed: &str) -> Option<Vec<u8>> {
    let (version, cipher) = sealed.split_once('.')?;
    let cipher = URL_SAFE_NO_PAD.decode(cipher).ok()?;
    let text = state.keys.decrypt(version.parse().ok()?, &cipher).ok()?;
    let (id, secret) = text.split_once(':')?;
    (id == user.account_id.to_string())
        .then(|| totp::secret_from_base32(secret))
        .flatten()
}

/// Ten new recovery codes, stored hashed, to show once.
async fn new_recovery_codes(tx: &mut PgConnection, id: AccountId) -> Result<Vec<String>> {
    let codes: Vec<String> = (0..recovery::COUNT).map(|_| recovery::generate()).collect();
    let hashes: Vec<String> = codes.iter().map(|c| recovery::hash(c)).collect();
    db::second_factor::replace_recovery_codes(tx, id, &hashes).await?;
    Ok(codes)
}

pub enum Enrolment {
    /// Enrolled: every other session ended and this fresh one replaces the current; the
    /// recovery codes are shown now and never again.
    Enrolled {
        session: Opened,
        recovery_codes: Vec<String>,
    },
    Refused(&'static str),
}

pub async fn confirm_enrolment(
    state: &AppState,
    user: &CurrentUser,
    address: &ClientAddr,
    user_agent: &str,
    secret: &[u8],
    typed: &str,
) -> Result<Enrolment> {
    let code = match totp::parse_code(typed) {
        Ok(code) => code,
        Err(message) => return Ok(Enrolment::Refused(message)),
    };
    let now = state.clock.now();
    let CodeCheck::Accepted { step } = totp::check(secret, &code, now, None) else {
        return Ok(Enrolment::Refused(
            "验证码不正确。请确认已扫描本页的二维码，且手机时间准确",
        ));
    };
    let (version, cipher) = state.keys.encrypt(&totp::secret_base32(secret));
    let mut tx = state.db.begin().await?;
    if !db::second_factor::enrol(&mut tx, user.account_id, version, &cipher, now, step).await? {
        return Ok(Enrolment::Refused("两步验证已经启用"));
    }
    let recovery_codes = new_recovery_codes(&mut tx, user.account_id).await?;
    let ended = db::session::delete_for_account(&mut *tx, user.account_id).await?;
    let session =
        open_session(&mut tx, user.account_id, now, &address.0, user_agent, false).await?;
    db::audit::record(
        &mut *tx,
        now,
        &user.actor(address),
        Event::new(
            AuditAction::AccountSecondFactorEnrolled,
            "account",
            user.account_id,
        )
        .after(json!({ "recovery_codes": recovery::COUNT, "sessions_ended": ended })),
    )
    .await?;
    tx.commit().await?;
    Ok(Enrolment::Enrolled {
        session,
        recovery_codes,
    })
}

/// New recovery codes, the old ones void, after a current code.
pub async fn regenerate_recovery_codes(
    state: &AppState,
    user: &CurrentUser,
    address: &ClientAddr,
    typed: &str,
) -> Result<std::result::Result<Vec<String>, &'static str>> {
    let code = match totp::parse_code(typed) {
        Ok(code) => code,
        Err(message) => return Ok(Err(message)),
    };
    let stored = db::second_factor::get(&state.db, user.account_id).await?;
    let Some(secret) = decrypt(state, &stored)?.filter(|_| stored.enrolled()) else {
        return Ok(Err("尚未启用两步验证"));
    };
    let now = state.clock.now();
    let step = match totp::check(&secret, &code, now, stored.last_step) {
        CodeCheck::Accepted { step } => step,
        CodeCheck::Replayed => return Ok(Err(REPLAYED_MESSAGE)),
        CodeCheck::Wrong => return Ok(Err("验证码不正确")),
    };
    let mut tx = state.db.begin().await?;
    if !db::second_factor::use_step(&mut tx, user.account_id, step).await? {
        return Ok(Err(REPLAYED_MESSAGE));
    }
    let codes = new_recovery_codes(&mut tx, user.account_id).await?;
    db::audit::record(
        &mut *tx,
        now,
        &user.actor(address),
        Event::new(
            AuditAction::AccountRecoveryCodesRegenerated,
            "account",
            user.account_id,
        )
        .after(json!({ "recovery_codes": recovery::COUNT })),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(codes))
}

/// Turns the user's own second factor off, after their password.
pub async fn disable(
    state: &AppState,
    user: &CurrentUser,
    address: &ClientAddr,
    password_typed: String,
) -> Result<std::result::Result<(), &'static str>> {
    if password_typed.is_empty() {
        return Ok(Err("请输入当前密码"));
    }
    let stored = db::account::password_hash(&state.db, user.account_id).await?;
    if !password::verify(Some(stored), password_typed).await {
        return Ok(Err("当前密码不正确"));
    }
    let mut tx = state.db.begin().await?;
    if !db::second_factor::clear(&mut tx, user.account_id).await? {
        return Ok(Err("尚未启用两步验证"));
    }
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &user.actor(address),
        Event::new(
            AuditAction::AccountSecondFactorDisabled,
            "account",
            user.account_id,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// An administrator removes a person's second factor (a lost phone and no recovery code
/// left) and ends their sessions; false when there was none.
pub async fn reset(
    state: &AppState,
    admin: &CurrentUser,
    address: &ClientAddr,
    id: AccountId,
) -> Result<bool> {
    let mut tx = state.db.begin().await?;
    if !db::second_factor::clear(&mut tx, id).await? {
        return Ok(false);
    }
    let ended = db::session::delete_for_account(&mut *tx, id).await?;
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &admin.actor(address),
        Event::new(AuditAction::AccountSecondFactorReset, "account", id)
            .after(json!({ "sessions_ended": ended })),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

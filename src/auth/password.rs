//! Argon2id hashing (19 MiB, 2 passes, 1 lane) off the async runtime, and the password policy.

use std::collections::HashSet;
use std::sync::LazyLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

pub const MIN_LENGTH: usize = 12;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes on a blocking thread: a hash takes tens of milliseconds of CPU.
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
    })
    .await?
}

/// A hash of a random password, checked when the username is unknown so that the
/// answer takes as long as for a real account.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(b"no account has this password", &salt)
        .expect("hashing the dummy password")
        .to_string()
});

/// Verifies on a blocking thread; `None` checks against the dummy hash and fails.
pub async fn verify(stored: Option<String>, password: String) -> bool {
    let known = stored.is_some();
    let result = tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        PasswordHash::new(&stored)
            .map(|parsed| {
                argon2()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false);
    known && result
}

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("common-passwords.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
});

/// The policy: 12 or more characters, not a common password, not the username.
/// The error is the message shown beside the field.
pub fn check_policy(password: &str, username: &str) -> Result<(), &'static str> {
    if password.chars().count() < MIN_LENGTH {
        return Err("密码至少需要12个字符");
    }
    if password.chars().count() > 128 {
        return Err("密码不能超过128个字符");
    }
    let lower = password.to_lowercase();
    if COMMON.contains(lower.as_str()) {
        return Err("该密码过于常见，容易被猜中，请换一个");
    }
    if !username.is_empty() && lower.contains(&username.to_lowercase()) {
        return Err("密码不能包含用户名");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_common_and_username_passwords_are_refused() {
        assert!(check_policy("short-pw", "zhang").is_err());
        assert!(check_policy("qwerty123456", "zhang").is_err());
        assert!(check_policy("QWERTY123456", "zhang").is_err());
        assert!(check_policy("zhang-is-my-name", "zhang").is_err());
        assert!(check_policy("demo-pass-2018", "leader").is_ok());
        assert!(check_policy("绿色的草原上有十二匹马", "ma").is_err());
        assert!(check_policy("绿色的草原上有十二匹骏马", "ma").is_ok());
    }

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password_and_uses_the_agreed_parameters() {
        let stored = hash("correct horse battery".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify(Some(stored.clone()), "correct horse battery".into()).await);
        assert!(!verify(Some(stored), "wrong horse battery".into()).await);
        assert!(!verify(None, "no account has this password".into()).await);
    }
}

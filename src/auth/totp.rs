//! The second factor's codes (TOTP, RFC 6238, computed by the `totp-rs` crate): SHA-1, six
//! digits, 30-second steps, as every authenticator app expects; one step of clock drift
//! either way; and a code accepted only for a step later than the last one accepted, so
//! that a code seen over someone's shoulder cannot be used again. Also the otpauth:// URI
//! the QR code carries, and what the code form accepts as input.

use chrono::{DateTime, Utc};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use rand_core::{OsRng, RngCore};
use totp_rs::{Algorithm, TOTP};

use crate::auth::recovery;

pub const DIGITS: usize = 6;
pub const STEP_SECONDS: i64 = 30;
/// Steps of clock drift accepted before and after the current one.
pub const DRIFT_STEPS: i64 = 1;
/// The name authenticator apps show above the code.
pub const ISSUER: &str = "tuanjian";
/// 160 bits, the length RFC 4226 recommends for SHA-1.
pub const SECRET_BYTES: usize = 20;

pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_BYTES];
    OsRng.fill_bytes(&mut secret);
    secret
}

/// The secret as authenticator apps take it when typed: base32 without padding.
pub fn secret_base32(secret: &[u8]) -> String {
    totp(secret).get_secret_base32()
}

/// A secret stored or sealed as base32.
pub fn secret_from_base32(text: &str) -> Option<Vec<u8>> {
    totp_rs::Secret::Encoded(text.replace(' ', "").to_uppercase())
        .to_bytes()
        .ok()
        .filter(|secret| !secret.is_empty())
}

/// The base32 secret in groups of four, easier to type from the screen.
pub fn secret_for_typing(secret: &[u8]) -> String {
    let text = secret_base32(secret);
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The Key URI Format authenticator apps read from a QR code.
pub fn otpauth_uri(secret: &[u8], username: &str) -> String {
    let issuer = utf8_percent_encode(ISSUER, NON_ALPHANUMERIC);
    let account = utf8_percent_encode(username, NON_ALPHANUMERIC);
    format!(
        "otpauth://totp/{issuer}:{account}?secret={}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        secret_base32(secret)
    )
}

fn totp(secret: &[u8]) -> TOTP {
    // Unchecked only in that it does not refuse a short secret: ours are always 160 bits.
    TOTP::new_unchecked(
        Algorithm::SHA1,
        DIGITS,
        0,
        STEP_SECONDS as u64,
        secret.to_vec(),
    )
}

/// The time step of an instant.
pub fn step_of(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(STEP_SECONDS)
}

/// The code of a step, for tests and for the demo's explanation.
pub fn code_at(secret: &[u8], step: i64) -> String {
    totp(secret).generate((step.max(0) * STEP_SECONDS) as u64)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    /// The code of this step: store it as the last used.
    Accepted {
        step: i64,
    },
    /// The code of a step already used (or earlier).
    Replayed,
    Wrong,
}

/// Checks a six-digit code at `now` against the steps within the drift, refusing any step
/// not after `last_step`.
pub fn check(secret: &[u8], code: &str, now: DateTime<Utc>, last_step: Option<i64>) -> CodeCheck {
    let totp = totp(secret);
    let current = step_of(now);
    let mut replayed = false;
    for step in (current - DRIFT_STEPS)..=(current + DRIFT_STEPS) {
        if step < 0 {
            continue;
        }
        let expected = totp.generate((step * STEP_SECONDS) as u64);
        if !constant_time_eq(expected.as_bytes(), code.as_bytes()) {
            continue;
        }
        if last_step.is_some_and(|last| step <= last) {
            replayed = true;
        } else {
            return CodeCheck::Accepted { step };
        }
    }
    if replayed {
        CodeCheck::Replayed
    } else {
        CodeCheck::Wrong
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What was typed into a code field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entered {
    Code(String),
    /// A recovery code, normalised.
    Recovery(String),
}

pub const EMPTY_MESSAGE: &str = "请输入验证码";
pub const CODE_SHAPE_MESSAGE: &str = "验证码是认证器应用上显示的6位数字";
pub const ENTRY_SHAPE_MESSAGE: &str =
    "请输入认证器应用上显示的6位数字验证码，或一个恢复码（形如 abcd-efgh-jkmn-pqrs）";

/// Reads a six-digit code, spaces allowed (apps show "123 456").
pub fn parse_code(text: &str) -> Result<String, &'static str> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        Err(EMPTY_MESSAGE)
    } else if digits.len() == DIGITS && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(CODE_SHAPE_MESSAGE)
    }
}

/// Reads a six-digit code or a recovery code; anything else is refused before any check,
/// and so never counts as a failed sign-in.
pub fn parse_entry(text: &str) -> Result<Entered, &'static str> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if compact.is_empty() {
        return Err(EMPTY_MESSAGE);
    }
    if compact.chars().all(|c| c.is_ascii_digit()) {
        return parse_code(&compact).map(Entered::Code);
    }
    recovery::normalise(&compact)
        .map(Entered::Recovery)
        .ok_or(ENTRY_SHAPE_MESSAGE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// RFC 6238 appendix B's SHA-1 secret.
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(seconds, 0).unwrap()
    }

    #[test]
    fn codes_are_those_of_rfc_6238() {
        // Appendix B: 94287082 at T=59 and 07081804 at T=1111111109 (eight digits); the
        // six-digit codes are their last six.
        assert_eq!(code_at(RFC_SECRET, step_of(at(59))), "287082");
        assert_eq!(code_at(RFC_SECRET, step_of(at(1_111_111_109))), "081804");
    }

    #[test]
    fn one_step_of_drift_either_way_is_accepted_and_no_more() {
        let now = at(1_800_000_000);
        let step = step_of(now);
        for drift in [-1, 0, 1] {
            let code = code_at(RFC_SECRET, step + drift);
            assert_eq!(
                check(RFC_SECRET, &code, now, None),
                CodeCheck::Accepted { step: step + drift },
                "drift {drift}"
            );
        }
        for drift in [-3, -2, 2, 3] {
            let code = code_at(RFC_SECRET, step + drift);
            assert_eq!(
                check(RFC_SECRET, &code, now, None),
                CodeCheck::Wrong,
                "drift {drift}"
            );
        }
    }

    #[test]
    fn a_code_of_a_used_step_or_before_is_a_replay() {
        let now = at(1_800_000_000);
        let step = step_of(now);
        let code = code_at(RFC_SECRET, step);
        assert_eq!(
            check(RFC_SECRET, &code, now, Some(step)),
            CodeCheck::Replayed
        );
        // Still a replay 29 seconds later, within the drift.
        let later = now + chrono::Duration::seconds(29);
        assert_eq!(
            check(RFC_SECRET, &code, later, Some(step)),
            CodeCheck::Replayed
        );
        let previous = code_at(RFC_SECRET, step - 1);
        assert_eq!(
            check(RFC_SECRET, &previous, now, Some(step)),
            CodeCheck::Replayed
        );
        let next = code_at(RFC_SECRET, step + 1);
        assert_eq!(
            check(RFC_SECRET, &next, now, Some(step)),
            CodeCheck::Accepted { step: step + 1 }
        );
    }

    #[test]
    fn the_uri_names_the_issuer_and_the_account() {
        let uri = otpauth_uri(RFC_SECRET, "committee");
        assert_eq!(
            uri,
            "otpauth://totp/tuanjian:committee?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=tuanjian&algorithm=SHA1&digits=6&period=30"
        );
        assert_eq!(
            secret_for_typing(RFC_SECRET),
            "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"
        );
        assert_eq!(
            secret_from_base32("gezd gnbv gy3t qojq GEZDGNBVGY3TQOJQ").as_deref(),
            Some(RFC_SECRET)
        );
        assert_eq!(secret_from_base32("not base32!"), None);
        assert_ne!(new_secret(), new_secret());
        assert_eq!(new_secret().len(), 20);
    }

    #[test]
    fn entries_are_read_or_refused_with_a_reason() {
        assert_eq!(parse_entry(" 123 456 "), Ok(Entered::Code("123456".into())));
        assert_eq!(parse_entry(""), Err(EMPTY_MESSAGE));
        assert_eq!(parse_entry("  "), Err(EMPTY_MESSAGE));
        assert_eq!(parse_entry("12345"), Err(CODE_SHAPE_MESSAGE));
        assert_eq!(parse_entry("1234567"), Err(CODE_SHAPE_MESSAGE));
        assert_eq!(parse_entry("abcdef"), Err(ENTRY_SHAPE_MESSAGE));
        assert_eq!(parse_entry("１２３４５６"), Err(ENTRY_SHAPE_MESSAGE));
        assert_eq!(
            parse_entry("ABCD-EFGH-JKMN-PQRS"),
            Ok(Entered::Recovery("abcdefghjkmnpqrs".into()))
        );
        assert_eq!(parse_code("12a456"), Err(CODE_SHAPE_MESSAGE));
        assert_eq!(parse_code(""), Err(EMPTY_MESSAGE));
    }
}

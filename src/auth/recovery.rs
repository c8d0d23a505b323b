//! Recovery codes: ten single-use codes shown once at enrolment, for a lost phone.
//!
//! Each is 16 characters of Crockford's base32 (80 random bits), shown as four groups of
//! four. Only the SHA-256 of a code is kept: with 80 bits of entropy no dictionary or brute
//! force reaches it, so a slow password hash (Argon2) would add nothing but time, and a
//! plain digest lets the code be found by its hash in one indexed query.

use rand_core::{OsRng, RngCore};

use crate::auth::session::token_hash;

pub const COUNT: usize = 10;
const LENGTH: usize = 16;
/// Crockford's base32: no i, l, o or u, so nothing is misread.
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// A new code, grouped for reading: `abcd-efgh-jkmn-pqrs`.
pub fn generate() -> String {
    let mut bytes = [0u8; LENGTH];
    OsRng.fill_bytes(&mut bytes);
    // 256 is a multiple of 32: every character is equally likely.
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[(b & 31) as usize] as char)
        .collect();
    chars
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A typed code in its stored form (lower case, no dashes or spaces, i/l read as 1 and o as
/// 0), or None when it cannot be a recovery code.
pub fn normalise(text: &str) -> Option<String> {
    let code: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_lowercase() {
            'i' | 'l' => '1',
            'o' => '0',
            other => other,
        })
        .collect();
    (code.len() == LENGTH && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

/// What is stored of a code: the SHA-256, in hex, of its normalised form.
pub fn hash(code: &str) -> String {
    token_hash(&normalise(code).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_random_grouped_and_read_back() {
        let code = generate();
        assert_eq!(code.len(), 19);
        assert_eq!(code.matches('-').count(), 3);
        assert_ne!(code, generate());
        let typed = code.to_uppercase().replace('-', " ");
        assert_eq!(normalise(&typed), Some(code.replace('-', "")));
        assert_eq!(hash(&typed), hash(&code));
    }

    #[test]
    fn misreadable_letters_are_forgiven_and_wrong_shapes_refused() {
        assert_eq!(
            normalise("oOiL-abcd-efgh-jkmn"),
            Some("0011abcdefghjkmn".into())
        );
        assert_eq!(normalise("abcd-efgh-jkmn"), None);
        assert_eq!(normalise("abcd-efgh-jkmn-pqrs-tv"), None);
        assert_eq!(normalise("abcd-efgh-jkmn-pqr!"), None);
        assert_eq!(normalise("abcd-efgh-jkmn-pqru"), None);
    }
}

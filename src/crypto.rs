//! Protection of personal data at rest: AES-256-GCM with versioned keys for resident ID
//! numbers and phones, and a keyed HMAC-SHA256 blind index so that a number can be found
//! and kept unique without being stored in the clear. The keys never enter the database:
//! they come from a file (`file`: where it is, creating and rotating it) or the
//! environment (`TUANJIAN_KEYS`).
//!
//! The key text has one key a line: `enc:<version>:<base64 of 32 bytes>` (the highest
//! version encrypts; older ones still decrypt) and `index:<base64 of 32 bytes>`.

use std::collections::BTreeMap;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use rand_core::{OsRng, RngCore};
use sha2::Sha256;

mod file;

pub use file::{key_file, load, rotate_file};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("key line {0} is not `enc:VERSION:BASE64` or `index:BASE64`")]
    Line(usize),
    #[error("key line {0}: a key must be 32 bytes in base64")]
    Length(usize),
    #[error("no encryption key (`enc:1:...`) is configured")]
    NoEncryptionKey,
    #[error("no blind-index key (`index:...`) is configured")]
    NoIndexKey,
    #[error("data was encrypted with key version {0}, which is not configured")]
    UnknownVersion(i32),
    #[error("data could not be decrypted: wrong key or damaged data")]
    Damaged,
}

pub struct Keys {
    encryption: BTreeMap<i32, Aes256Gcm>,
    index: Vec<u8>,
}

/// Never printed.
impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Keys(versions {:?})",
            self.encryption.keys().collect::<Vec<_>>()
        )
    }
}

fn key_bytes(line: usize, text: &str) -> Result<Vec<u8>, KeyError> {
    let bytes = STANDARD
        .decode(text.trim())
        .map_err(|_| KeyError::Length(line))?;
    if bytes.len() == 32 {
        Ok(bytes)
    } else {
        Err(KeyError::Length(line))
    }
}

impl Keys {
    pub fn parse(text: &str) -> Result<Keys, KeyError> {
        let mut encryption = BTreeMap::new();
        let mut index = None;
        for (n, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let parts: Vec<&str> = line.splitn(3, ':').collect();
            match parts.as_slice() {
                ["enc", version, key] => {
                    let version: i32 = version.parse().map_err(|_| KeyError::Line(n))?;
                    let cipher = Aes256Gcm::new_from_slice(&key_bytes(n, key)?)
                        .map_err(|_| KeyError::Length(n))?;
                    encryption.insert(version, cipher);
                }
                ["index", key] => index = Some(key_bytes(n, key)?),
                _ => return Err(KeyError::Line(n)),
            }
        }
        if encryption.is_empty() {
            return Err(KeyError::NoEncryptionKey);
        }
        Ok(Keys {
            encryption,
            index: index.ok_or(KeyError::NoIndexKey)?,
        })
    }

    /// Fresh key text: version 1 and an index key.
    pub fn generate() -> String {
        let random = || {
            let mut key = [0u8; 32];
            OsRng.fill_bytes(&mut key);
            STANDARD.encode(key)
        };
        format!(
            "# tuanjian personal-data keys: keep secret, back up apart from the database.\nenc:1:{}\nindex:{}\n",
            random(),
            random()
        )
    }

    /// The same text with one more encryption version, for rotation.
    pub fn add_version(text: &str) -> Result<(String, i32), KeyError> {
        let keys = Keys::parse(text)?;
        let next = keys.current_version() + 1;
        let mut key = [0u8; 32];
        OsRng.fill_bytes(&mut key);
        let mut out = text.trim_end().to_string();
        out.push_str(&format!("\nenc:{next}:{}\n", STANDARD.encode(key)));
        Ok((out, next))
    }

    pub fn current_version(&self) -> i32 {
        *self
            .encryption
            .keys()
            .next_back()
            .expect("at least one key")
    }

    /// Encrypts with the current version: (version, nonce ‖ ciphertext).
    pub fn encrypt(&self, plaintext: &str) -> (i32, Vec<u8>) {
        let version = self.current_version();
        let cipher = &self.encryption[&version];
        let mut nonce = [0u8; 12];
        OsRng.fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(Nonce::from_slice(&nonce), plaintext.as_bytes())
            .expect("AES-GCM encryption of a short text cannot fail");
        let mut out = nonce.to_vec();
        out.extend(sealed);
        (version, out)
    }

    pub fn decrypt(&self, version: i32, blob: &[u8]) -> Result<String, KeyError> {
        let cipher = self
            .encryption
            .get(&version)
            .ok_or(KeyError::UnknownVersion(version))?;
        if blob.len() < 12 {
            return Err(KeyError::Damaged);
        }
        let (nonce, sealed) = blob.split_at(12);
        let plain = cipher
            .decrypt(Nonce::from_slice(nonce), sealed)
            .map_err(|_| KeyError::Damaged)?;
        String::from_utf8(plain).map_err(|_| KeyError::Damaged)
    }

    /// The keyed blind index of a normalised value: equal values, equal index.
    pub fn blind_index(&self, value: &str) -> Vec<u8> {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.index).expect("HMAC takes any key length");
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encryption_round_trips_and_hides_the_text() {
        let keys = Keys::parse(&Keys::generate()).unwrap();
        let (version, blob) = keys.encrypt("11010519491231002X");
        assert_eq!(version, 1);
        assert!(!String::from_utf8_lossy(&blob).contains("1101051949"));
        assert_eq!(keys.decrypt(version, &blob).unwrap(), "11010519491231002X");
        let (_, again) = keys.encrypt("11010519491231002X");
        assert_ne!(blob, again, "a fresh nonce each time");
        let mut damaged = blob.clone();
        damaged[20] ^= 1;
        assert_eq!(keys.decrypt(version, &damaged), Err(KeyError::Damaged));
        assert_eq!(keys.decrypt(9, &blob), Err(KeyError::UnknownVersion(9)));
    }

    #[test]
    fn the_blind_index_is_stable_and_keyed() {
        let a = Keys::parse(&Keys::generate()).unwrap();
        let b = Keys::parse(&Keys::generate()).unwrap();
        assert_eq!(a.blind_index("x"), a.blind_index("x"));
        assert_ne!(a.blind_index("x"), a.blind_index("y"));
        assert_ne!(
            a.blind_index("x"),
            b.blind_index("x"),
            "another key, another index"
        );
    }

    #[test]
    fn a_rotated_key_set_encrypts_with_the_new_version_and_reads_the_old() {
        let text = Keys::generate();
        let old = Keys::parse(&text).unwrap();
        let (_, blob) = old.encrypt("secret");
        let (rotated, version) = Keys::add_version(&text).unwrap();
        let keys = Keys::parse(&rotated).unwrap();
        assert_eq!((version, keys.current_version()), (2, 2));
        assert_eq!(keys.decrypt(1, &blob).unwrap(), "secret");
        assert_eq!(keys.encrypt("x").0, 2);
        assert_eq!(
            keys.blind_index("x"),
            old.blind_index("x"),
            "the index key does not rotate"
        );
    }

    #[test]
    fn bad_key_text_is_refused_with_the_line() {
        assert_eq!(Keys::parse("").unwrap_err(), KeyError::NoEncryptionKey);
        assert_eq!(
            Keys::parse("enc:1:c2hvcnQ=\n").unwrap_err(),
            KeyError::Length(1)
        );
        assert_eq!(Keys::parse("hello\n").unwrap_err(), KeyError::Line(1));
        let only_enc = Keys::generate()
            .lines()
            .filter(|l| !l.starts_with("index"))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(Keys::parse(&only_enc).unwrap_err(), KeyError::NoIndexKey);
        assert!(!format!("{:?}", Keys::parse(&Keys::generate()).unwrap()).contains('='));
    }
}

//! The key file: where it is, its creation on first start, and rotation.
//!
//! A data folder that is given (`--data-dir`, `TUANJIAN_DATA_DIR`) keeps its keys beside
//! it, in `DATA_DIR.keys`, not inside: whoever copies or backs up the data folder (the
//! database's files) must not get the keys that decrypt it with it. Beside rather than in
//! `$XDG_CONFIG_HOME` so that each data folder keeps its own keys, and a service account
//! without a home folder needs none. Only the default `./data` of the demo and a first try
//! keeps `data/keys`; an older install's `DATA_DIR/keys` goes on working, with a warning.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::Keys;

/// Where the key file is: `configured` (`--keys-file`, `TUANJIAN_KEYS_FILE`); else, for a
/// data folder that was given, `DATA_DIR.keys` beside it, unless only an older install's
/// `DATA_DIR/keys` exists; else `DATA_DIR/keys`.
pub fn key_file(configured: Option<&Path>, data_dir: &Path, data_dir_given: bool) -> PathBuf {
    if let Some(path) = configured {
        return path.to_path_buf();
    }
    let inside = data_dir.join("keys");
    if !data_dir_given {
        return inside;
    }
    let beside = beside(data_dir);
    if !beside.exists() && inside.exists() {
        tracing::warn!(
            path = %inside.display(),
            move_to = %beside.display(),
            "the personal-data key file is inside the data folder, so every copy of the folder \
             carries the keys that decrypt it: move it out (or set TUANJIAN_KEYS_FILE)"
        );
        return inside;
    }
    beside
}

/// `/srv/tuanjian` → `/srv/tuanjian.keys`.
fn beside(data_dir: &Path) -> PathBuf {
    let absolute = std::path::absolute(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    match absolute.file_name() {
        Some(name) => {
            let mut name = name.to_os_string();
            name.push(".keys");
            absolute.with_file_name(name)
        }
        None => data_dir.join("keys"),
    }
}

/// Adds a key version to the key file (written anew, mode 0600, then moved into place)
/// and returns the new key set.
pub fn rotate_file(path: &Path) -> anyhow::Result<(Keys, i32)> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let (rotated, version) = Keys::add_version(&text)?;
    let temporary = path.with_extension("new");
    let _ = std::fs::remove_file(&temporary);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temporary)?;
    file.write_all(rotated.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)?;
    Ok((Keys::parse(&rotated)?, version))
}

/// The keys for this installation: `TUANJIAN_KEYS` (the text itself), else the key file
/// (`key_file`), created (mode 0600) on first start.
pub fn load(path: &Path) -> anyhow::Result<Keys> {
    if let Ok(text) = std::env::var("TUANJIAN_KEYS") {
        return Keys::parse(&text).context("TUANJIAN_KEYS");
    }
    if !path.exists() {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))?;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .with_context(|| format!("creating the key file {}", path.display()))?;
        file.write_all(Keys::generate().as_bytes())?;
        tracing::warn!(path = %path.display(), "created new personal-data keys: back this file up apart from the database");
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the key file {}", path.display()))?;
    Keys::parse(&text).with_context(|| format!("the key file {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!("tj-keyfile-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("site")).unwrap();
        root
    }

    #[test]
    fn a_given_data_folder_keeps_its_keys_beside_it_not_inside() {
        let root = scratch("beside");
        let data = root.join("site");
        assert_eq!(key_file(None, &data, true), root.join("site.keys"));
        assert_eq!(
            key_file(None, &root.join("site/"), true),
            root.join("site.keys")
        );
        load(&key_file(None, &data, true)).unwrap();
        assert!(root.join("site.keys").is_file());
        assert!(
            !data.join("keys").exists(),
            "nothing inside the data folder"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn an_older_installs_key_file_inside_the_folder_keeps_working() {
        let root = scratch("older");
        let data = root.join("site");
        std::fs::write(data.join("keys"), Keys::generate()).unwrap();
        assert_eq!(key_file(None, &data, true), data.join("keys"));
        // Once moved out, the new place wins.
        std::fs::rename(data.join("keys"), root.join("site.keys")).unwrap();
        assert_eq!(key_file(None, &data, true), root.join("site.keys"));
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn the_default_folder_and_a_configured_file_are_taken_as_they_are() {
        let data = Path::new("data");
        assert_eq!(key_file(None, data, false), Path::new("data/keys"));
        let configured = Path::new("/etc/tuanjian/keys");
        assert_eq!(key_file(Some(configured), data, true), configured);
        assert_eq!(key_file(Some(configured), data, false), configured);
    }
}

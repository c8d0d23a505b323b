//! The backup file: a zip of two entries, both stored uncompressed: `database.dump`,
//! pg_dump's custom format (compressed already: deflating it again would cost time for
//! nothing), and `manifest.json` (format, schema version, app version, time, the dump's size
//! and SHA-256). A zip because the crate is already a dependency and any unzip lists and
//! extracts it; an entry stored as is can be streamed in and out and its bytes hashed as
//! they pass. The personal-data keys are never in it. The checksum finds damage, not
//! forgery: whoever can change the file can recompute it.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::Path;

use anyhow::{Context, anyhow, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::pg::backup::Server;

const FORMAT: &str = "tuanjian-backup";
const FORMAT_VERSION: u32 = 1;
const MANIFEST: &str = "manifest.json";
const DUMP: &str = "database.dump";

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// The highest migration applied to the database.
    pub schema_version: i64,
    pub app_version: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub dump: DumpEntry,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct DumpEntry {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

/// The backup file, mode 0600 since what it holds is personal, written beside its final
/// name and renamed into place once complete.
pub fn write(server: &Server, path: &Path, schema_version: i64) -> anyhow::Result<Manifest> {
    use std::os::unix::fs::OpenOptionsExt;
    let _ = std::fs::remove_file(path);
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    let mut zip = ZipWriter::new(BufWriter::new(file));
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .unix_permissions(0o600);
    zip.start_file(DUMP, stored.large_file(true))?;
    let mut hashing = Hashing {
        inner: &mut zip,
        hasher: Sha256::new(),
        size: 0,
    };
    server.dump(&mut hashing)?;
    let dump = DumpEntry {
        name: DUMP.to_string(),
        size: hashing.size,
        sha256: hex(&hashing.hasher.finalize()),
    };
    let manifest = Manifest {
        format: FORMAT.to_string(),
        format_version: FORMAT_VERSION,
        schema_version,
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        created_at: chrono::Utc::now(),
        dump,
    };
    zip.start_file(MANIFEST, stored)?;
    zip.write_all(&serde_json::to_vec_pretty(&manifest)?)?;
    let file = zip.finish()?.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    Ok(manifest)
}

/// The backup's manifest, checked against this binary, and its dump checked against the
/// manifest, before anything is written anywhere.
pub fn open(path: &Path) -> anyhow::Result<(Manifest, ZipArchive<File>)> {
    let not_a_backup = || anyhow!("{} is not a tuanjian backup", path.display());
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut archive = ZipArchive::new(file).map_err(|_| not_a_backup())?;
    let manifest: Manifest = {
        let entry = archive.by_name(MANIFEST).map_err(|_| not_a_backup())?;
        serde_json::from_reader(entry.take(1 << 16)).map_err(|_| not_a_backup())?
    };
    if manifest.format != FORMAT || manifest.dump.name != DUMP {
        return Err(not_a_backup());
    }
    if manifest.format_version > FORMAT_VERSION {
        bail!(
            "{} is of backup format {}, newer than this tuanjian reads ({FORMAT_VERSION}); nothing was restored",
            path.display(),
            manifest.format_version
        );
    }
    let known = crate::MIGRATOR
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or_default();
    if manifest.schema_version > known {
        bail!(
            "{} is of schema version {}, newer than this tuanjian knows ({known}): restore it \
             with tuanjian {} or later; nothing was restored",
            path.display(),
            manifest.schema_version,
            manifest.app_version
        );
    }
    std::io::copy(
        &mut dump_reader(&mut archive, &manifest)?,
        &mut std::io::sink(),
    )
    .map_err(|e| anyhow!("{}: {e}; nothing was restored", path.display()))?;
    Ok((manifest, archive))
}

/// The dump's bytes as stored (the zip's own CRC is not what decides), failing at their end
/// unless their size and SHA-256 are the manifest's.
pub fn dump_reader<'a>(
    archive: &'a mut ZipArchive<File>,
    manifest: &Manifest,
) -> anyhow::Result<impl Read + 'a> {
    let entry = archive
        .by_name_raw(DUMP.as_bytes())
        .map_err(|_| anyhow!("the backup has no {DUMP}"))?;
    if entry.compression() != CompressionMethod::Stored {
        bail!("the backup's {DUMP} is not stored as written by tuanjian");
    }
    Ok(Checked {
        inner: entry,
        hasher: Sha256::new(),
        size: 0,
        expected_size: manifest.dump.size,
        expected_sha256: manifest.dump.sha256.clone(),
    })
}

struct Checked<R> {
    inner: R,
    hasher: Sha256,
    size: u64,
    expected_size: u64,
    expected_sha256: String,
}

impl<R: Read> Read for Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        if n == 0 {
            let sha256 = hex(&self.hasher.clone().finalize());
            if self.size != self.expected_size || sha256 != self.expected_sha256 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "the dump does not match the manifest's checksum: the file is damaged or was altered",
                ));
            }
        }
        Ok(n)
    }
}

struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    size: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

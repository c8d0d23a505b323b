//! Moves the oldest audit events to a file and out of the table. The file holds each event
//! with its hashes after a header naming the range and the last hash; the table keeps a
//! record of the archive (range, last hash, the file's SHA-256) that `verify` starts from.
//! Removing events is the owner's right alone: this runs on the owner's pool.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use tokio::io::{AsyncWriteExt, BufWriter};

use super::{FORMAT, Header, KEEP_DAYS};
use crate::db::audit_chain::{self, NewArchive};
use crate::domain::audit_chain::{GENESIS, Hash, Walker, hex};

/// What an archive moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archived {
    pub first_event_id: i64,
    pub last_event_id: i64,
    pub events: i64,
    pub last_hash: String,
}

/// Archives the events that happened before `cutoff` (the start of the local day `before`)
/// into `file`, which must not exist yet. Refuses a `before` less than 185 days before
/// `today`. `Ok(None)` when there is nothing that old.
pub async fn archive(
    owner: &PgPool,
    before: NaiveDate,
    cutoff: DateTime<Utc>,
    today: NaiveDate,
    file: &Path,
) -> anyhow::Result<Option<Archived>> {
    let latest = today - chrono::Duration::days(KEEP_DAYS);
    if before > latest {
        bail!("审计事件至少保留{KEEP_DAYS}天：--before 不得晚于 {latest}");
    }
    if file.exists() {
        bail!("{} 已存在，不会覆盖", file.display());
    }
    let mut tx = owner.begin().await?;
    let Some((first, last, count)) = audit_chain::archivable(&mut tx, cutoff).await? else {
        return Ok(None);
    };
    let archives = audit_chain::archives(&mut *tx).await?;
    let start = archives
        .last()
        .and_then(|a| a.last_hash.as_slice().try_into().ok())
        .unwrap_or(GENESIS);
    let last_hash: Vec<u8> =
        sqlx::query_scalar("select hash from audit_event where audit_event_id = $1")
            .bind(last)
            .fetch_one(&mut *tx)
            .await?;
    let header = Header {
        format: FORMAT.to_string(),
        before,
        first_event_id: first,
        last_event_id: last,
        event_count: count,
        first_prev_hash: hex(&start),
        last_hash: hex(&last_hash),
    };
    let partial = PathBuf::from(format!("{}.partial", file.display()));
    let written = write(&mut tx, &partial, &header, start).await;
    let (walker, checksum) = match written {
        Ok(done) => done,
        Err(e) => {
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(e);
        }
    };
    if hex(&walker.last_hash()) != header.last_hash || walker.checked != count as u64 {
        let _ = tokio::fs::remove_file(&partial).await;
        bail!("审计事件在归档时发生变化，未归档任何事件");
    }
    tokio::fs::rename(&partial, file).await?;
    let file_name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let removed = audit_chain::remove_archived(
        &mut tx,
        &NewArchive {
            before_date: before,
            first_event_id: first,
            last_event_id: last,
            event_count: count,
            first_prev_hash: &start,
            last_hash: &walker.last_hash(),
            file_name: &file_name,
            file_sha256: &checksum,
        },
    )
    .await;
    let committed = match removed {
        Ok(removed) if removed == count as u64 => tx.commit().await.map_err(anyhow::Error::from),
        Ok(removed) => Err(anyhow::anyhow!(
            "removed {removed} events instead of {count}"
        )),
        Err(e) => Err(e.into()),
    };
    if let Err(e) = committed {
        let _ = tokio::fs::remove_file(file).await;
        return Err(e.context("removing the archived events (the file was deleted again)"));
    }
    Ok(Some(Archived {
        first_event_id: first,
        last_event_id: last,
        events: count,
        last_hash: header.last_hash,
    }))
}

/// Writes the header and the events through `header.last_event_id`, checking the chain on
/// the way; returns the walk and the file's SHA-256.
async fn write(
    conn: &mut sqlx::PgConnection,
    path: &Path,
    header: &Header,
    start: Hash,
) -> anyhow::Result<(Walker, Hash)> {
    let handle = tokio::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .await
        .with_context(|| format!("creating {}", path.display()))?;
    let mut out = BufWriter::new(handle);
    let mut checksum = Sha256::new();
    let mut line = serde_json::to_vec(header)?;
    line.push(b'\n');
    checksum.update(&line);
    out.write_all(&line).await?;
    let mut walker = Walker::starting_after(start, None);
    let mut links = audit_chain::links_through(conn, header.last_event_id);
    while let Some(link) = links.try_next().await? {
        if let Err(fault) = walker.step(&link) {
            bail!("审计链已断开，请先运行 `tuanjian audit verify`：{fault}");
        }
        let mut line = serde_json::to_vec(&link)?;
        line.push(b'\n');
        checksum.update(&line);
        out.write_all(&line).await?;
    }
    out.flush().await?;
    out.get_ref().sync_all().await?;
    Ok((walker, checksum.finalize().into()))
}

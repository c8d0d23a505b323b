//! Walks the chain: the archive files given (each against its record and its checksum),
//! then the events in the table, then the chain's head. Streams; holds one event at a time.

use std::path::{Path, PathBuf};

use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use tokio::io::{AsyncBufReadExt, BufReader};

use super::{FORMAT, Header};
use crate::db::audit_chain::{self, Archive};
use crate::domain::audit_chain::{Break, GENESIS, Hash, Link, Walker, hex};

/// An intact chain: how many events were checked in archive files and in the table, and
/// the hash it ends with (worth noting down elsewhere: a later verify must reach it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub archived: u64,
    pub in_table: u64,
    pub last_hash: String,
}

/// What is wrong, the first thing found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Fault {
    #[error("{0}")]
    Chain(#[from] Break),
    #[error("归档文件 {file}：{why}")]
    Archive { file: PathBuf, why: String },
    #[error("归档记录与审计表衔接不上：{0}")]
    Junction(String),
}

/// Checks the archive `files` (in any order) and the table; `Ok(Err(fault))` when the chain
/// is broken, `Err` when it could not be read at all.
pub async fn verify(db: &PgPool, files: &[PathBuf]) -> anyhow::Result<Result<Verified, Fault>> {
    let archives = audit_chain::archives(db).await?;
    if let Some(fault) = recorded_archives_join(&archives) {
        return Ok(Err(fault));
    }
    let mut archived = 0;
    let mut after_files = None;
    let mut headed: Vec<(Header, &PathBuf)> = Vec::new();
    for file in files {
        match read_header(file).await? {
            Ok(header) => headed.push((header, file)),
            Err(why) => return Ok(Err(archive_fault(file, why))),
        }
    }
    headed.sort_by_key(|(header, _)| header.first_event_id);
    for (header, file) in headed {
        let Some(record) = archives.iter().find(|a| {
            a.first_event_id == header.first_event_id && a.last_event_id == header.last_event_id
        }) else {
            return Ok(Err(archive_fault(
                file,
                format!(
                    "未记录过事件 {}–{} 的归档",
                    header.first_event_id, header.last_event_id
                ),
            )));
        };
        let start = match after_files {
            Some(walker) => walker,
            None => Walker::starting_after(to_hash(&record.first_prev_hash), None),
        };
        match walk_file(file, &header, record, start).await? {
            Ok(walker) => {
                archived += walker.checked;
                after_files = Some(Walker::starting_after(walker.last_hash(), walker.last_id()));
            }
            Err(fault) => return Ok(Err(fault)),
        }
    }
    let (start_hash, start_id) = match archives.last() {
        Some(latest) => (to_hash(&latest.last_hash), Some(latest.last_event_id)),
        None => (GENESIS, None),
    };
    if let Some(walker) = &after_files
        && walker.last_id() == start_id
        && walker.last_hash() != start_hash
    {
        return Ok(Err(Fault::Junction(
            "最后一个归档文件的末哈希与归档记录不符".to_string(),
        )));
    }
    let mut walker = Walker::starting_after(start_hash, start_id);
    let mut links = audit_chain::links(db);
    while let Some(link) = links.try_next().await? {
        if let Err(fault) = walker.step(&link) {
            return Ok(Err(fault.into()));
        }
    }
    drop(links);
    let (head_id, head) = audit_chain::head(db).await?;
    if let Err(fault) = walker.finish(head_id, &to_hash(&head)) {
        return Ok(Err(fault.into()));
    }
    Ok(Ok(Verified {
        archived,
        in_table: walker.checked,
        last_hash: hex(&walker.last_hash()),
    }))
}

/// Each recorded archive starts where the one before it ended (the first at the genesis).
fn recorded_archives_join(archives: &[Archive]) -> Option<Fault> {
    let mut prev = GENESIS;
    for archive in archives {
        if archive.first_prev_hash != prev {
            return Some(Fault::Junction(format!(
                "归档 {}（事件 {}–{}）的起始哈希 {} 不是前一归档的末哈希 {}",
                archive.audit_archive_id,
                archive.first_event_id,
                archive.last_event_id,
                hex(&archive.first_prev_hash),
                hex(&prev)
            )));
        }
        prev = to_hash(&archive.last_hash);
    }
    None
}

async fn read_header(file: &Path) -> anyhow::Result<Result<Header, String>> {
    let handle = tokio::fs::File::open(file)
        .await
        .map_err(|e| anyhow::anyhow!("打开归档文件 {}：{e}", file.display()))?;
    let mut first = String::new();
    BufReader::new(handle).read_line(&mut first).await?;
    Ok(match serde_json::from_str::<Header>(&first) {
        Ok(header) if header.format == FORMAT => Ok(header),
        Ok(header) => Err(format!("格式 {} 不认识", header.format)),
        Err(e) => Err(format!("首行不是归档文件的说明：{e}")),
    })
}

/// The events of one file, linked from `walker`, matching its header and its record.
async fn walk_file(
    file: &Path,
    header: &Header,
    record: &Archive,
    mut walker: Walker,
) -> anyhow::Result<Result<Walker, Fault>> {
    let mut checksum = Sha256::new();
    let mut lines = BufReader::new(tokio::fs::File::open(file).await?).split(b'\n');
    let mut first = true;
    let mut number = 0;
    while let Some(line) = lines.next_segment().await? {
        checksum.update(&line);
        checksum.update(b"\n");
        number += 1;
        if std::mem::take(&mut first) || line.is_empty() {
            continue;
        }
        let link: Link = match serde_json::from_slice(&line) {
            Ok(link) => link,
            Err(e) => {
                return Ok(Err(archive_fault(
                    file,
                    format!("第{number}行无法读取：{e}"),
                )));
            }
        };
        if let Err(fault) = walker.step(&link) {
            return Ok(Err(fault.into()));
        }
    }
    let checksum: Hash = checksum.finalize().into();
    let problem = if walker.checked != header.event_count as u64
        || walker.checked != record.event_count as u64
    {
        Some(format!(
            "含 {} 条事件，归档时记录为 {} 条",
            walker.checked, record.event_count
        ))
    } else if walker.last_id() != Some(record.last_event_id) {
        Some(format!("末事件不是归档记录的 {}", record.last_event_id))
    } else if walker.last_hash() != to_hash(&record.last_hash)
        || hex(&walker.last_hash()) != header.last_hash
    {
        Some("末哈希与归档记录不符".to_string())
    } else if checksum != to_hash(&record.file_sha256) {
        Some(format!(
            "文件校验和 {} 与归档时记录的 {} 不符：文件被改动",
            hex(&checksum),
            hex(&record.file_sha256)
        ))
    } else {
        None
    };
    Ok(match problem {
        Some(why) => Err(archive_fault(file, why)),
        None => Ok(walker),
    })
}

fn archive_fault(file: &Path, why: String) -> Fault {
    Fault::Archive {
        file: file.to_path_buf(),
        why,
    }
}

/// A stored hash as 32 bytes; a value of another length (which the table's checks refuse)
/// becomes one that matches nothing.
fn to_hash(bytes: &[u8]) -> Hash {
    bytes.try_into().unwrap_or([0xff; 32])
}

//! `tuanjian audit verify` and `tuanjian audit archive`: print what the chain's services
//! found and turn it into the exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::clock::Clock;
use crate::pg::Database;
use crate::services::audit_chain;

/// Prints the count checked and exits 0, or the first broken link and exits 1.
pub async fn verify(database: &Database, archives: &[PathBuf]) -> anyhow::Result<ExitCode> {
    match audit_chain::verify(&database.pool, archives).await? {
        Ok(done) => {
            if archives.is_empty() {
                println!("审计链完整：已检查 {} 条事件。", done.in_table);
            } else {
                println!(
                    "审计链完整：已检查 {} 条事件（归档文件中 {} 条，表中 {} 条）。",
                    done.archived + done.in_table,
                    done.archived,
                    done.in_table
                );
            }
            println!("末哈希 {}", done.last_hash);
            Ok(ExitCode::SUCCESS)
        }
        Err(fault) => {
            println!("审计链断开：{fault}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Archives as the owner: the application's role may not remove events.
pub async fn archive(
    database: &Database,
    clock: &Clock,
    before: NaiveDate,
    file: &Path,
) -> anyhow::Result<ExitCode> {
    let owner = database.owner_pool().await?;
    let result =
        audit_chain::archive(&owner, before, clock.start_of(before), clock.today(), file).await;
    owner.close().await;
    match result? {
        Some(done) => println!(
            "已将审计事件 {}–{}（共 {} 条）归档到 {}，末哈希 {}。",
            done.first_event_id,
            done.last_event_id,
            done.events,
            file.display(),
            done.last_hash
        ),
        None => println!("没有 {before} 之前的审计事件，未写入文件。"),
    }
    Ok(ExitCode::SUCCESS)
}

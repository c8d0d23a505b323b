//! The restart drill (issue 18 item 5): `make restart-drill`.
//!
//! Starts the server binary with the demo data on a fresh managed database under
//! `target/bench/restart`, signs in N clients (each its own session) and drives them for D
//! seconds over loopback: each client in turn reads the dashboard and records an activity.
//! A third of the way in, PostgreSQL is restarted beneath the server (`pg_ctl stop -m
//! fast`, which ends every connection, then start). Afterwards the drill reports the
//! requests that failed and when, how long after PostgreSQL answered again the server
//! answered every client, and compares the activities the clients saw recorded (303)
//! against the rows in the database.
//!
//! It fails when an acknowledged write is missing, when the server still fails requests
//! more than 5 s after PostgreSQL is back, or when a request fails outside the restart.
//!
//! Settings (environment): `BENCH_BIN` the server binary (target/release/tuanjian),
//! `DRILL_CLIENTS` (200), `DRILL_SECONDS` (60).

#[path = "common/process.rs"]
mod process;

mod restart {
    pub mod clients;
    pub mod server;
}

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use restart::clients::{Outcome, Request};
use restart::server::Server;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// How long the server may go on failing once PostgreSQL answers again (issue 18).
const RECOVERY_LIMIT: Duration = Duration::from_secs(5);

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| default.to_string())
}

fn number(name: &str, default: &str) -> anyhow::Result<u64> {
    let text = env_or(name, default);
    text.trim()
        .parse()
        .with_context(|| format!("{name}={text} is not a whole number"))
}

fn main() {
    if let Err(e) = drill() {
        eprintln!("restart drill failed: {e:#}");
        std::process::exit(1);
    }
}

fn drill() -> anyhow::Result<()> {
    let bin = PathBuf::from(env_or("BENCH_BIN", "target/release/tuanjian"));
    let bin = if bin.is_absolute() {
        bin
    } else {
        Path::new(ROOT).join(bin)
    };
    if !bin.is_file() {
        bail!(
            "no server binary at {}: build it or set BENCH_BIN",
            bin.display()
        );
    }
    let clients = usize::try_from(number("DRILL_CLIENTS", "200")?)?;
    let seconds = number("DRILL_SECONDS", "60")?;
    let data_dir = Path::new(ROOT).join("target/bench/restart");
    let mut server = Server::start(&bin, &data_dir)?;
    let runtime = tokio::runtime::Runtime::new()?;
    let result = runtime.block_on(run(&server, clients, Duration::from_secs(seconds)));
    server.stop()?;
    let text = result?;
    println!("\n{text}");
    let path = data_dir.with_file_name("restart.md");
    std::fs::write(&path, &text).with_context(|| format!("writing {}", path.display()))?;
    println!("written to {}", path.display());
    if text.contains("FAILED") {
        bail!("the drill's conditions were not met (see above)");
    }
    Ok(())
}

/// What the restart itself took, from the drill's start.
struct Restart {
    stop_at: Duration,
    ready_at: Duration,
}

async fn run(server: &Server, clients: usize, length: Duration) -> anyhow::Result<String> {
    let signing_in = Instant::now();
    let sessions = restart::clients::sign_in_all(&server.base, clients).await?;
    let sign_in_seconds = signing_in.elapsed().as_secs_f64();
    let started = Instant::now();
    let deadline = started + length;
    let drivers: Vec<_> = sessions
        .into_iter()
        .enumerate()
        .map(|(n, session)| {
            let base = server.base.clone();
            tokio::spawn(restart::clients::drive(session, base, n, started, deadline))
        })
        .collect();
    tokio::time::sleep(length / 3).await;
    let data_dir = server.data_dir.clone();
    let restart = tokio::task::spawn_blocking(move || -> anyhow::Result<Restart> {
        let cluster = tuanjian::pg::Cluster::start_managed(&data_dir)?;
        let stop_at = started.elapsed();
        cluster.stop()?;
        tuanjian::pg::Cluster::start_managed(&data_dir)?;
        Ok(Restart {
            stop_at,
            ready_at: started.elapsed(),
        })
    })
    .await??;
    let mut requests = Vec::new();
    for driver in drivers {
        requests.extend(driver.await??);
    }
    let recorded = server.recorded_titles().await?;
    Ok(report(
        &requests,
        &recorded,
        &restart,
        clients,
        length,
        sign_in_seconds,
    ))
}

fn report(
    requests: &[Request],
    recorded: &std::collections::HashSet<String>,
    restart: &Restart,
    clients: usize,
    length: Duration,
    sign_in_seconds: f64,
) -> String {
    let failed: Vec<&Request> = requests
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Failed(_)))
        .collect();
    let acknowledged: Vec<&str> = requests
        .iter()
        .filter_map(|r| match &r.outcome {
            Outcome::Recorded(title) => Some(title.as_str()),
            _ => None,
        })
        .collect();
    let lost = acknowledged
        .iter()
        .filter(|t| !recorded.contains(**t))
        .count();
    let unacknowledged = recorded.len().saturating_sub(acknowledged.len() - lost);
    let last_failure = failed.iter().map(|r| r.ended).max();
    let first_failure = failed.iter().map(|r| r.sent).min();
    let recovery = last_failure
        .map(|end| end.saturating_sub(restart.ready_at))
        .unwrap_or_default();
    let outside = failed
        .iter()
        .filter(|r| r.ended < restart.stop_at || r.sent > restart.ready_at + RECOVERY_LIMIT)
        .count();
    let slowest = requests
        .iter()
        .filter(|r| !matches!(r.outcome, Outcome::Failed(_)))
        .map(|r| r.ended.saturating_sub(r.sent))
        .max()
        .unwrap_or_default();
    let verdict = |ok: bool| if ok { "ok" } else { "FAILED" };
    let mut kinds: Vec<(String, usize)> = Vec::new();
    for r in &failed {
        if let Outcome::Failed(kind) = &r.outcome {
            match kinds.iter_mut().find(|(k, _)| k == kind) {
                Some((_, n)) => *n += 1,
                None => kinds.push((kind.clone(), 1)),
            }
        }
    }
    let kinds = kinds
        .iter()
        .map(|(k, n)| format!("{n} × {k}"))
        .collect::<Vec<_>>()
        .join(", ");
    let seconds = |d: Duration| d.as_secs_f64();
    format!(
        "## Restart drill\n\n\
         {clients} signed-in clients (signed in in {sign_in_seconds:.1} s) for {length} s; \
         PostgreSQL stopped (fast) at {stop:.2} s and answering again at {ready:.2} s \
         (down {down:.2} s).\n\n\
         | Figure | Value | Condition |\n|---|---|---|\n\
         | Requests | {total} | |\n\
         | Failed requests | {failed} ({kinds}) | only around the restart |\n\
         | Failures between the first and the last | {window} | |\n\
         | Slowest request that succeeded | {slowest:.2} s | |\n\
         | Failed outside the restart (before the stop, or sent > 5 s after ready) | {outside} | 0: {outside_ok} |\n\
         | Server failing after PostgreSQL was back | {recovery:.2} s | ≤ 5 s: {recovery_ok} |\n\
         | Writes acknowledged (303) | {acked} | |\n\
         | Acknowledged writes missing | {lost} | 0: {lost_ok} |\n\
         | Writes stored without an acknowledgement (in flight) | {unacked} | |\n",
        length = length.as_secs(),
        stop = seconds(restart.stop_at),
        ready = seconds(restart.ready_at),
        down = seconds(restart.ready_at.saturating_sub(restart.stop_at)),
        total = requests.len(),
        failed = failed.len(),
        kinds = if kinds.is_empty() { "none" } else { &kinds },
        window = match (first_failure, last_failure) {
            (Some(a), Some(b)) => format!("{:.2} s to {:.2} s", seconds(a), seconds(b)),
            _ => "none".to_string(),
        },
        slowest = seconds(slowest),
        outside_ok = verdict(outside == 0),
        recovery = seconds(recovery),
        recovery_ok = verdict(recovery <= RECOVERY_LIMIT),
        acked = acknowledged.len(),
        lost_ok = verdict(lost == 0),
        unacked = unacknowledged,
    )
}

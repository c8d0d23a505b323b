//! The HTTP benchmark: `cargo bench --bench http` (or `make bench`).
//!
//! Starts the server binary on its own managed database under `target/bench/<scale>`
//! (generated once with `tuanjian generate`, then reused), signs in once as a committee
//! account, and from this separate process drives the pages over loopback with N
//! keep-alive connections. For each page and N it reports p50/p95/p99 latency and
//! requests per second, the database's own time for the same requests from
//! pg_stat_statements, and at the end the server's peak memory.
//!
//! Settings (environment): `BENCH_SCALE` 50k|500k|5m (50k), `BENCH_BIN` the server binary
//! (target/release/tuanjian), `BENCH_SECONDS` per measurement (5), `BENCH_WARMUP` seconds
//! before each (1), `BENCH_CONNECTIONS` (1,16,64).

#[path = "common/process.rs"]
mod process;

mod http {
    pub mod database;
    pub mod load;
    pub mod report;
    pub mod server;
}

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};

use http::database::StatsDb;
use http::load::{Endpoint, Row};
use http::server::{Data, Server};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

pub struct Config {
    pub scale: String,
    pub bin: PathBuf,
    pub data_dir: PathBuf,
    pub measure: Duration,
    pub warmup: Duration,
    pub connections: Vec<usize>,
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| default.to_string())
}

fn seconds(name: &str, default: &str) -> anyhow::Result<Duration> {
    let text = env_or(name, default);
    let value: f64 = text
        .trim()
        .parse()
        .with_context(|| format!("{name}={text} is not a number of seconds"))?;
    Duration::try_from_secs_f64(value).with_context(|| format!("{name}={text}"))
}

impl Config {
    fn from_env() -> anyhow::Result<Config> {
        let scale = env_or("BENCH_SCALE", "50k").to_lowercase();
        if !["50k", "500k", "5m"].contains(&scale.as_str()) {
            bail!("BENCH_SCALE={scale}: expected 50k, 500k or 5m");
        }
        let bin = PathBuf::from(env_or("BENCH_BIN", "target/release/tuanjian"));
        let bin = if bin.is_absolute() {
            bin
        } else {
            Path::new(ROOT).join(bin)
        };
        if !bin.is_file() {
            bail!(
                "no server binary at {}: build it (`cargo build --release --bin tuanjian`) or set BENCH_BIN",
                bin.display()
            );
        }
        let connections = env_or("BENCH_CONNECTIONS", "1,16,64")
            .split(',')
            .map(|n| n.trim().parse::<usize>().ok().filter(|&n| n > 0))
            .collect::<Option<Vec<_>>>()
            .context("BENCH_CONNECTIONS: expected positive numbers separated by commas")?;
        Ok(Config {
            data_dir: Path::new(ROOT).join("target/bench").join(&scale),
            scale,
            bin,
            measure: seconds("BENCH_SECONDS", "5")?,
            warmup: seconds("BENCH_WARMUP", "1")?,
            connections,
        })
    }
}

fn main() {
    // The error alone: a backtrace of the bench's main says nothing about the failure.
    if let Err(e) = bench() {
        eprintln!("bench failed: {e:#}");
        std::process::exit(1);
    }
}

fn bench() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let data = http::server::prepare(&config)?;
    let mut server = Server::start(&config)?;
    let runtime = tokio::runtime::Runtime::new()?;
    let result = runtime.block_on(run(&config, &data, &server));
    let memory = server.memory();
    server.stop()?;
    let (rows, facts) = result?;
    let text = http::report::render(&config, &data, &facts, &rows, memory.as_ref());
    println!("\n{text}");
    let path = config.data_dir.join("results.md");
    std::fs::write(&path, &text).with_context(|| format!("writing {}", path.display()))?;
    println!("written to {}", path.display());
    // A page that fails on its own is broken: the run fails. Requests that time out under
    // load (the pool's wait, the request timeout) are the machine's capacity: the table
    // shows them by status, and the run goes on.
    let errors: u64 = rows.iter().map(|r| r.errors).sum();
    if errors > 0 {
        eprintln!("bench: {errors} requests under load did not answer 200 (see the table)");
    }
    if !facts.failures.is_empty() {
        bail!("{} pages failed their first request", facts.failures.len());
    }
    Ok(())
}

/// What the report needs besides the rows.
pub struct Facts {
    pub postgres: String,
    pub sizes: Vec<(&'static str, i64)>,
    pub deep_page: i64,
    pub top: Vec<(String, Vec<http::database::Statement>)>,
    /// Statements cancelled after their requests had timed out, by page: the longest
    /// running of each kind.
    pub cancelled: Vec<(&'static str, Vec<http::database::Leftover>)>,
    pub stats: bool,
    /// Pages whose first request failed (and so were not driven), with the error.
    pub failures: Vec<(&'static str, String)>,
}

async fn run(config: &Config, data: &Data, server: &Server) -> anyhow::Result<(Vec<Row>, Facts)> {
    let cookie = http::load::sign_in(&server.base, &data.password).await?;
    let db = StatsDb::open(&config.data_dir).await?;
    let picks = db.picks().await?;
    let endpoints = http::load::endpoints(&picks);
    let clients = http::load::clients(&cookie, 1)?;
    let mut rows = Vec::new();
    let mut top = Vec::new();
    let mut failures = Vec::new();
    let mut cancelled = Vec::new();
    for endpoint in &endpoints {
        // A page that fails is reported, its slowest statements with it, and the others
        // are still measured.
        db.reset().await?;
        if let Err(e) = http::load::check(&clients[0], &server.base, endpoint).await {
            eprintln!("bench: {e:#}");
            failures.push((endpoint.name, format!("{e:#}")));
            top.push((format!("{} (failed)", endpoint.name), db.top(3).await?));
            cancelled.push((endpoint.name, db.cancel_leftovers().await?));
            continue;
        }
        for &connections in &config.connections {
            let (row, leftovers) =
                measure(config, &db, server, &cookie, endpoint, connections).await?;
            eprintln!("{}", row.summary());
            cancelled.push((endpoint.name, leftovers));
            if connections == config.connections[0] {
                top.push((endpoint.name.to_string(), db.top(3).await?));
            }
            rows.push(row);
        }
    }
    let facts = Facts {
        postgres: db.version().await?,
        sizes: db.sizes().await?,
        deep_page: picks.deep_offset / tuanjian::web::units::PAGE_SIZE + 1,
        top,
        stats: db.has_stats(),
        failures,
        cancelled: longest_of_each(cancelled),
    };
    db.close().await;
    Ok((rows, facts))
}

async fn measure(
    config: &Config,
    db: &StatsDb,
    server: &Server,
    cookie: &str,
    endpoint: &Endpoint,
    connections: usize,
) -> anyhow::Result<(Row, Vec<http::database::Leftover>)> {
    let clients = http::load::clients(cookie, connections)?;
    let url = format!("{}{}", server.base, endpoint.path);
    http::load::drive(&clients, &url, config.warmup).await?;
    // Requests that timed out in the warm-up leave statements running that hold the
    // server's pool connections until they end.
    let mut leftovers = db.cancel_leftovers().await?;
    db.reset().await?;
    let before = server.cpu();
    let run = http::load::drive(&clients, &url, config.measure).await?;
    let after = server.cpu();
    let stats = db.read().await?;
    let cpu = http::server::Cpu {
        server: after.server - before.server,
        postgres: after.postgres - before.postgres,
    };
    leftovers.extend(db.cancel_leftovers().await?);
    Ok((
        Row::new(endpoint.name, connections, run, stats, cpu),
        leftovers,
    ))
}

/// Per page, each cancelled statement once (by its first 80 characters), the longest run.
fn longest_of_each(
    cancelled: Vec<(&'static str, Vec<http::database::Leftover>)>,
) -> Vec<(&'static str, Vec<http::database::Leftover>)> {
    let mut pages: Vec<(&'static str, Vec<http::database::Leftover>)> = Vec::new();
    for (page, leftovers) in cancelled {
        if pages.last().is_none_or(|(p, _)| *p != page) {
            pages.push((page, Vec::new()));
        }
        let kept = &mut pages.last_mut().expect("pushed above").1;
        for leftover in leftovers {
            let key: String = leftover.query.chars().take(80).collect();
            match kept
                .iter_mut()
                .find(|k| k.query.chars().take(80).eq(key.chars()))
            {
                Some(k) => k.seconds = k.seconds.max(leftover.seconds),
                None => kept.push(leftover),
            }
        }
    }
    pages.retain(|(_, kept)| !kept.is_empty());
    pages
}

//! The results as markdown: the machine, the data, one table row per page and
//! connection count, the statements that took the database's time, the server's memory.

use std::fmt::Write;
use std::process::Command;

use super::load::Row;
use super::server::{Data, Memory};
use crate::{Config, Facts};

pub fn render(
    config: &Config,
    data: &Data,
    facts: &Facts,
    rows: &[Row],
    memory: Option<&Memory>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## HTTP benchmark, scale {}\n", config.scale);
    let _ = writeln!(out, "{}\n", machine());
    let sizes: Vec<String> = facts
        .sizes
        .iter()
        .map(|(table, n)| format!("{table} {n}"))
        .collect();
    let _ = writeln!(
        out,
        "- data: `{}`; rows: {}\n- server: `{}`, PostgreSQL {}; load from a separate process on loopback, one keep-alive connection per client, signed in as a committee account\n- each measurement: {:.1} s after {:.1} s of warm-up; the deep page is page ~{} of the units list",
        data.source,
        sizes.join(", "),
        config.bin.display(),
        facts.postgres,
        config.measure.as_secs_f64(),
        config.warmup.as_secs_f64(),
        facts.deep_page,
    );
    if let Some(memory) = memory {
        let _ = writeln!(
            out,
            "- server memory: peak RSS (VmHWM) {:.1} MB, RSS at the end {:.1} MB",
            memory.peak_kb as f64 / 1024.0,
            memory.now_kb as f64 / 1024.0
        );
    }
    out.push_str(
        "\n| endpoint | conns | requests | p50 ms | p95 ms | p99 ms | req/s | db ms/req | stmts/req | p50 / db | server CPU ms/req | PostgreSQL CPU ms/req |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for row in rows {
        let (db_ms, statements) = match row.db {
            Some((ms, calls)) => (format!("{ms:.2}"), format!("{calls:.1}")),
            None => ("n/a".into(), "n/a".into()),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {}{} | {:.2} | {:.2} | {:.2} | {:.0} | {db_ms} | {statements} | {} | {:.2} | {:.2} |",
            row.endpoint,
            row.connections,
            row.requests,
            if row.errors > 0 {
                format!(" (not 200: {})", row.statuses)
            } else {
                String::new()
            },
            row.p50,
            row.p95,
            row.p99,
            row.rps,
            row.ratio().map_or("n/a".into(), |r| format!("{r:.1}")),
            row.cpu.0,
            row.cpu.1,
        );
    }
    for (endpoint, error) in &facts.failures {
        let _ = writeln!(
            out,
            "| {endpoint} | — | **failed** | {} | | | | | | | | |",
            error.replace('|', "/")
        );
    }
    out.push_str(
        "\ndb ms/req: execution plus planning time of every statement the server ran in the \
         application database during the measurement (pg_stat_statements), the session lookup \
         included, divided by the requests served; p50 / db: the median latency seen by the \
         client over that, so what the server, the network stack and the client add. CPU ms/req: \
         user and system time of the server process, and of the postmaster and its children, \
         over the measurement, per request; the load generator shares the same cores.\n",
    );
    if facts.stats {
        let _ = writeln!(
            out,
            "\n### Statements that took the most database time (at {} connection{})\n",
            config.connections[0],
            if config.connections[0] == 1 { "" } else { "s" }
        );
        for (endpoint, statements) in &facts.top {
            let _ = writeln!(out, "- {endpoint}");
            for s in statements {
                let _ = writeln!(
                    out,
                    "  - {} calls, {:.3} ms each, {} rows: `{}`",
                    s.calls,
                    s.total_ms / s.calls.max(1) as f64,
                    s.rows,
                    s.query
                        .chars()
                        .take(160)
                        .collect::<String>()
                        .replace('`', "'")
                );
            }
        }
    }
    if !facts.cancelled.is_empty() {
        out.push_str(
            "\n### Statements cancelled after their requests had timed out (not in pg_stat_statements)\n\n",
        );
        for (endpoint, leftovers) in &facts.cancelled {
            let _ = writeln!(out, "- {endpoint}");
            for l in leftovers {
                let _ = writeln!(
                    out,
                    "  - running for {:.1} s: `{}`",
                    l.seconds,
                    l.query
                        .chars()
                        .take(160)
                        .collect::<String>()
                        .replace('`', "'")
                );
            }
        }
    }
    out
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let ram_gb = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.split_whitespace().next()?.parse::<f64>().ok())
        .map_or("?".into(), |kb| format!("{:.1}", kb / 1024.0 / 1024.0));
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(crate::ROOT)
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default()
    };
    let dirty = if git(&["status", "--porcelain", "--untracked-files=no"]).is_empty() {
        ""
    } else {
        " (with uncommitted changes)"
    };
    // Other work on the machine skews every figure; say how busy it was.
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into());
    format!(
        "- machine: {cores} cores, {model}, {ram_gb} GB RAM, load average {load} at the end; {}; commit {}{dirty}",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        git(&["rev-parse", "--short", "HEAD"]),
    )
}

//! Signing in once, the pages to drive, and driving one of them with N connections: each
//! a task with its own client and keep-alive connection, every latency recorded.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use reqwest::header::{COOKIE, HeaderMap, HeaderValue, SET_COOKIE};

use super::database::{Picks, Stats};
use super::server::{Cpu, USERNAME};

const SESSION_COOKIE: &str = "tj_session";

pub struct Endpoint {
    pub name: &'static str,
    pub path: String,
    /// Text a real answer holds (beyond not being the sign-in page).
    pub expect: &'static str,
}

pub fn endpoints(picks: &Picks) -> Vec<Endpoint> {
    let at = |name, path: String, expect| Endpoint { name, path, expect };
    vec![
        at("dashboard", "/dashboard".into(), "<html"),
        at(
            "summary API",
            "/api/v1/survey/summary".into(),
            "\"members\"",
        ),
        at("units, first page", "/units".into(), "href=\"/units/"),
        at(
            "units, deep page",
            format!("/units?after={}", picks.deep_cursor),
            "href=\"/units/",
        ),
        at(
            "units, filtered",
            "/units?kind=enterprise&eligible_missing=true".into(),
            "<html",
        ),
        at(
            "member search, a name",
            format!("/members?q={}", urlencode(&picks.full_name)),
            "href=\"/members/",
        ),
        at(
            "member search, a surname",
            format!("/members?q={}", urlencode(&picks.surname)),
            "href=\"/members/",
        ),
        at(
            "organisation",
            format!("/organizations/{}", picks.organization),
            "<html",
        ),
        at("reminders", "/reminders".into(), "<html"),
        at(
            "applications",
            "/applications?state=submitted".into(),
            "<html",
        ),
        at(
            "activities, first page",
            "/activities".into(),
            "href=\"/activities/",
        ),
        at(
            "activities, calendar",
            "/activities/calendar".into(),
            "<html",
        ),
        at("activities API", "/api/v1/activities".into(), "\"items\""),
        at("volunteers, first page", "/volunteers".into(), "<html"),
        at(
            "a volunteer's record",
            format!("/members/{}", picks.volunteer),
            "志愿服务时长累计",
        ),
    ]
}

fn urlencode(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// Signs in through the form, once, and hands back the session cookie (`name=value`) that
/// every connection then sends: the server limits sign-ins per address.
pub async fn sign_in(base: &str, password: &str) -> anyhow::Result<String> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let page = client
        .get(format!("{base}/login"))
        .send()
        .await?
        .text()
        .await?;
    let marker = "name=\"csrf_token\" value=\"";
    let start = page.find(marker).context("no CSRF token on /login")? + marker.len();
    let token = &page[start..start + page[start..].find('"').context("CSRF token")?];
    let response = client
        .post(format!("{base}/login"))
        .form(&[
            ("username", USERNAME),
            ("password", password),
            ("csrf_token", token),
        ])
        .send()
        .await?;
    let wanted = format!("{SESSION_COOKIE}=");
    let cookie = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&wanted))
        .and_then(|v| v.split(';').next())
        .map(str::to_string);
    match cookie {
        Some(cookie) if response.status().is_redirection() => Ok(cookie),
        _ => bail!(
            "signing in as {USERNAME} failed: {} (the account's password is in the data folder's bench-password)",
            response.status()
        ),
    }
}

/// `n` clients, each keeping one connection, all with the session cookie.
pub fn clients(cookie: &str, n: usize) -> anyhow::Result<Vec<reqwest::Client>> {
    let mut headers = HeaderMap::new();
    headers.insert(COOKIE, HeaderValue::from_str(cookie)?);
    (0..n)
        .map(|_| {
            Ok(reqwest::Client::builder()
                .default_headers(headers.clone())
                .redirect(reqwest::redirect::Policy::none())
                .pool_max_idle_per_host(1)
                .tcp_nodelay(true)
                .build()?)
        })
        .collect()
}

/// One request, looked at closely: 200, and a real page rather than the sign-in form.
pub async fn check(
    client: &reqwest::Client,
    base: &str,
    endpoint: &Endpoint,
) -> anyhow::Result<()> {
    let sent = Instant::now();
    let response = client
        .get(format!("{base}{}", endpoint.path))
        .send()
        .await?;
    let status = response.status();
    let body = response.text().await?;
    if status != reqwest::StatusCode::OK {
        bail!(
            "{} ({}) answered {status} after {:.1} s",
            endpoint.name,
            endpoint.path,
            sent.elapsed().as_secs_f64()
        );
    }
    if body.contains("name=\"password\"") || !body.contains(endpoint.expect) {
        bail!(
            "{} ({}) did not answer the page (no {:?}, or the sign-in form): {}",
            endpoint.name,
            endpoint.path,
            endpoint.expect,
            body.chars().take(300).collect::<String>()
        );
    }
    Ok(())
}

/// Latencies of one measurement, in microseconds, and how long it took.
pub struct Run {
    pub latencies: Vec<u32>,
    /// Answers other than 200, by status.
    pub failed: BTreeMap<u16, u64>,
    pub elapsed: Duration,
}

/// Every client requests `url` again and again until `duration` has passed.
pub async fn drive(
    clients: &[reqwest::Client],
    url: &str,
    duration: Duration,
) -> anyhow::Result<Run> {
    let started = Instant::now();
    let deadline = started + duration;
    let tasks: Vec<_> = clients
        .iter()
        .map(|client| {
            let (client, url) = (client.clone(), url.to_string());
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(4096);
                let mut failed = BTreeMap::<u16, u64>::new();
                while Instant::now() < deadline {
                    let sent = Instant::now();
                    let response = client.get(&url).send().await?;
                    let status = response.status();
                    response.bytes().await?;
                    latencies.push(sent.elapsed().as_micros().min(u32::MAX as u128) as u32);
                    if status != reqwest::StatusCode::OK {
                        *failed.entry(status.as_u16()).or_default() += 1;
                    }
                }
                anyhow::Ok((latencies, failed))
            })
        })
        .collect();
    let mut run = Run {
        latencies: Vec::new(),
        failed: BTreeMap::new(),
        elapsed: Duration::ZERO,
    };
    for task in tasks {
        let (latencies, failed) = task.await??;
        run.latencies.extend(latencies);
        for (status, n) in failed {
            *run.failed.entry(status).or_default() += n;
        }
    }
    run.elapsed = started.elapsed();
    Ok(run)
}

/// One line of the table.
pub struct Row {
    pub endpoint: &'static str,
    pub connections: usize,
    pub requests: usize,
    pub errors: u64,
    /// The errors by status, e.g. `48 × 503`.
    pub statuses: String,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub rps: f64,
    /// Database milliseconds and statements per request.
    pub db: Option<(f64, f64)>,
    /// CPU milliseconds per request of the server and of PostgreSQL.
    pub cpu: (f64, f64),
}

/// The nearest-rank percentile of sorted microseconds, in milliseconds.
fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    f64::from(sorted[rank.clamp(1, sorted.len()) - 1]) / 1000.0
}

impl Row {
    pub fn new(
        endpoint: &'static str,
        connections: usize,
        mut run: Run,
        stats: Option<Stats>,
        cpu: Cpu,
    ) -> Row {
        run.latencies.sort_unstable();
        let requests = run.latencies.len();
        let per_request = |x: f64| x / requests.max(1) as f64;
        Row {
            endpoint,
            connections,
            requests,
            errors: run.failed.values().sum(),
            statuses: run
                .failed
                .iter()
                .map(|(status, n)| format!("{n} × {status}"))
                .collect::<Vec<_>>()
                .join(", "),
            p50: percentile(&run.latencies, 50.0),
            p95: percentile(&run.latencies, 95.0),
            p99: percentile(&run.latencies, 99.0),
            rps: requests as f64 / run.elapsed.as_secs_f64(),
            db: stats.map(|s| (per_request(s.ms), per_request(s.calls as f64))),
            cpu: (per_request(cpu.server), per_request(cpu.postgres)),
        }
    }

    /// p50 over the database's time per request: how much the server adds.
    pub fn ratio(&self) -> Option<f64> {
        self.db
            .filter(|(ms, _)| *ms > 0.0)
            .map(|(ms, _)| self.p50 / ms)
    }

    pub fn summary(&self) -> String {
        format!(
            "bench: {:<18} c={:<3} p50 {:.2} ms  p95 {:.2} ms  p99 {:.2} ms  {:.0} req/s{}",
            self.endpoint,
            self.connections,
            self.p50,
            self.p95,
            self.p99,
            self.rps,
            if self.errors > 0 {
                format!("  not 200: {}", self.statuses)
            } else {
                String::new()
            }
        )
    }
}

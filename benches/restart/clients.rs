//! The drill's clients: each signs in as the demo committee account with its own session,
//! then alternately reads the dashboard (`/dashboard`) and records an activity whose title names the
//! client and the attempt, so that every acknowledged write can be looked for afterwards.

use std::time::{Duration, Instant};

use anyhow::Context;
use futures_util::StreamExt;

/// The demo committee account (DESIGN.md §6).
const USERNAME: &str = "committee";
const PASSWORD: &str = "demo-pass-2018";
/// Sign-ins at once: each costs an Argon2 hash on the server.
const SIGN_IN_AT_ONCE: usize = 8;

/// A signed-in client, its session's CSRF token and the organiser it records for (the
/// first the form offers).
pub struct Session {
    client: reqwest::Client,
    csrf: String,
    organizer: String,
}

/// What became of one request.
pub enum Outcome {
    /// The dashboard answered 200.
    Read,
    /// The activity with this title was acknowledged (303 to its page).
    Recorded(String),
    /// Anything else: the status or the error's kind.
    Failed(String),
}

/// One request, its times from the drill's start.
pub struct Request {
    pub sent: Duration,
    pub ended: Duration,
    pub outcome: Outcome,
}

fn csrf_in(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

async fn sign_in(base: &str) -> anyhow::Result<Session> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(1)
        .timeout(Duration::from_secs(40))
        .build()?;
    let page = client
        .get(format!("{base}/login"))
        .send()
        .await?
        .text()
        .await?;
    let token = csrf_in(&page).context("no CSRF token on /login")?;
    let response = client
        .post(format!("{base}/login"))
        .form(&[
            ("username", USERNAME),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .await?;
    anyhow::ensure!(
        response.status() == 303,
        "sign-in answered {}",
        response.status()
    );
    let form = client
        .get(format!("{base}/activities/new"))
        .send()
        .await?
        .text()
        .await?;
    let csrf = csrf_in(&form).context("no CSRF token on /activities/new")?;
    let organizer = form
        .split("name=\"organization_id\"")
        .nth(1)
        .and_then(|rest| rest.split("<option value=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .context("no organiser on /activities/new")?
        .to_string();
    Ok(Session {
        client,
        csrf,
        organizer,
    })
}

/// Signs in `n` clients, a few at a time.
pub async fn sign_in_all(base: &str, n: usize) -> anyhow::Result<Vec<Session>> {
    futures_util::stream::iter(0..n)
        .map(|_| sign_in(base))
        .buffer_unordered(SIGN_IN_AT_ONCE)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect()
}

fn failure(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "timeout".to_string()
    } else if error.is_connect() {
        "connect".to_string()
    } else {
        "transport".to_string()
    }
}

/// Drives one client until the deadline; returns every request it made.
pub async fn drive(
    session: Session,
    base: String,
    client_number: usize,
    started: Instant,
    deadline: Instant,
) -> anyhow::Result<Vec<Request>> {
    let mut requests = Vec::new();
    let mut attempt = 0usize;
    while Instant::now() < deadline {
        let sent = started.elapsed();
        let outcome = match session.client.get(format!("{base}/dashboard")).send().await {
            Ok(r) if r.status() == 200 => match r.text().await {
                Ok(_) => Outcome::Read,
                Err(e) => Outcome::Failed(failure(&e)),
            },
            Ok(r) => Outcome::Failed(format!("GET {}", r.status().as_u16())),
            Err(e) => Outcome::Failed(failure(&e)),
        };
        requests.push(Request {
            sent,
            ended: started.elapsed(),
            outcome,
        });
        attempt += 1;
        let title = format!("drill-{client_number}-{attempt}");
        let sent = started.elapsed();
        let response = session
            .client
            .post(format!("{base}/activities"))
            .form(&[
                ("organization_id", session.organizer.as_str()),
                ("kind", "volunteer"),
                ("title", title.as_str()),
                ("starts_at", "2018-06-09T09:00"),
                ("ends_at", "2018-06-09T18:30"),
                ("place", "五彩湾赛段"),
                ("description", "重启演练"),
                ("csrf_token", session.csrf.as_str()),
            ])
            .send()
            .await;
        let outcome = match response {
            Ok(r) if r.status() == 303 => Outcome::Recorded(title),
            Ok(r) => Outcome::Failed(format!("POST {}", r.status().as_u16())),
            Err(e) => Outcome::Failed(failure(&e)),
        };
        requests.push(Request {
            sent,
            ended: started.elapsed(),
            outcome,
        });
    }
    Ok(requests)
}

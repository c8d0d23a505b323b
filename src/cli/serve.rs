//! `tuanjian serve`: the settings from the flags, the database and keys, the demo when
//! asked, the hourly pass, and the server until it is told to stop.

use anyhow::{Context, bail};

use crate::clock::Clock;
use crate::config::{ServeArgs, Settings};
use crate::domain::retention::Retention;
use crate::pg::Urls;
use crate::startup;
use crate::state::AppState;

use super::open_database;

pub(super) async fn serve(
    data_dir: &std::path::Path,
    key_file: &std::path::Path,
    urls: Urls<'_>,
    clock: Clock,
    args: ServeArgs,
) -> anyhow::Result<()> {
    if args.demo && !args.bind.ip().is_loopback() {
        bail!(
            "demo mode has well-known passwords and only binds to a loopback address, not {}",
            args.bind
        );
    }
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("binding {}", args.bind))?;
    let database = open_database(data_dir, urls).await?;
    let mut settings = Settings {
        retention: Retention::of_years(args.retention_years)
            .context("--retention-years must be 1 to 30")?,
        ..Settings::for_serving(args.bind, args.public_url.as_deref(), args.trust_proxy)
    };
    settings.second_factor_required = match &args.second_factor_required {
        Some(roles) => roles.0.clone(),
        // The demo's accounts have no authenticator: anyone may enrol one to try it.
        None if args.demo => Vec::new(),
        None => settings.second_factor_required,
    };
    let keys = crate::crypto::load(key_file)?;
    let state = AppState::new(database.pool.clone(), clock, settings, keys);
    let result = async {
        // the kept activity totals count years in the zone's time zone
        if crate::db::activity_total::use_time_zone(&state.db, state.clock.zone().name()).await? {
            tracing::info!("time zone changed: activity totals recounted");
        }
        if args.demo {
            crate::demo::load(&state).await?;
        }
        tokio::spawn(hourly(state.clone()));
        println!("tuanjian is serving at http://{}", args.bind);
        if args.demo {
            println!("{}", crate::demo::accounts_notice());
        }
        startup::serve(listener, state).await
    }
    .await;
    database.close().await;
    result
}

/// Once an hour, from the start: `startup::housekeeping::run`.
async fn hourly(state: AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        crate::startup::housekeeping::run(&state).await;
    }
}

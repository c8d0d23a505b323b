//! The command line: parse, set up logging, open the database, run the command. Creating
//! an account, with its password prompt, has a file of its own.

use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Parser;
use tracing_subscriber::EnvFilter;

use crate::clock::Clock;
use crate::config::{
    AccountCommand, Cli, Command, KeysCommand, ReportCommand, ServeArgs, Settings, SurveyCommand,
};
use crate::db::audit::Actor;
use crate::import::ImportError;
use crate::pg::Database;
use crate::startup;
use crate::state::AppState;

mod account;
mod report;

use account::create_account;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let json = std::env::var("TUANJIAN_LOG_FORMAT").is_ok_and(|f| f == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => {
            serve(
                &cli.data_dir,
                cli.database_url.as_deref(),
                Clock::new(cli.time_zone),
                args,
            )
            .await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Account(AccountCommand::Create {
            username,
            role,
            unit,
            display_name,
        }) => {
            let database = open_database(&cli.data_dir, cli.database_url.as_deref()).await?;
            let result =
                create_account(&database, &username, role, unit.as_deref(), &display_name).await;
            database.close().await;
            result?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Keys(KeysCommand::Rotate) => {
            if std::env::var_os("TUANJIAN_KEYS").is_some() {
                bail!(
                    "the keys are given in TUANJIAN_KEYS: add a line `enc:N:KEY` there, then run this with the keys in a file"
                );
            }
            let path = crate::crypto::key_file(&cli.data_dir);
            let database = open_database(&cli.data_dir, cli.database_url.as_deref()).await?;
            let result = async {
                let (keys, version) = crate::crypto::rotate_file(&path)?;
                let rewritten = crate::db::member::reencrypt(&database.pool, &keys).await?;
                let secrets = crate::db::second_factor::reencrypt(&database.pool, &keys).await?;
                println!(
                    "key version {version} added to {}; {rewritten} members and {secrets} second factors re-encrypted",
                    path.display()
                );
                anyhow::Ok(())
            }
            .await;
            database.close().await;
            result?;
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(feature = "generate")]
        Command::Generate(args) => {
            let keys = std::sync::Arc::new(crate::crypto::load(&cli.data_dir)?);
            let database = open_database(&cli.data_dir, cli.database_url.as_deref()).await?;
            let result = crate::generate::run(&database.pool, keys, args).await;
            database.close().await;
            result?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Report(ReportCommand::WorkSummary {
            period,
            survey,
            format,
            output,
        }) => {
            let database = open_database(&cli.data_dir, cli.database_url.as_deref()).await?;
            let clock = Clock::new(cli.time_zone);
            let code =
                report::work_summary(&database, &clock, &period, survey, format, output).await;
            database.close().await;
            code
        }
        Command::Survey(SurveyCommand::Import { file, as_of }) => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let database = open_database(&cli.data_dir, cli.database_url.as_deref()).await?;
            let code = import_survey(&database, bytes, as_of).await;
            database.close().await;
            code
        }
    }
}

/// Prints each fault as `第N行 列名：原因` and exits 1, or prints the totals and exits 0.
async fn import_survey(
    database: &Database,
    bytes: Vec<u8>,
    as_of: Option<chrono::NaiveDate>,
) -> anyhow::Result<ExitCode> {
    let actor = Actor::system("(command line)", "local");
    match crate::services::survey_import::import_survey(
        &database.pool,
        bytes,
        as_of,
        &actor,
        chrono::Utc::now(),
    )
    .await
    {
        Ok(done) => {
            println!(
                "已导入截止{}的摸排数据：{}行，变更{}处。",
                done.as_of, done.rows, done.changed
            );
            for (_, label, value) in done.summary.figures() {
                println!("{label}\t{value}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportError::Faults(faults)) => {
            for fault in &faults {
                println!("{fault}");
            }
            eprintln!("共{}处错误，未导入任何数据。", faults.len());
            Ok(ExitCode::FAILURE)
        }
        Err(ImportError::Database(e)) => Err(e.into()),
        Err(other) => {
            println!("{other}");
            eprintln!("未导入任何数据。");
            Ok(ExitCode::FAILURE)
        }
    }
}

async fn serve(
    data_dir: &std::path::Path,
    database_url: Option<&str>,
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
    let database = open_database(data_dir, database_url).await?;
    let mut settings =
        Settings::for_serving(args.bind, args.public_url.as_deref(), args.trust_proxy);
    settings.second_factor_required = match &args.second_factor_required {
        Some(roles) => roles.0.clone(),
        // The demo's accounts have no authenticator: anyone may enrol one to try it.
        None if args.demo => Vec::new(),
        None => settings.second_factor_required,
    };
    let keys = crate::crypto::load(data_dir)?;
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

/// The database opened as `Database::open` does, then the names stored before the one
/// name rule rewritten through it (`services::names`, once).
async fn open_database(
    data_dir: &std::path::Path,
    database_url: Option<&str>,
) -> anyhow::Result<Database> {
    let database = Database::open(data_dir, database_url).await?;
    match crate::services::names::normalize_stored(&database.pool, chrono::Utc::now())
        .await
        .context("normalising the names stored before the name rule")?
    {
        Some(done) if done != Default::default() => {
            tracing::info!(?done, "stored names normalised")
        }
        _ => {}
    }
    Ok(database)
}

/// Once an hour, from the start: `startup::housekeeping::run`.
async fn hourly(state: AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        crate::startup::housekeeping::run(&state).await;
    }
}

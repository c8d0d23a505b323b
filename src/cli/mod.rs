//! The command line: parse, set up logging, open the database, run the command. Creating
//! an account, with its password prompt, and serving have files of their own.

use std::process::ExitCode;

use anyhow::{Context, bail};
use tracing_subscriber::EnvFilter;

use crate::clock::Clock;
use crate::config::{
    AccountCommand, AuditCommand, Cli, Command, KeysCommand, ReportCommand, SurveyCommand,
};
use crate::db::audit::Actor;
use crate::import::ImportError;
use crate::pg::{Database, Urls};

mod account;
mod audit;
mod backup;
mod report;
mod serve;

use account::create_account;

pub fn main() -> ExitCode {
    let cli = parse(std::env::args_os()).unwrap_or_else(|e| e.exit());
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

/// The command line and environment, noting whether the data folder was given.
fn parse<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::{CommandFactory, FromArgMatches};
    let matches = Cli::command().try_get_matches_from(args)?;
    let mut cli = Cli::from_arg_matches(&matches)?;
    cli.data_dir_given = matches
        .value_source("data_dir")
        .is_some_and(|source| source != clap::parser::ValueSource::DefaultValue);
    Ok(cli)
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
    let urls = Urls {
        app: cli.database_url.as_deref(),
        owner: cli.database_owner_url.as_deref(),
    };
    let key_file =
        || crate::crypto::key_file(cli.keys_file.as_deref(), &cli.data_dir, cli.data_dir_given);
    match cli.command {
        Command::Serve(args) => {
            serve::serve(
                &cli.data_dir,
                &key_file(),
                urls,
                Clock::new(cli.time_zone),
                args,
            )
            .await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { file } => {
            backup::backup(&cli.data_dir, urls, &file).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { file, replace } => {
            backup::restore(&cli.data_dir, urls, &file, replace).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Account(AccountCommand::Create {
            username,
            role,
            unit,
            display_name,
        }) => {
            let database = open_database(&cli.data_dir, urls).await?;
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
            let path = key_file();
            let database = open_database(&cli.data_dir, urls).await?;
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
            let keys = std::sync::Arc::new(crate::crypto::load(&key_file())?);
            let database = open_database(&cli.data_dir, urls).await?;
            // The generator's bulk load switches triggers off, which only the owner may.
            let owner = database.owner_pool().await?;
            let result = crate::generate::run(&owner, keys, args).await;
            owner.close().await;
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
            let database = open_database(&cli.data_dir, urls).await?;
            let clock = Clock::new(cli.time_zone);
            let code =
                report::work_summary(&database, &clock, &period, survey, format, output).await;
            database.close().await;
            code
        }
        Command::Audit(command) => {
            let database = open_database(&cli.data_dir, urls).await?;
            let clock = Clock::new(cli.time_zone);
            let code = match command {
                AuditCommand::Verify { archives } => audit::verify(&database, &archives).await,
                AuditCommand::Archive { before, file } => {
                    audit::archive(&database, &clock, before, &file).await
                }
            };
            database.close().await;
            code
        }
        Command::Survey(SurveyCommand::Import { file, as_of }) => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let database = open_database(&cli.data_dir, urls).await?;
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

/// The database opened as `Database::open` does, then the names stored before the one
/// name rule rewritten through it (`services::names`, once).
pub(crate) async fn open_database(
    data_dir: &std::path::Path,
    urls: Urls<'_>,
) -> anyhow::Result<Database> {
    let database = Database::open(data_dir, urls).await?;
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_data_folder_counts_as_given_only_when_it_was() {
        let defaulted = super::parse(["tuanjian", "backup", "x.zip"]).unwrap();
        assert!(!defaulted.data_dir_given);
        let given = super::parse(["tuanjian", "backup", "x.zip", "--data-dir", "/srv/tj"]).unwrap();
        assert!(given.data_dir_given);
        assert_eq!(given.data_dir, std::path::PathBuf::from("/srv/tj"));
    }
}

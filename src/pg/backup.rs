//! Backup and restore at the database's level: pg_dump's custom format out of the managed
//! cluster or DATABASE_URL's server, and pg_restore into a scratch database that is
//! migrated and only then renamed over the target, so that a failed restore leaves the
//! data that was there (`restore`). Both run as the owner, without owners or grants in the
//! dump. The file around the dump (manifest, checksum) is `cli::backup`'s.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection};

use super::cluster::{PORT, SUPERUSER};
use super::install::{PACKAGE_HINT, find_binaries};
use super::{Cluster, DATABASE_NAME};

mod restore;

pub use restore::Target;

/// The server and the database a backup is taken from or restored into.
pub struct Server {
    /// The folder of pg_dump and pg_restore.
    bin: PathBuf,
    /// How the sqlx connections reach the server, as the owner.
    options: PgConnectOptions,
    /// How pg_dump and pg_restore reach it.
    libpq: Libpq,
    database: String,
    cluster: Option<Cluster>,
}

enum Libpq {
    Socket(PathBuf),
    /// DATABASE_URL without its password, which goes in PGPASSWORD: never on a command line
    /// that `ps` shows.
    Url(url::Url, Option<String>),
}

impl Server {
    /// DATABASE_URL's server or the managed cluster under `data_dir`, started (created on a
    /// fresh folder) or, when a server already runs it, adopted and left running.
    pub async fn open(data_dir: &Path, database_url: Option<&str>) -> anyhow::Result<Server> {
        match database_url {
            Some(text) => {
                let options: PgConnectOptions = text
                    .parse()
                    .context("DATABASE_URL is not a valid PostgreSQL URL")?;
                let mut url = url::Url::parse(text).context("DATABASE_URL is not a URL")?;
                let password = url.password().map(|p| {
                    percent_encoding::percent_decode_str(p)
                        .decode_utf8_lossy()
                        .into_owned()
                });
                let _ = url.set_password(None);
                // sqlx's own parameters mean nothing to libpq, which refuses them.
                let kept: Vec<(String, String)> = url
                    .query_pairs()
                    .filter(|(k, _)| k != "statement-cache-capacity")
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                url.set_query(None);
                if !kept.is_empty() {
                    url.query_pairs_mut().extend_pairs(kept);
                }
                let database = options
                    .get_database()
                    .unwrap_or(options.get_username())
                    .to_string();
                Ok(Server {
                    bin: client_bin()?,
                    options,
                    libpq: Libpq::Url(url, password),
                    database,
                    cluster: None,
                })
            }
            None => {
                let data_dir = data_dir.to_path_buf();
                let cluster =
                    tokio::task::spawn_blocking(move || Cluster::start_managed(&data_dir))
                        .await??;
                let bin = match clients_beside(cluster.bin()) {
                    Some(bin) => bin,
                    None => client_bin()?,
                };
                Ok(Server {
                    bin,
                    options: cluster.connect_options(DATABASE_NAME),
                    libpq: Libpq::Socket(cluster.socket_dir().to_path_buf()),
                    database: DATABASE_NAME.to_string(),
                    cluster: Some(cluster),
                })
            }
        }
    }

    pub fn database(&self) -> &str {
        &self.database
    }

    /// Stops the managed cluster if this command started it, never a server's.
    pub async fn close(self) {
        if let Some(cluster) = self.cluster
            && cluster.started_here()
            && let Ok(Err(e)) = tokio::task::spawn_blocking(move || cluster.stop()).await
        {
            tracing::error!(error = ?e, "stopping PostgreSQL");
        }
    }

    async fn connect(&self, database: &str) -> anyhow::Result<PgConnection> {
        PgConnection::connect_with(&self.options.clone().database(database))
            .await
            .with_context(|| format!("connecting to the database {database}"))
    }

    /// A connection to the server's maintenance database, from which databases are made,
    /// renamed and dropped.
    async fn maintenance(&self) -> anyhow::Result<PgConnection> {
        match self.connect("postgres").await {
            Ok(conn) => Ok(conn),
            Err(_) => self.connect("template1").await,
        }
    }

    /// The highest migration applied to the database.
    pub async fn schema_version(&self) -> anyhow::Result<i64> {
        let mut conn = self.connect(&self.database).await?;
        let migrated: bool =
            sqlx::query_scalar("select to_regclass('_sqlx_migrations') is not null")
                .fetch_one(&mut conn)
                .await?;
        if !migrated {
            bail!("{} is not a tuanjian database", self.database);
        }
        let version: Option<i64> =
            sqlx::query_scalar("select max(version) from _sqlx_migrations where success")
                .fetch_one(&mut conn)
                .await?;
        conn.close().await.ok();
        version.with_context(|| format!("{} has no migrations applied", self.database))
    }

    /// Writes the database in pg_dump's custom format to `out` (blocking).
    pub fn dump(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut child = self
            .program("pg_dump", &self.database)
            .args(["--format=custom", "--no-owner", "--no-privileges"])
            .stdout(Stdio::piped())
            .spawn()
            .context("running pg_dump")?;
        let errors = read_errors(&mut child);
        let mut stdout = child.stdout.take().expect("piped");
        let copied = std::io::copy(&mut stdout, out);
        drop(stdout);
        let status = child.wait()?;
        let errors = errors.join().unwrap_or_default();
        if !status.success() {
            bail!("pg_dump failed: {errors}");
        }
        copied.context("writing the dump")?;
        Ok(())
    }

    /// A PostgreSQL client program reaching `database` as the owner.
    fn program(&self, name: &str, database: &str) -> Command {
        let mut command = Command::new(self.bin.join(name));
        command
            .stdin(Stdio::null())
            .stderr(Stdio::piped())
            .env_remove("PGPASSWORD")
            .env_remove("PGSERVICE");
        match &self.libpq {
            Libpq::Socket(dir) => {
                command
                    .env("PGHOST", dir)
                    .env("PGPORT", PORT.to_string())
                    .env("PGUSER", SUPERUSER)
                    .arg(format!("--dbname={database}"));
            }
            Libpq::Url(url, password) => {
                let mut url = url.clone();
                url.set_path(&format!("/{database}"));
                command.arg(format!("--dbname={url}"));
                if let Some(password) = password {
                    command.env("PGPASSWORD", password);
                }
            }
        }
        command
    }
}

/// pg_dump and pg_restore: beside the newest server installation, else on PATH.
fn client_bin() -> anyhow::Result<PathBuf> {
    find_binaries()
        .and_then(|bin| clients_beside(&bin))
        .or_else(|| {
            std::env::var_os("PATH")
                .and_then(|path| std::env::split_paths(&path).find(|dir| has_clients(dir)))
        })
        .context(PACKAGE_HINT)
}

/// The folder of pg_dump and pg_restore of the installation `bin` belongs to: `bin` may
/// hold only links to the server's programs (/usr/local/bin), then the real folder counts.
fn clients_beside(bin: &Path) -> Option<PathBuf> {
    let real = std::fs::canonicalize(bin.join("postgres"))
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf));
    [Some(bin.to_path_buf()), real]
        .into_iter()
        .flatten()
        .find(|dir| has_clients(dir))
}

fn has_clients(dir: &Path) -> bool {
    ["pg_dump", "pg_restore"]
        .iter()
        .all(|p| dir.join(p).is_file())
}

/// Reads the program's error output on a thread of its own, so that neither side blocks.
fn read_errors(child: &mut std::process::Child) -> std::thread::JoinHandle<String> {
    let mut stderr = child.stderr.take().expect("piped");
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    })
}

async fn database_exists(conn: &mut PgConnection, name: &str) -> anyhow::Result<bool> {
    Ok(
        sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
            .bind(name)
            .fetch_one(conn)
            .await?,
    )
}

async fn execute(conn: &mut PgConnection, sql: &str) -> anyhow::Result<()> {
    sqlx::query(sql)
        .execute(conn)
        .await
        .with_context(|| sql.to_string())?;
    Ok(())
}

fn quote(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

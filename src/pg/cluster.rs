//! A PostgreSQL cluster this program manages itself under `DATA_DIR/postgres`, using the
//! machine's PostgreSQL binaries: initdb on first use, start on a private Unix socket (no
//! TCP at all), adopt a server left running by a crashed process, clear a stale pid file,
//! and stop. Started as root, PostgreSQL runs as the unprivileged `postgres` user.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};

use super::install::{PACKAGE_HINT, find_binaries, has_module, is_root, lookup_user};

/// Inside its own socket folder the port number only names the socket file.
pub const PORT: u16 = 5432;
pub(super) const SUPERUSER: &str = "postgres";

#[derive(Debug)]
pub struct Cluster {
    pgdata: PathBuf,
    socket_dir: PathBuf,
    bin: PathBuf,
    /// uid and gid to run PostgreSQL as, when this process is root.
    run_as: Option<(u32, u32)>,
    /// Durability traded for speed: only for throwaway test clusters.
    fast_unsafe: bool,
    started_here: bool,
}

impl Cluster {
    /// The cluster under `data_dir/postgres`, initialised and started if need be.
    pub fn start_managed(data_dir: &Path) -> anyhow::Result<Cluster> {
        let mut cluster = Cluster::new(data_dir, false)?;
        cluster.ensure_running()?;
        Ok(cluster)
    }

    /// A throwaway cluster for a test run: fsync off, never to hold real data.
    pub fn start_throwaway(data_dir: &Path) -> anyhow::Result<Cluster> {
        let mut cluster = Cluster::new(data_dir, true)?;
        cluster.ensure_running()?;
        Ok(cluster)
    }

    fn new(data_dir: &Path, fast_unsafe: bool) -> anyhow::Result<Cluster> {
        let bin = find_binaries().context(PACKAGE_HINT)?;
        fs::create_dir_all(data_dir)
            .with_context(|| format!("creating data folder {}", data_dir.display()))?;
        let data_dir = fs::canonicalize(data_dir)?;
        let pgdata = data_dir.join("postgres");
        let run_as = if is_root() {
            Some(lookup_user(SUPERUSER).context(
                "running as root, PostgreSQL needs an unprivileged user named `postgres` \
                 (it exists once the postgresql package is installed)",
            )?)
        } else {
            None
        };
        // A Unix socket path may hold at most 107 bytes.
        let socket_file = format!("/.s.PGSQL.{PORT}");
        let socket_dir = if pgdata.as_os_str().len() + socket_file.len() < 100 {
            pgdata.clone()
        } else {
            PathBuf::from(format!(
                "/tmp/tuanjian-pg-{:016x}",
                fnv1a(pgdata.as_os_str().as_encoded_bytes())
            ))
        };
        Ok(Cluster {
            pgdata,
            socket_dir,
            bin,
            run_as,
            fast_unsafe,
            started_here: false,
        })
    }

    pub fn pgdata(&self) -> &Path {
        &self.pgdata
    }

    /// The folder of the server's Unix socket, for the client programs (pg_dump).
    pub fn socket_dir(&self) -> &Path {
        &self.socket_dir
    }

    /// The folder of the PostgreSQL programs this cluster runs with.
    pub fn bin(&self) -> &Path {
        &self.bin
    }

    /// True when this process started the server (rather than finding it running).
    pub fn started_here(&self) -> bool {
        self.started_here
    }

    pub fn connect_options(&self, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(&self.socket_dir)
            .port(PORT)
            .username(SUPERUSER)
            .database(database)
    }

    /// Creates `name` unless it exists.
    pub async fn create_database(&self, name: &str) -> anyhow::Result<()> {
        let mut conn = PgConnection::connect_with(&self.connect_options("postgres")).await?;
        let exists: bool =
            sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
                .bind(name)
                .fetch_one(&mut conn)
                .await?;
        if !exists {
            sqlx::query(&format!("create database \"{name}\""))
                .execute(&mut conn)
                .await?;
        }
        conn.close().await?;
        Ok(())
    }

    fn ensure_running(&mut self) -> anyhow::Result<()> {
        if !self.pgdata.join("PG_VERSION").exists() {
            self.init()?;
        }
        if self.socket_dir != self.pgdata {
            self.make_private_dir(&self.socket_dir.clone())?;
        }
        if self.postmaster_pid().is_some() {
            tracing::info!(pgdata = %self.pgdata.display(), "adopting a running PostgreSQL");
            return Ok(());
        }
        let stale = self.pgdata.join("postmaster.pid");
        if stale.exists() {
            tracing::warn!("removing a stale postmaster.pid left by a crash");
            fs::remove_file(&stale).context("removing stale postmaster.pid")?;
        }
        let mut options = format!(
            "-c listen_addresses='' -c unix_socket_directories='{}' -p {PORT}",
            self.socket_dir.display()
        );
        // The data sits on local disk and mostly in the page cache: an index probe costs
        // little more than a sequential read. At the default of 4, lists over small tables
        // were planned as hash joins over whole tables (3 ms instead of 0.3 ms at 50k members).
        options.push_str(" -c random_page_cost=1.1");
        if self.fast_unsafe {
            options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        // Per-statement timings (pg_stat_statements) cost little and are what one needs to
        // find a slow query in production; the benchmark reads them to set the database's
        // own time beside the server's. Only where the machine's PostgreSQL ships the module,
        // since a missing preload library would stop the server from starting.
        if has_module(&self.bin, "pg_stat_statements") {
            options.push_str(" -c shared_preload_libraries=pg_stat_statements");
        }
        let log = self.pgdata.join("server.log");
        let output = self
            .command("pg_ctl")
            .args(["start", "-w", "-t", "60", "-D"])
            .arg(&self.pgdata)
            .arg("-l")
            .arg(&log)
            .arg("-o")
            .arg(options)
            .output()
            .context("running pg_ctl start")?;
        if !output.status.success() {
            let tail = fs::read_to_string(&log).unwrap_or_default();
            let tail: Vec<&str> = tail.lines().rev().take(15).collect();
            bail!(
                "PostgreSQL did not start: {}{}\n{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr),
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
        self.started_here = true;
        tracing::info!(pgdata = %self.pgdata.display(), "PostgreSQL started");
        Ok(())
    }

    fn init(&self) -> anyhow::Result<()> {
        self.make_private_dir(&self.pgdata)?;
        tracing::info!(pgdata = %self.pgdata.display(), "initialising a new PostgreSQL cluster");
        let output = self
            .command("initdb")
            .arg("-D")
            .arg(&self.pgdata)
            .args(["-U", SUPERUSER, "-E", "UTF8", "--no-locale", "--auth=trust"])
            .output()
            .context("running initdb")?;
        if !output.status.success() {
            bail!(
                "initdb failed (is {} reachable by the PostgreSQL user?):\n{}",
                self.pgdata.display(),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(())
    }

    /// Stops the server and waits until it has gone.
    pub fn stop(&self) -> anyhow::Result<()> {
        if self.postmaster_pid().is_none() {
            return Ok(());
        }
        let output = self
            .command("pg_ctl")
            .args(["stop", "-w", "-t", "60", "-m", "fast", "-D"])
            .arg(&self.pgdata)
            .output()
            .context("running pg_ctl stop")?;
        if !output.status.success() {
            bail!("pg_ctl stop: {}", String::from_utf8_lossy(&output.stderr));
        }
        Ok(())
    }

    /// The pid of a live postmaster for this data folder, if there is one. A pid file whose
    /// process is gone, or is now some other program, does not count.
    pub fn postmaster_pid(&self) -> Option<u32> {
        let text = fs::read_to_string(self.pgdata.join("postmaster.pid")).ok()?;
        let pid: u32 = text.lines().next()?.trim().parse().ok()?;
        let comm = fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
        let cwd = fs::read_link(format!("/proc/{pid}/cwd")).ok();
        let is_ours = comm.trim() == "postgres" && cwd.is_none_or(|cwd| cwd == self.pgdata);
        is_ours.then_some(pid)
    }

    fn make_private_dir(&self, dir: &Path) -> anyhow::Result<()> {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
        if let Some((uid, gid)) = self.run_as {
            std::os::unix::fs::chown(dir, Some(uid), Some(gid))
                .with_context(|| format!("giving {} to the postgres user", dir.display()))?;
        }
        Ok(())
    }

    /// A PostgreSQL program, as the unprivileged user when we are root, in its own process
    /// group so that a Ctrl-C at the terminal reaches us and we stop it in order.
    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(self.bin.join(program));
        command
            .current_dir("/")
            .env_remove("PGDATA")
            .env_remove("PGHOST")
            .env_remove("PGPORT")
            .stdin(Stdio::null())
            .process_group(0);
        if let Some((uid, gid)) = self.run_as {
            command.uid(uid).gid(gid).env("HOME", &self.pgdata);
        }
        command
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x100000001b3)
    })
}

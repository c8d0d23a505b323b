//! The server under test: its data folder (generated once, then reused), the bench's
//! account, the process itself, and stopping it and its PostgreSQL whatever happens.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};

use crate::Config;

pub const USERNAME: &str = "bench-committee";
/// Written once the data folder holds complete data; its text says which.
const MARKER: &str = "bench-data";
const PASSWORD_FILE: &str = "bench-password";

/// The prepared data folder.
pub struct Data {
    /// How the data was made: `generate --scale S`.
    pub source: String,
    pub password: String,
}

/// Makes sure the data folder holds the scale's data and the bench account.
pub fn prepare(config: &Config) -> anyhow::Result<Data> {
    let dir = &config.data_dir;
    crate::process::stop_leftover_cluster(dir)?;
    let source = format!("generate --scale {}", config.scale);
    let marker = dir.join(MARKER);
    if fs::read_to_string(&marker).ok().as_deref() != Some(source.as_str()) {
        if dir.exists() {
            eprintln!("bench: clearing {} for fresh data", dir.display());
            fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
        }
        fs::create_dir_all(dir)?;
        eprintln!(
            "bench: {source} into {} (once; reused later)",
            dir.display()
        );
        let started = Instant::now();
        let status = command(config)
            .args(["generate", "--scale", &config.scale])
            .status()
            .context("running generate")?;
        if !status.success() {
            bail!("generate failed ({status})");
        }
        eprintln!(
            "bench: generated in {:.0} s",
            started.elapsed().as_secs_f64()
        );
        fs::write(&marker, &source)?;
    }
    let password = password(dir)?;
    create_account(config, &password)?;
    Ok(Data { source, password })
}

fn command(config: &Config) -> Command {
    let mut command = Command::new(&config.bin);
    command
        .arg("--data-dir")
        .arg(&config.data_dir)
        .env_remove("DATABASE_URL")
        .env_remove("TUANJIAN_DATA_DIR")
        .env_remove("TUANJIAN_KEYS")
        .env_remove("TUANJIAN_KEYS_FILE");
    command
}

/// The bench account's password, made up on first use and kept beside the data.
fn password(dir: &Path) -> anyhow::Result<String> {
    let path = dir.join(PASSWORD_FILE);
    if let Ok(text) = fs::read_to_string(&path) {
        return Ok(text.trim().to_string());
    }
    let mut bytes = [0u8; 16];
    fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))
        .context("reading /dev/urandom")?;
    let password: String = format!(
        "bench-{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );
    fs::write(&path, &password)?;
    fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    Ok(password)
}

fn create_account(config: &Config, password: &str) -> anyhow::Result<()> {
    let mut child = command(config)
        .args(["account", "create", "--username", USERNAME, "--role"])
        .args(["committee", "--display-name", "基准测试"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("running account create")?;
    child
        .stdin
        .take()
        .context("stdin")?
        .write_all(format!("{password}\n").as_bytes())?;
    let output = child.wait_with_output()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() && !stderr.contains("exists already") {
        bail!("account create failed: {stderr}");
    }
    Ok(())
}

/// The running server; dropping it stops the server and, failing that, its PostgreSQL.
pub struct Server {
    child: Child,
    pub base: String,
    data_dir: std::path::PathBuf,
    stopped: bool,
}

/// CPU milliseconds used so far.
#[derive(Debug, Clone, Copy)]
pub struct Cpu {
    pub server: f64,
    pub postgres: f64,
}

/// A process's parent and its CPU time (user and system) in milliseconds, from
/// /proc/PID/stat: after the command in parentheses come the state, the parent (field 4)
/// and, as fields 14 and 15, the clock ticks in user and system mode.
fn process_cpu(pid: u32) -> Option<(u32, f64)> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat
        .get(stat.rfind(')')? + 1..)?
        .split_whitespace()
        .collect();
    let ppid = fields.get(1)?.parse().ok()?;
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // SAFETY: sysconf has no preconditions.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1);
    Some((ppid, ticks as f64 * 1000.0 / per_second as f64))
}

/// The server's peak and current resident memory, in kB.
pub struct Memory {
    pub peak_kb: u64,
    pub now_kb: u64,
}

impl Server {
    pub fn start(config: &Config) -> anyhow::Result<Server> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let log = fs::File::create(config.data_dir.join("server.log"))?;
        let mut command = command(config);
        command
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            // The bench account signs in with its password alone: the pages are measured,
            // not the second factor.
            .args(["--second-factor-required", "none"])
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        let child = command.spawn().context("starting the server")?;
        let mut server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            data_dir: config.data_dir.clone(),
            stopped: false,
        };
        server.wait_ready(port)?;
        Ok(server)
    }

    fn wait_ready(&mut self, port: u16) -> anyhow::Result<()> {
        crate::process::wait_ready(&mut self.child, port, &self.data_dir.join("server.log"))
    }

    /// CPU time so far, in milliseconds, of the server and of its PostgreSQL (the
    /// postmaster and its children: backends, writers).
    pub fn cpu(&self) -> Cpu {
        let postmaster: Option<u32> =
            fs::read_to_string(self.data_dir.join("postgres/postmaster.pid"))
                .ok()
                .and_then(|t| t.lines().next()?.trim().parse().ok());
        let mut postgres = 0.0;
        if let Some(postmaster) = postmaster {
            for entry in fs::read_dir("/proc").into_iter().flatten().flatten() {
                let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
                    continue;
                };
                if let Some((ppid, ms)) = process_cpu(pid)
                    && (pid == postmaster || ppid == postmaster)
                {
                    postgres += ms;
                }
            }
        }
        Cpu {
            server: process_cpu(self.child.id()).map_or(0.0, |(_, ms)| ms),
            postgres,
        }
    }

    pub fn memory(&self) -> Option<Memory> {
        let status = fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))?
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        };
        Some(Memory {
            peak_kb: field("VmHWM:")?,
            now_kb: field("VmRSS:")?,
        })
    }

    /// SIGTERM, which stops the server's PostgreSQL too; after 60 s SIGKILL, and then
    /// the cluster is stopped from here.
    pub fn stop(&mut self) -> anyhow::Result<()> {
        if self.stopped {
            return Ok(());
        }
        self.stopped = true;
        crate::process::stop(&mut self.child, &self.data_dir)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Err(e) = self.stop() {
            eprintln!("bench: stopping the server: {e:#}");
        }
    }
}

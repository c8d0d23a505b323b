//! The server process under a benchmark or drill: waiting until it is ready, and stopping
//! it (and, failing that, its PostgreSQL) whatever happens.

use std::io::{Read, Write};
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

use anyhow::bail;

/// Polls /readyz with a bare HTTP/1.0 request until it answers 200 (at most 300 s); fails
/// at once if the server exits. `log` is named in the error.
pub fn wait_ready(child: &mut Child, port: u16, log: &Path) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        if let Some(status) = child.try_wait()? {
            bail!(
                "the server exited ({status}) before it was ready; see {}",
                log.display()
            );
        }
        if readyz(port).unwrap_or(false) {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the server was not ready within 300 s");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn readyz(port: u16) -> std::io::Result<bool> {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.write_all(b"GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    Ok(answer.starts_with(b"HTTP/1.0 200") || answer.starts_with(b"HTTP/1.1 200"))
}

/// SIGTERM, which stops the server's PostgreSQL too; after 60 s SIGKILL. Then a cluster
/// still running in `data_dir` is stopped from here.
pub fn stop(child: &mut Child, data_dir: &Path) -> anyhow::Result<()> {
    // SAFETY: kill with a pid of our own child that has not been waited for.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait()?.is_none() {
        if Instant::now() > deadline {
            eprintln!("the server did not stop on SIGTERM; killing it");
            child.kill()?;
            child.wait()?;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    stop_leftover_cluster(data_dir)
}

/// A cluster left running (by a run that was killed outright, or a server that did not
/// stop): stop it before touching the folder.
pub fn stop_leftover_cluster(dir: &Path) -> anyhow::Result<()> {
    if dir.join("postgres/postmaster.pid").exists() {
        eprintln!("stopping a PostgreSQL left running in {}", dir.display());
        tuanjian::pg::Cluster::start_managed(dir)?.stop()?;
    }
    Ok(())
}

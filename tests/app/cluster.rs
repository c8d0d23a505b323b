//! The managed PostgreSQL cluster and the binary around it: first start, reuse, a stale
//! pid file after a crash, Ctrl-C/SIGTERM stopping server and database, the demo's
//! loopback rule, and `account create` reading the password from standard input.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::{Connection, PgConnection};
use tuanjian::pg::Cluster;

use crate::helpers::fresh_database;

/// A scratch data folder that, when dropped (a failed assertion included), stops any
/// PostgreSQL still running in it and removes it.
pub struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = PathBuf;
    fn deref(&self) -> &PathBuf {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let pid_file = self.0.join("postgres/postmaster.pid");
        if let Some(pid) = std::fs::read_to_string(&pid_file)
            .ok()
            .and_then(|t| t.lines().next()?.trim().parse::<i32>().ok())
        {
            // SAFETY: signalling a process by pid; a stale pid at worst gets an ignored INT.
            unsafe { libc::kill(pid, libc::SIGINT) };
            let deadline = Instant::now() + Duration::from_secs(20);
            while pid_file.exists() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("tuanjian-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    Scratch(dir)
}

async fn query_one(cluster: &Cluster, sql: &str) -> sqlx::Result<i64> {
    let mut conn = PgConnection::connect_with(&cluster.connect_options("postgres")).await?;
    let value = sqlx::query_scalar(sql).fetch_one(&mut conn).await;
    conn.close().await.ok();
    value
}

fn start(dir: &Path) -> Cluster {
    let dir = dir.to_path_buf();
    Cluster::start_managed(&dir).expect("starting the managed cluster")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_managed_cluster_is_created_reused_and_recovers_from_a_stale_pid_file() {
    let dir = scratch("cluster");
    let first = tokio::task::spawn_blocking({
        let dir = dir.to_path_buf();
        move || start(&dir)
    })
    .await
    .unwrap();
    assert!(first.started_here());
    assert!(dir.join("postgres/PG_VERSION").exists());
    let mut conn = PgConnection::connect_with(&first.connect_options("postgres"))
        .await
        .unwrap();
    sqlx::raw_sql("create table kept (n int); insert into kept values (42)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();

    // A second start while it runs adopts it instead of starting another.
    let adopted = tokio::task::spawn_blocking({
        let dir = dir.to_path_buf();
        move || start(&dir)
    })
    .await
    .unwrap();
    assert!(!adopted.started_here());
    let first = tokio::task::spawn_blocking(move || {
        first.stop().unwrap();
        first
    })
    .await
    .unwrap();
    assert!(first.postmaster_pid().is_none());

    // A crash leaves a pid file naming a process that is not PostgreSQL.
    std::fs::write(
        dir.join("postgres/postmaster.pid"),
        format!(
            "{}\n{}\n",
            std::process::id(),
            dir.join("postgres").display()
        ),
    )
    .unwrap();
    let again = tokio::task::spawn_blocking({
        let dir = dir.to_path_buf();
        move || start(&dir)
    })
    .await
    .unwrap();
    assert!(again.started_here());
    assert_eq!(
        query_one(&again, "select n::bigint from kept")
            .await
            .unwrap(),
        42
    );
    tokio::task::spawn_blocking(move || again.stop().unwrap())
        .await
        .unwrap();
}

pub fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tuanjian"));
    command
        .env_remove("DATABASE_URL")
        .env_remove("DATABASE_OWNER_URL")
        .env_remove("TUANJIAN_DATA_DIR");
    command
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_demo_starts_postgres_answers_and_sigterm_stops_both() {
    let dir = scratch("serve");
    let port = free_port();
    let mut child = binary()
        .args(["serve", "--demo", "--bind", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(dir.as_path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ready = reqwest::get(format!("{base}/readyz")).await;
        if ready.is_ok_and(|r| r.status() == 200) {
            break;
        }
        assert!(Instant::now() < deadline, "the server did not become ready");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let login = reqwest::get(format!("{base}/login")).await.unwrap();
    assert_eq!(login.status(), 200);
    let pid_file = dir.join("postgres/postmaster.pid");
    assert!(pid_file.exists(), "PostgreSQL runs under the data folder");

    // SAFETY: sending SIGTERM to our own child process.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success(), "clean exit on SIGTERM");
    assert!(!pid_file.exists(), "PostgreSQL was stopped too");
}

#[test]
fn demo_mode_refuses_to_bind_beyond_loopback() {
    let dir = scratch("demo-bind");
    let output = binary()
        .args(["serve", "--demo", "--bind", "0.0.0.0:0"])
        .arg("--data-dir")
        .arg(dir.as_path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("loopback"));
    assert!(!dir.join("postgres").exists(), "nothing was started");
}

/// A URL for the test database, as an operator would pass it in DATABASE_URL.
pub fn url_of(pool: &sqlx::PgPool) -> String {
    let o = pool.connect_options();
    match o.get_socket() {
        Some(socket) => format!(
            "postgres://{}@localhost/{}?host={}&port={}",
            o.get_username(),
            o.get_database().unwrap(),
            socket.display(),
            o.get_port()
        ),
        None => format!(
            "postgres://{}@{}:{}/{}",
            o.get_username(),
            o.get_host(),
            o.get_port(),
            o.get_database().unwrap()
        ),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_create_reads_the_password_from_stdin_and_checks_it() {
    let db = fresh_database().await;
    let url = url_of(&db);
    let run = |args: Vec<&'static str>, password: &'static str| {
        let url = url.clone();
        async move {
            tokio::task::spawn_blocking(move || {
                let mut child = binary()
                    .env("DATABASE_URL", url)
                    .args(["account", "create"])
                    .args(args)
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap();
                use std::io::Write;
                child
                    .stdin
                    .take()
                    .unwrap()
                    .write_all(password.as_bytes())
                    .unwrap();
                child.wait_with_output().unwrap()
            })
            .await
            .unwrap()
        }
    };
    let ok = run(
        vec![
            "--username",
            "sunqi",
            "--role",
            "secretary",
            "--unit",
            tuanjian::demo::SECRETARY_UNIT,
        ],
        "long-secret-for-7\n",
    )
    .await;
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let weak = run(
        vec!["--username", "zhouba", "--role", "leader"],
        "123456789012\n",
    )
    .await;
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("过于常见"));
    let no_unit = run(
        vec!["--username", "wujiu", "--role", "secretary"],
        "long-secret-for-9\n",
    )
    .await;
    assert!(!no_unit.status.success());
    assert!(String::from_utf8_lossy(&no_unit.stderr).contains("--unit"));
    let duplicate = run(
        vec!["--username", "sunqi", "--role", "leader"],
        "long-secret-for-7\n",
    )
    .await;
    assert!(!duplicate.status.success());

    let created: Vec<(String, String, Option<i64>)> = sqlx::query_as(
        "select a.username, r.role, r.unit_id from account a join account_role r using (account_id)
          where a.username in ('sunqi', 'zhouba', 'wujiu')",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].1, "secretary");
    assert!(created[0].2.is_some());
}

/// Starts `serve` on `dir` at `port` and waits until it is ready; the caller waits for it
/// (`terminate`).
#[allow(clippy::zombie_processes)]
pub async fn serve_ready(dir: &Path, port: u16) -> std::process::Child {
    serve_ready_with(dir, port, &[]).await
}

/// `serve_ready` with more arguments (`--demo`).
#[allow(clippy::zombie_processes)]
pub async fn serve_ready_with(dir: &Path, port: u16, more: &[&str]) -> std::process::Child {
    let mut child = binary()
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .args(more)
        .arg("--data-dir")
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ready = reqwest::get(format!("http://127.0.0.1:{port}/readyz")).await;
        if ready.is_ok_and(|r| r.status() == 200) {
            return child;
        }
        if Instant::now() >= deadline {
            child.kill().ok();
            child.wait().ok();
            panic!("the server did not become ready");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

pub fn terminate(child: std::process::Child) -> tokio::task::JoinHandle<std::process::ExitStatus> {
    // SAFETY: sending SIGTERM to our own child process.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let mut child = child;
    tokio::task::spawn_blocking(move || child.wait().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_server_on_the_same_folder_leaves_the_first_ones_database_running() {
    let dir = scratch("two-servers");
    let (first_port, second_port) = (free_port(), free_port());
    let first = serve_ready(dir.as_path(), first_port).await;
    let second = serve_ready(dir.as_path(), second_port).await;
    assert!(terminate(second).await.unwrap().success());
    // Security review F8: the second server stopped PostgreSQL under the first.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let ready = reqwest::get(format!("http://127.0.0.1:{first_port}/readyz"))
        .await
        .unwrap();
    assert_eq!(ready.status(), 200, "the first server keeps its database");
    let pid_file = dir.join("postgres/postmaster.pid");
    assert!(terminate(first).await.unwrap().success());
    assert!(
        !pid_file.exists(),
        "the server that started PostgreSQL stops it"
    );
}

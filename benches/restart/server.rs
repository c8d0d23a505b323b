//! The drill's server: the binary serving the demo on a fresh managed database, and what
//! the database holds afterwards.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::Context;
use sqlx::Connection;

use crate::process;

/// The running server; dropping it stops the server and, failing that, its PostgreSQL.
pub struct Server {
    child: Child,
    pub base: String,
    pub data_dir: PathBuf,
    stopped: bool,
}

impl Server {
    /// `serve --demo` on a loopback port, with the data folder made anew.
    pub fn start(bin: &Path, data_dir: &Path) -> anyhow::Result<Server> {
        process::stop_leftover_cluster(data_dir)?;
        if data_dir.exists() {
            fs::remove_dir_all(data_dir)
                .with_context(|| format!("removing {}", data_dir.display()))?;
        }
        fs::create_dir_all(data_dir)?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let log_path = data_dir.join("server.log");
        let log = fs::File::create(&log_path)?;
        let child = Command::new(bin)
            .arg("--data-dir")
            .arg(data_dir)
            .args(["serve", "--demo", "--bind", &format!("127.0.0.1:{port}")])
            .env_remove("DATABASE_URL")
            .env_remove("TUANJIAN_DATA_DIR")
            .env_remove("TUANJIAN_KEYS")
            .env_remove("TUANJIAN_KEYS_FILE")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("starting the server")?;
        let mut server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            data_dir: data_dir.to_path_buf(),
            stopped: false,
        };
        process::wait_ready(&mut server.child, port, &log_path)?;
        Ok(server)
    }

    /// The titles of the activities the drill's clients recorded, read from the database.
    pub async fn recorded_titles(&self) -> anyhow::Result<HashSet<String>> {
        let dir = self.data_dir.clone();
        let cluster =
            tokio::task::spawn_blocking(move || tuanjian::pg::Cluster::start_managed(&dir))
                .await??;
        let options = cluster.connect_options(tuanjian::pg::DATABASE_NAME);
        let mut conn = sqlx::PgConnection::connect_with(&options).await?;
        let titles: Vec<String> =
            sqlx::query_scalar("select title from activity where title like 'drill-%'")
                .fetch_all(&mut conn)
                .await?;
        conn.close().await?;
        Ok(titles.into_iter().collect())
    }

    pub fn stop(&mut self) -> anyhow::Result<()> {
        if self.stopped {
            return Ok(());
        }
        self.stopped = true;
        process::stop(&mut self.child, &self.data_dir)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Err(e) = self.stop() {
            eprintln!("drill: stopping the server: {e:#}");
        }
    }
}

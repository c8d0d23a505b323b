//! The database: a pool on a given server, or on a PostgreSQL cluster this process manages.

pub mod backup;
pub mod cluster;
mod install;

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

pub use cluster::Cluster;

/// The name of the application database inside a managed cluster.
pub const DATABASE_NAME: &str = "tuanjian";

/// An open, migrated database and, in managed mode, the cluster behind it.
pub struct Database {
    pub pool: PgPool,
    cluster: Option<Cluster>,
}

impl Database {
    /// Opens `database_url` or, without one, the managed cluster under `data_dir`, and
    /// runs the migrations.
    pub async fn open(data_dir: &Path, database_url: Option<&str>) -> anyhow::Result<Self> {
        let (options, cluster) = match database_url {
            Some(url) => {
                let options: PgConnectOptions = url
                    .parse()
                    .context("DATABASE_URL is not a valid PostgreSQL URL")?;
                (options, None)
            }
            None => {
                let data_dir = data_dir.to_path_buf();
                let cluster =
                    tokio::task::spawn_blocking(move || Cluster::start_managed(&data_dir))
                        .await??;
                cluster.create_database(DATABASE_NAME).await?;
                (cluster.connect_options(DATABASE_NAME), Some(cluster))
            }
        };
        let pool = pool(options).await?;
        crate::MIGRATOR
            .run(&pool)
            .await
            .context("running database migrations")?;
        Ok(Database { pool, cluster })
    }

    /// Closes the pool and stops the managed cluster if this process started it: a second
    /// server on the same data folder, or a command run beside the server, adopts the
    /// running cluster and leaves it running (security review F8: stopping it took the
    /// first server's database away).
    pub async fn close(self) {
        self.pool.close().await;
        if let Some(cluster) = self.cluster
            && cluster.started_here()
        {
            match tokio::task::spawn_blocking(move || cluster.stop()).await {
                Ok(Ok(())) => tracing::info!("PostgreSQL stopped"),
                Ok(Err(e)) => tracing::error!(error = ?e, "stopping PostgreSQL"),
                Err(e) => tracing::error!(error = ?e, "stopping PostgreSQL"),
            }
        }
    }
}

/// A pool with the settings the server and the tests share.
pub async fn pool(options: PgConnectOptions) -> anyhow::Result<PgPool> {
    PgPoolOptions::new()
        .max_connections(16)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
        .context("connecting to PostgreSQL")
}

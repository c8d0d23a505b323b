//! The database: a pool on a given server, or on a PostgreSQL cluster this process manages;
//! migrated as the owner and served as the application's role (`roles`).

pub mod backup;
pub mod cluster;
mod install;
pub mod roles;

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

pub use cluster::Cluster;

/// The name of the application database inside a managed cluster.
pub const DATABASE_NAME: &str = "tuanjian";

/// An open, migrated database and, in managed mode, the cluster behind it.
pub struct Database {
    /// The server's pool, connected as the application's role (see `roles`).
    pub pool: PgPool,
    /// How to connect as the owner, for what the application's role may not do
    /// (archiving the audit log, loading generated data, backups).
    owner: PgConnectOptions,
    cluster: Option<Cluster>,
}

/// Where the database is: `app` (DATABASE_URL) for the server's pool and `owner`
/// (DATABASE_OWNER_URL) for the migrations; neither for the managed cluster.
#[derive(Debug, Clone, Copy, Default)]
pub struct Urls<'a> {
    pub app: Option<&'a str>,
    pub owner: Option<&'a str>,
}

impl Database {
    /// Opens the configured server or, without one, the managed cluster under `data_dir`;
    /// runs the migrations as the owner, grants the application's role its rights and
    /// connects the pool as that role. With DATABASE_URL alone the one role does both, with
    /// a warning when it is a superuser or the owner.
    pub async fn open(data_dir: &Path, urls: Urls<'_>) -> anyhow::Result<Self> {
        let parse = |url: &str, name: &str| -> anyhow::Result<PgConnectOptions> {
            url.parse()
                .with_context(|| format!("{name} is not a valid PostgreSQL URL"))
        };
        let (owner, app, cluster) = match (urls.app, urls.owner) {
            (None, Some(_)) => bail!(
                "DATABASE_OWNER_URL is set without DATABASE_URL: set DATABASE_URL to the application's role"
            ),
            (None, None) => {
                let data_dir = data_dir.to_path_buf();
                let cluster =
                    tokio::task::spawn_blocking(move || Cluster::start_managed(&data_dir))
                        .await??;
                cluster.create_database(DATABASE_NAME).await?;
                let owner = cluster.connect_options(DATABASE_NAME);
                let app = owner.clone().username(roles::APP_ROLE);
                (owner, Some(app), Some(cluster))
            }
            (Some(app), Some(owner)) => {
                let (app, owner) = (
                    parse(app, "DATABASE_URL")?,
                    parse(owner, "DATABASE_OWNER_URL")?,
                );
                if app.get_username() == owner.get_username() {
                    bail!(
                        "DATABASE_URL and DATABASE_OWNER_URL name the same role: the application's role must be another one"
                    );
                }
                (owner, Some(app), None)
            }
            (Some(app), None) => (parse(app, "DATABASE_URL")?, None, None),
        };
        let pool = match app {
            Some(app) => {
                let owner_pool = small_pool(owner.clone()).await?;
                let prepared = async {
                    migrate(&owner_pool).await?;
                    if cluster.is_some() {
                        roles::ensure_role(&owner_pool, roles::APP_ROLE).await?;
                    }
                    roles::grant_app(&owner_pool, app.get_username()).await
                }
                .await;
                owner_pool.close().await;
                prepared?;
                pool(app).await?
            }
            None => {
                let pool = pool(owner.clone()).await?;
                // An application role cannot run migrations (it may not create), but it can
                // serve a database its owner has brought up to date.
                if pending_migrations(&pool).await? {
                    migrate(&pool).await.context(
                        "the migrations need the owner: set DATABASE_OWNER_URL (README, \"Database roles\")",
                    )?;
                }
                if let Some(why) = roles::excess_privilege(&pool).await? {
                    tracing::warn!(
                        "{why}: through it the audit log can be rewritten. Give the application a role of its own \
                         in DATABASE_URL and the owner in DATABASE_OWNER_URL (README, \"Database roles\")"
                    );
                }
                pool
            }
        };
        Ok(Database {
            pool,
            owner,
            cluster,
        })
    }

    /// A small pool connected as the owner, for the few commands that need more than the
    /// application's rights. Close it when done.
    pub async fn owner_pool(&self) -> anyhow::Result<PgPool> {
        small_pool(self.owner.clone()).await
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

async fn small_pool(options: PgConnectOptions) -> anyhow::Result<PgPool> {
    PgPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await
        .context("connecting to PostgreSQL as the owner")
}

async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    crate::MIGRATOR
        .run(pool)
        .await
        .context("running database migrations")
}

/// Whether this build has migrations the database has not recorded as applied.
async fn pending_migrations(pool: &PgPool) -> anyhow::Result<bool> {
    let recorded: bool = sqlx::query_scalar("select to_regclass('_sqlx_migrations') is not null")
        .fetch_one(pool)
        .await?;
    if !recorded {
        return Ok(true);
    }
    let applied: Vec<i64> = sqlx::query_scalar(
        "select coalesce(array_agg(version), '{}') from _sqlx_migrations where success",
    )
    .fetch_one(pool)
    .await?;
    Ok(crate::MIGRATOR
        .iter()
        .any(|m| !applied.contains(&m.version)))
}

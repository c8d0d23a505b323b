//! `tuanjian backup FILE` and `tuanjian restore FILE [--replace]`: the commands' steps and
//! what they print, around `pg::backup` and the backup file (`archive`).

use std::path::{Path, PathBuf};

use anyhow::bail;

use crate::pg::Urls;
use crate::pg::backup::{Server, Target};

mod archive;

/// The database to dump or restore into, as its owner: `DATABASE_OWNER_URL` when given
/// (the application's role may not read everything nor create a database), else
/// `DATABASE_URL`, else the managed cluster.
fn owner_url<'a>(urls: &Urls<'a>) -> Option<&'a str> {
    urls.owner.or(urls.app)
}

/// The role the server connects as, which a restored database must grant its rights to
/// (the dump holds no grants): the managed cluster's, or `DATABASE_URL`'s when an owner is
/// given too. With `DATABASE_URL` alone the one role owns the restored tables.
fn app_role(urls: &Urls<'_>) -> anyhow::Result<Option<String>> {
    Ok(match (urls.app, urls.owner) {
        (None, _) => Some(crate::pg::roles::APP_ROLE.to_string()),
        (Some(app), Some(_)) => {
            let options: sqlx::postgres::PgConnectOptions = app
                .parse()
                .map_err(|_| anyhow::anyhow!("DATABASE_URL is not a valid PostgreSQL URL"))?;
            Some(options.get_username().to_string())
        }
        (Some(_), None) => None,
    })
}

pub async fn backup(data_dir: &Path, urls: Urls<'_>, file: &Path) -> anyhow::Result<()> {
    let database_url = owner_url(&urls);
    if file.exists() {
        bail!(
            "{} exists: a backup never overwrites a file, choose another name",
            file.display()
        );
    }
    if database_url.is_none() && !data_dir.join("postgres/PG_VERSION").exists() {
        bail!(
            "there is no database under {} (give --data-dir or DATABASE_URL)",
            data_dir.display()
        );
    }
    let server = Server::open(data_dir, database_url).await?;
    let result = async {
        let schema_version = server.schema_version().await?;
        println!(
            "backing up the database {} (schema version {schema_version})",
            server.database()
        );
        let partial = with_suffix(file, ".partial");
        let written = tokio::task::block_in_place(|| archive::write(&server, &partial, schema_version));
        match written {
            Ok(manifest) => {
                std::fs::rename(&partial, file)?;
                println!(
                    "backup written to {}: dump of {} bytes, SHA-256 {}",
                    file.display(),
                    manifest.dump.size,
                    manifest.dump.sha256
                );
                println!(
                    "the personal-data keys are not in it: keep the key file safe, apart from the backup"
                );
                Ok(())
            }
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                Err(e)
            }
        }
    }
    .await;
    server.close().await;
    result
}

pub async fn restore(
    data_dir: &Path,
    urls: Urls<'_>,
    file: &Path,
    replace: bool,
) -> anyhow::Result<()> {
    let database_url = owner_url(&urls);
    let app_role = app_role(&urls)?;
    let (manifest, mut zip) = archive::open(file)?;
    println!(
        "{}: schema version {}, taken {} by tuanjian {}; checksum verified",
        file.display(),
        manifest.schema_version,
        manifest.created_at.format("%Y-%m-%d %H:%M:%S UTC"),
        manifest.app_version
    );
    let server = Server::open(data_dir, database_url).await?;
    let result = async {
        if server.target().await? == Target::HoldsData && !replace {
            bail!(
                "the database {} already holds data; nothing was restored. Give --replace to \
                 replace it: the current data stays until the restore has succeeded",
                server.database()
            );
        }
        let scratch = server.create_scratch().await?;
        println!("restoring into a new database {scratch}");
        let restored = async {
            tokio::task::block_in_place(|| {
                server.load(&scratch, &mut archive::dump_reader(&mut zip, &manifest)?)
            })?;
            let (from, to) = server.migrate(&scratch, app_role.as_deref()).await?;
            if from != to {
                println!("schema upgraded from version {from} to {to}");
            }
            server.swap(&scratch).await
        }
        .await;
        if let Err(e) = restored {
            if let Err(drop) = server.drop_scratch(&scratch).await {
                tracing::error!(error = ?drop, scratch, "dropping the scratch database");
            }
            return Err(e.context("nothing was restored"));
        }
        println!(
            "restored into the database {}; it is read with the personal-data keys it was written with",
            server.database()
        );
        Ok(())
    }
    .await;
    server.close().await;
    result
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

//! Restoring: into a scratch database beside the target, all or nothing, migrated, and
//! then renamed into the target's place, so that a failure at any step leaves the target
//! as it was.

use std::io::Read;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, bail};
use sqlx::Connection;

use super::{Server, database_exists, execute, literal, quote, read_errors};

/// What the target database holds before a restore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Missing,
    Empty,
    HoldsData,
}

impl Server {
    pub async fn target(&self) -> anyhow::Result<Target> {
        let mut conn = self.maintenance().await?;
        let exists = database_exists(&mut conn, &self.database).await?;
        conn.close().await.ok();
        if !exists {
            return Ok(Target::Missing);
        }
        let mut conn = self.connect(&self.database).await?;
        let tables: i64 = sqlx::query_scalar(
            "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
              where c.relkind in ('r', 'p') and n.nspname <> 'information_schema'
                and n.nspname !~ '^pg_'",
        )
        .fetch_one(&mut conn)
        .await?;
        conn.close().await.ok();
        Ok(if tables == 0 {
            Target::Empty
        } else {
            Target::HoldsData
        })
    }

    /// A new, empty database beside the target, with the target's encoding and collation
    /// (UTF-8 and C for a new one, as the managed cluster makes it).
    pub async fn create_scratch(&self) -> anyhow::Result<String> {
        let scratch = format!("{}_restore_{}", self.database, std::process::id());
        let mut conn = self.maintenance().await?;
        let (encoding, collate, ctype): (String, String, String) = sqlx::query_as(
            "select pg_encoding_to_char(encoding)::text, datcollate::text, datctype::text
               from pg_database where datname = $1
             union all select 'UTF8', 'C', 'C' limit 1",
        )
        .bind(&self.database)
        .fetch_one(&mut conn)
        .await?;
        sqlx::query(&format!("drop database if exists {}", quote(&scratch)))
            .execute(&mut conn)
            .await?;
        sqlx::query(&format!(
            "create database {} template template0 encoding {} lc_collate {} lc_ctype {}",
            quote(&scratch),
            literal(&encoding),
            literal(&collate),
            literal(&ctype)
        ))
        .execute(&mut conn)
        .await
        .context("creating a database to restore into (the owner needs CREATEDB)")?;
        conn.close().await.ok();
        Ok(scratch)
    }

    /// Feeds `dump` to pg_restore into `scratch`, all or nothing (blocking). The whole of
    /// `dump` is read even when pg_restore stops early, so that a reader that checks a
    /// checksum at its end gets to do so.
    pub fn load(&self, scratch: &str, dump: &mut dyn Read) -> anyhow::Result<()> {
        let mut child = self
            .program("pg_restore", scratch)
            .args([
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .context("running pg_restore")?;
        let errors = read_errors(&mut child);
        let mut stdin = child.stdin.take().expect("piped");
        let fed = match std::io::copy(dump, &mut stdin) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                std::io::copy(dump, &mut std::io::sink())
            }
            other => other,
        };
        drop(stdin);
        let status = child.wait()?;
        let errors = errors.join().unwrap_or_default();
        fed.context("reading the dump")?;
        if !status.success() {
            bail!("pg_restore failed: {errors}");
        }
        Ok(())
    }

    /// Runs this binary's migrations on `scratch` and grants `app_role` (created if
    /// missing) the application's rights there, which a dump does not hold: the schema
    /// version before and after.
    pub async fn migrate(
        &self,
        scratch: &str,
        app_role: Option<&str>,
    ) -> anyhow::Result<(i64, i64)> {
        let pool = crate::pg::pool(self.options.clone().database(scratch)).await?;
        let version = || async {
            sqlx::query_scalar::<_, Option<i64>>(
                "select max(version) from _sqlx_migrations where success",
            )
            .fetch_one(&pool)
            .await
            .map(Option::unwrap_or_default)
        };
        let before = version().await.context("the restored schema version")?;
        let migrated = async {
            crate::MIGRATOR
                .run(&pool)
                .await
                .context("running the migrations on the restored database")?;
            if let Some(role) = app_role {
                crate::pg::roles::ensure_role(&pool, role).await?;
                crate::pg::roles::grant_app(&pool, role)
                    .await
                    .context("granting the application's role its rights")?;
            }
            anyhow::Ok(())
        }
        .await;
        let after = version().await;
        pool.close().await;
        migrated?;
        Ok((before, after?))
    }

    /// Puts `scratch` in the target's place. A target already there is closed to new
    /// sessions, its sessions (a running server's pool) are ended, and it is renamed aside
    /// until the swap is done, then dropped; on a failure it gets its name back.
    pub async fn swap(&self, scratch: &str) -> anyhow::Result<()> {
        let mut conn = self.maintenance().await?;
        let target = quote(&self.database);
        let scratch = quote(scratch);
        if !database_exists(&mut conn, &self.database).await? {
            execute(
                &mut conn,
                &format!("alter database {scratch} rename to {target}"),
            )
            .await?;
            return Ok(());
        }
        let aside = quote(&format!(
            "{}_replaced_{}",
            self.database,
            std::process::id()
        ));
        execute(
            &mut conn,
            &format!("alter database {target} allow_connections false"),
        )
        .await?;
        let mut renamed = Err(anyhow::anyhow!("not tried"));
        for _ in 0..50 {
            sqlx::query(
                "select pg_terminate_backend(pid) from pg_stat_activity
                  where datname = $1 and pid <> pg_backend_pid()",
            )
            .bind(&self.database)
            .execute(&mut conn)
            .await?;
            renamed = execute(
                &mut conn,
                &format!("alter database {target} rename to {aside}"),
            )
            .await;
            if renamed.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if let Err(e) = renamed {
            execute(
                &mut conn,
                &format!("alter database {target} allow_connections true"),
            )
            .await?;
            return Err(e.context("the current database is still in use"));
        }
        if let Err(e) = execute(
            &mut conn,
            &format!("alter database {scratch} rename to {target}"),
        )
        .await
        {
            execute(
                &mut conn,
                &format!("alter database {aside} rename to {target}"),
            )
            .await?;
            execute(
                &mut conn,
                &format!("alter database {target} allow_connections true"),
            )
            .await?;
            return Err(e);
        }
        execute(&mut conn, &format!("drop database {aside} with (force)")).await?;
        conn.close().await.ok();
        Ok(())
    }

    /// Drops a scratch database after a failed restore.
    pub async fn drop_scratch(&self, scratch: &str) -> anyhow::Result<()> {
        let mut conn = self.maintenance().await?;
        execute(
            &mut conn,
            &format!("drop database if exists {} with (force)", quote(scratch)),
        )
        .await
    }
}

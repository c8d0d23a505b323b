//! The bench's own connection to the server's managed cluster: the pages' parameters
//! (a deep cursor, a common surname, an organisation), and the database's own time for
//! the requests from pg_stat_statements.
//!
//! The bench connects to the `postgres` database and pg_stat_statements is filtered to the
//! application's database, so its own statements never count. Every statement the server
//! runs for a request counts, the session lookup included: that is the database's share
//! of serving the page. Planning time counts too (track_planning), since sqlx's prepared
//! statements are planned again while PostgreSQL uses custom plans.

use std::path::Path;

use anyhow::Context;
use sqlx::{Connection, PgConnection, Row};
use tokio::sync::Mutex;

use tuanjian::domain::ids::UnitId;
use tuanjian::pg::{Cluster, DATABASE_NAME};

pub struct StatsDb {
    /// On the `postgres` database: resets and reads the statistics.
    admin: Mutex<PgConnection>,
    /// On the application's database: reads for the parameters and the report.
    app: Mutex<PgConnection>,
    app_oid: u32,
    stats: bool,
}

/// Database totals over one measurement.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    pub calls: i64,
    pub ms: f64,
}

/// One of the statements that took the most time.
pub struct Statement {
    pub calls: i64,
    pub total_ms: f64,
    pub rows: i64,
    pub query: String,
}

/// A statement cancelled while still running, and how long it had run.
pub struct Leftover {
    pub seconds: f64,
    pub query: String,
}

/// Values the endpoints need from the data.
pub struct Picks {
    pub deep_cursor: String,
    pub deep_offset: i64,
    pub surname: String,
    /// A member's full name, as someone looking for one person types it.
    pub full_name: String,
    pub organization: i64,
    /// A member with a volunteer record: the first to take part after the middle of the
    /// participations.
    pub volunteer: i64,
}

impl StatsDb {
    /// Connects to the cluster the server started (adopting it, never starting one) and
    /// turns pg_stat_statements on when the server preloads it.
    pub async fn open(data_dir: &Path) -> anyhow::Result<StatsDb> {
        let dir = data_dir.to_path_buf();
        let cluster = tokio::task::spawn_blocking(move || Cluster::start_managed(&dir)).await??;
        anyhow::ensure!(
            !cluster.started_here(),
            "the server's PostgreSQL was not running"
        );
        let mut admin = PgConnection::connect_with(&cluster.connect_options("postgres")).await?;
        let app = PgConnection::connect_with(&cluster.connect_options(DATABASE_NAME)).await?;
        let preload: String =
            sqlx::query_scalar("select current_setting('shared_preload_libraries')")
                .fetch_one(&mut admin)
                .await?;
        let stats = preload.contains("pg_stat_statements");
        if stats {
            sqlx::query("create extension if not exists pg_stat_statements")
                .execute(&mut admin)
                .await?;
            // Only in the bench's own cluster: its data folder is the bench's.
            sqlx::query("alter system set pg_stat_statements.track_planning = on")
                .execute(&mut admin)
                .await?;
            sqlx::query("select pg_reload_conf()")
                .execute(&mut admin)
                .await?;
        } else {
            eprintln!("bench: PostgreSQL does not preload pg_stat_statements; no database times");
        }
        let app_oid: sqlx::postgres::types::Oid =
            sqlx::query_scalar("select oid from pg_database where datname = $1")
                .bind(DATABASE_NAME)
                .fetch_one(&mut admin)
                .await?;
        Ok(StatsDb {
            admin: Mutex::new(admin),
            app: Mutex::new(app),
            app_oid: app_oid.0,
            stats,
        })
    }

    pub fn has_stats(&self) -> bool {
        self.stats
    }

    pub async fn reset(&self) -> anyhow::Result<()> {
        if self.stats {
            sqlx::query("select pg_stat_statements_reset()")
                .execute(&mut *self.admin.lock().await)
                .await?;
        }
        Ok(())
    }

    /// Cancels the server's statements still running after their requests timed out:
    /// PostgreSQL does not notice that the client has gone, and such a statement would
    /// hold a pool connection and take a core from the measurements that follow. Answers
    /// what was cancelled: pg_stat_statements never sees a statement that did not finish.
    pub async fn cancel_leftovers(&self) -> anyhow::Result<Vec<Leftover>> {
        let mut admin = self.admin.lock().await;
        let cancelled = sqlx::query(
            "with leftover as materialized (
                 select pid, extract(epoch from now() - query_start)::float8 as seconds,
                        regexp_replace(query, '\\s+', ' ', 'g') as query
                   from pg_stat_activity
                  where datname = $1 and state = 'active' and pid <> pg_backend_pid())
             select seconds, query from leftover where pg_cancel_backend(pid)",
        )
        .bind(DATABASE_NAME)
        .fetch_all(&mut *admin)
        .await?
        .iter()
        .map(|r| {
            Ok(Leftover {
                seconds: r.try_get("seconds")?,
                query: r.try_get("query")?,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
        for _ in 0..100 {
            let active: i64 = sqlx::query_scalar(
                "select count(*) from pg_stat_activity where datname = $1 and state = 'active'",
            )
            .bind(DATABASE_NAME)
            .fetch_one(&mut *admin)
            .await?;
            if active == 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        Ok(cancelled)
    }

    /// The application database's statements since the last reset.
    pub async fn read(&self) -> anyhow::Result<Option<Stats>> {
        if !self.stats {
            return Ok(None);
        }
        let row = sqlx::query(
            "select coalesce(sum(calls), 0)::int8 as calls,
                    coalesce(sum(total_exec_time + total_plan_time), 0)::float8 as ms
               from pg_stat_statements where dbid = $1",
        )
        .bind(sqlx::postgres::types::Oid(self.app_oid))
        .fetch_one(&mut *self.admin.lock().await)
        .await?;
        Ok(Some(Stats {
            calls: row.try_get("calls")?,
            ms: row.try_get("ms")?,
        }))
    }

    /// The statements that took the most time since the last reset.
    pub async fn top(&self, n: i64) -> anyhow::Result<Vec<Statement>> {
        if !self.stats {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(
            "select calls, (total_exec_time + total_plan_time)::float8 as ms, rows,
                    regexp_replace(query, '\\s+', ' ', 'g') as query
               from pg_stat_statements where dbid = $1
              order by total_exec_time + total_plan_time desc limit $2",
        )
        .bind(sqlx::postgres::types::Oid(self.app_oid))
        .bind(n)
        .fetch_all(&mut *self.admin.lock().await)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Statement {
                    calls: r.try_get("calls")?,
                    total_ms: r.try_get("ms")?,
                    rows: r.try_get("rows")?,
                    query: r.try_get("query")?,
                })
            })
            .collect()
    }

    /// A cursor four fifths down the units list (the order of `db::unit::list`), the
    /// most common surname, and an organisation from the middle of the table.
    pub async fn picks(&self) -> anyhow::Result<Picks> {
        let mut app = self.app.lock().await;
        let open: i64 = sqlx::query_scalar("select count(*) from unit where closed_on is null")
            .fetch_one(&mut *app)
            .await?;
        let deep_offset = open * 4 / 5;
        let (name, id): (String, i64) = sqlx::query_as(
            "select name, unit_id from unit where closed_on is null
              order by name, unit_id offset $1 limit 1",
        )
        .bind(deep_offset)
        .fetch_one(&mut *app)
        .await
        .context("no units in the database")?;
        let surname: String = sqlx::query_scalar(
            "select left(name, 1) from member group by 1 order by count(*) desc limit 1",
        )
        .fetch_optional(&mut *app)
        .await?
        .unwrap_or_else(|| "王".to_string());
        let full_name: String = sqlx::query_scalar(
            "select name from member where member_id >= (select max(member_id) / 2 from member)
              order by member_id limit 1",
        )
        .fetch_optional(&mut *app)
        .await?
        .unwrap_or_else(|| "王小明".to_string());
        let organization: i64 = sqlx::query_scalar(
            "select organization_id from organization where kind <> 'committee'
              order by organization_id
             offset (select count(*) / 2 from organization where kind <> 'committee') limit 1",
        )
        .fetch_one(&mut *app)
        .await
        .context("no organisations in the database")?;
        let volunteer: i64 = sqlx::query_scalar(
            "select member_id from participation
              where participation_id >= (select max(participation_id) / 2 from participation)
                and member_id is not null
              order by participation_id limit 1",
        )
        .fetch_one(&mut *app)
        .await
        .context("no participations in the database")?;
        Ok(Picks {
            deep_cursor: tuanjian::web::units::encode_cursor(&name, UnitId(id)),
            deep_offset,
            surname,
            full_name,
            organization,
            volunteer,
        })
    }

    pub async fn version(&self) -> anyhow::Result<String> {
        Ok(
            sqlx::query_scalar("select current_setting('server_version')")
                .fetch_one(&mut *self.app.lock().await)
                .await?,
        )
    }

    /// Row counts of the main tables, for the report.
    pub async fn sizes(&self) -> anyhow::Result<Vec<(&'static str, i64)>> {
        let mut app = self.app.lock().await;
        let mut sizes = Vec::new();
        for table in [
            "unit",
            "organization",
            "member",
            "survey",
            "survey_entry",
            "formation_application",
        ] {
            let n: i64 = sqlx::query_scalar(&format!("select count(*) from {table}"))
                .fetch_one(&mut *app)
                .await?;
            sizes.push((table, n));
        }
        Ok(sizes)
    }

    pub async fn close(self) {
        let _ = self.admin.into_inner().close().await;
        let _ = self.app.into_inner().close().await;
    }
}

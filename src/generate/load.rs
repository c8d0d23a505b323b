//! `tuanjian generate`: plans a zone, then loads it with COPY in foreign-key order inside
//! one transaction (all or nothing), recounts the maintained totals, locks last year's round, moves the identity
//! sequences past the ids it chose, and analyzes. Only into an empty database.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::NaiveDate;
use serde_json::json;
use sqlx::PgPool;

use super::Ids;
use super::scale::Sizes;
use crate::config::GenerateArgs;
use crate::crypto::Keys;

pub struct Options {
    pub members: u64,
    pub seed: u64,
    /// Ages, dates and rounds are relative to this day: the same seed and day give the
    /// same data.
    pub today: NaiveDate,
}

/// Rows and time per table, in the order they were loaded.
#[derive(Debug)]
pub struct Report {
    pub steps: Vec<(&'static str, u64, Duration)>,
    started: Instant,
    last: Instant,
}

impl Report {
    fn new() -> Report {
        let now = Instant::now();
        Report {
            steps: Vec::new(),
            started: now,
            last: now,
        }
    }

    /// Records `table` as done, timed since the previous step.
    pub fn done(&mut self, table: &'static str, rows: u64) {
        let now = Instant::now();
        self.steps.push((table, rows, now - self.last));
        self.last = now;
    }

    pub fn total(&self) -> Duration {
        self.last - self.started
    }

    pub fn rows(&self, table: &str) -> u64 {
        self.steps
            .iter()
            .filter(|s| s.0 == table)
            .map(|s| s.1)
            .sum()
    }
}

/// The tables whose ids the generator chooses, and their identity columns.
const CHOSEN_IDS: [(&str, &str); 7] = [
    ("unit", "unit_id"),
    ("account", "account_id"),
    ("organization", "organization_id"),
    ("survey", "survey_id"),
    ("formation_application", "formation_application_id"),
    ("member", "member_id"),
    ("activity", "activity_id"),
];

/// `tuanjian generate`: generates for today and prints rows and seconds per table.
pub async fn run(pool: &PgPool, keys: Arc<Keys>, args: GenerateArgs) -> anyhow::Result<()> {
    let members = args
        .members
        .or(args.scale)
        .context("give --scale or --members")?;
    let options = Options {
        members,
        seed: args.seed,
        today: chrono::Utc::now().date_naive(),
    };
    let report = generate(pool, keys, options).await?;
    for (table, rows, took) in &report.steps {
        println!("{table:<28} {rows:>10} rows {:>8.2} s", took.as_secs_f64());
    }
    println!(
        "{:<28} {:>10} members in {:.1} s",
        "total",
        report.rows("member"),
        report.total().as_secs_f64()
    );
    println!(
        "accounts zone-committee1..3, zone-leader1..2 and sec<unit id> share the password {}: \
         a benchmark database, never a production one",
        crate::demo::PASSWORD
    );
    Ok(())
}

pub async fn generate(pool: &PgPool, keys: Arc<Keys>, options: Options) -> anyhow::Result<Report> {
    let sizes = Sizes::for_members(options.members).map_err(anyhow::Error::msg)?;
    let held: (i64, i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from unit), (select count(*) from member),
                (select count(*) from survey),
                (select count(*) from organization where kind <> 'committee')",
    )
    .fetch_one(pool)
    .await?;
    if held != (0, 0, 0, 0) {
        bail!(
            "the database already holds data ({} units, {} members, {} survey rounds, {} organisations): \
             generate only fills an empty database; use a fresh --data-dir or DATABASE_URL",
            held.0,
            held.1,
            held.2,
            held.3
        );
    }
    let mut report = Report::new();
    let zone =
        tokio::task::spawn_blocking(move || super::zone::plan(sizes, options.seed, options.today))
            .await
            .context("planning the zone")?;
    let zone = Arc::new(zone);
    let apps = super::applications::plan(&zone);
    // One hash for every generated account: Argon2 per account would take hours.
    let password_hash = crate::auth::password::hash(crate::demo::PASSWORD.to_string()).await?;
    report.done("(plan)", zone.units.len() as u64);

    let mut tx = pool.begin().await?;
    // The rows are consistent by construction: as a superuser (the managed cluster) the load
    // skips the per-row triggers (foreign keys, the round lock, the maintained totals) and
    // recounts the totals once at the end instead.
    let superuser: bool =
        sqlx::query_scalar("select rolsuper from pg_roles where rolname = current_user")
            .fetch_one(&mut *tx)
            .await?;
    if superuser {
        sqlx::query("set local session_replication_role = replica")
            .execute(&mut *tx)
            .await?;
    }
    let ids: Ids = {
        let (unit, account, org, survey, application, member, committee): (i64, i64, i64, i64, i64, i64, i64) =
            sqlx::query_as(
                "select (select coalesce(max(unit_id), 0) from unit),
                        (select coalesce(max(account_id), 0) from account),
                        (select coalesce(max(organization_id), 0) from organization),
                        (select coalesce(max(survey_id), 0) from survey),
                        (select coalesce(max(formation_application_id), 0) from formation_application),
                        (select coalesce(max(member_id), 0) from member),
                        (select organization_id from organization where kind = 'committee')",
            )
            .fetch_one(&mut *tx)
            .await?;
        Ids {
            unit,
            account,
            org,
            committee,
            member,
            survey,
            application,
        }
    };
    super::write_zone::units(&mut tx, &zone, &ids, &mut report).await?;
    super::write_zone::accounts(&mut tx, &zone, &ids, &password_hash, &mut report).await?;
    super::write_zone::organizations(&mut tx, &zone, &ids, &mut report).await?;
    super::write_rounds::surveys(&mut tx, &zone, &ids, &mut report).await?;
    super::write_applications::write(&mut tx, &zone, &ids, &apps, &mut report).await?;
    let members = super::members::write(&mut tx, zone.clone(), ids, keys).await?;
    report.done("member", members);
    let events = super::members::events(&mut tx, &ids, zone.today).await?;
    report.done("member_event", events);
    super::notices::write(&mut tx, &zone, &ids, &apps, &mut report).await?;
    let activity: i64 = sqlx::query_scalar("select coalesce(max(activity_id), 0) from activity")
        .fetch_one(&mut *tx)
        .await?;
    super::activities::write(&mut tx, &zone, &ids, activity, &mut report).await?;

    // The recount joins the loaded tables: without statistics the planner guesses badly.
    sqlx::query("analyze unit, organization, organization_unit, member, survey_entry, formation_application, activity, activity_unit, participation")
        .execute(&mut *tx)
        .await?;
    sqlx::query("select refresh_survey_totals(), refresh_application_totals()")
        .execute(&mut *tx)
        .await?;
    report.done("(totals)", 0);
    // The activities' kept totals (migration 0035), recounted once like the survey's.
    sqlx::query("select refresh_activity_totals()")
        .execute(&mut *tx)
        .await?;
    report.done("(activity totals)", 0);
    // The name search's pieces (migration 0015): their trigger was skipped with the others,
    // so they are filled once, keyed after the rows.
    if superuser {
        sqlx::query("select refresh_member_search()")
            .execute(&mut *tx)
            .await?;
        report.done("(name search)", 0);
    }
    sqlx::query("set local session_replication_role = origin")
        .execute(&mut *tx)
        .await?;
    sqlx::query("update survey set locked = true where survey_id = $1")
        .bind(ids.survey + 1)
        .execute(&mut *tx)
        .await?;
    for (table, column) in CHOSEN_IDS {
        sqlx::query(&format!(
            "select setval(pg_get_serial_sequence('{table}', '{column}'), greatest((select max({column}) from {table}), 1))"
        ))
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "insert into audit_event (occurred_at, username, action, entity, after, address)
         values (now(), '(command line)', 'data.generated', 'database', $1, 'local')",
    )
    .bind(json!({
        "seed": options.seed,
        "today": options.today,
        "members": sizes.members,
        "units": sizes.units,
        "organizations": sizes.organizations,
    }))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    report.done("(commit)", 0);
    // Statistics for the planner, and the visibility map that lets index-only scans (the
    // name search, capped counts) skip the rows: what autovacuum reaches after a while.
    sqlx::query("vacuum (analyze)").execute(pool).await?;
    report.done("(vacuum, analyze)", 0);
    Ok(report)
}

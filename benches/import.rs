//! The survey import benchmark: `cargo bench --bench import` (or `make bench-import`).
//!
//! Starts its own PostgreSQL cluster in a temporary folder (fsync on, as in production),
//! and times, over several runs each into a fresh database, the import of the bundled
//! sample (452 rows) and of a generated 10,000-row workbook, a re-import of the same file,
//! reading alone, and the dashboard's summary query. Prints medians.

use std::time::{Duration, Instant};

use tuanjian::db::audit::Actor;
use tuanjian::pg::Cluster;

const RUNS: usize = 7;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    let dir = std::env::temp_dir().join(format!("tuanjian-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let cluster = Cluster::start_managed(&dir)?;
    let result = runtime.block_on(run(&cluster));
    cluster.stop()?;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn fresh(cluster: &Cluster, n: usize) -> anyhow::Result<sqlx::PgPool> {
    let name = format!("bench_{n}");
    cluster.create_database(&name).await?;
    let pool = tuanjian::pg::pool(cluster.connect_options(&name)).await?;
    tuanjian::MIGRATOR.run(&pool).await?;
    Ok(pool)
}

async fn run(cluster: &Cluster) -> anyhow::Result<()> {
    let actor = Actor::system("bench", "local");
    let sample = tuanjian::demo::SURVEY_WORKBOOK.to_vec();
    let as_of = chrono::NaiveDate::from_ymd_opt(2019, 6, 1).expect("a date");
    let rows = tuanjian::generate::survey_rows(10_000, 42);
    let large =
        tuanjian::export::survey::workbook("基准测试摸排统计表", "开发区团工委", as_of, &rows)?;
    println!(
        "machine: {} cores, {}; sample {} KB, generated 10,000 rows {} KB; {RUNS} runs each",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::env::consts::ARCH,
        sample.len() / 1024,
        large.len() / 1024
    );
    println!(
        "{:<44} {:>12} {:>12} {:>12}",
        "what", "median", "min", "max"
    );
    let mut db_number = 0;
    for (label, bytes) in [
        ("sample, 452 rows", &sample),
        ("generated, 10,000 rows", &large),
    ] {
        let mut read = Vec::new();
        let mut first = Vec::new();
        let mut again = Vec::new();
        let mut summary = Vec::new();
        for _ in 0..RUNS {
            let started = Instant::now();
            tuanjian::import::survey::read(bytes).map_err(|e| anyhow::anyhow!("{e}"))?;
            read.push(started.elapsed());

            db_number += 1;
            let pool = fresh(cluster, db_number).await?;
            let started = Instant::now();
            let done = tuanjian::services::survey_import::import_survey(
                &pool,
                bytes.clone(),
                None,
                &actor,
                chrono::Utc::now(),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            first.push(started.elapsed());
            let started = Instant::now();
            let repeat = tuanjian::services::survey_import::import_survey(
                &pool,
                bytes.clone(),
                None,
                &actor,
                chrono::Utc::now(),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            again.push(started.elapsed());
            assert_eq!(repeat.changed, 0);
            for _ in 0..20 {
                let started = Instant::now();
                tuanjian::db::survey::summary(&pool, done.survey_id).await?;
                summary.push(started.elapsed());
            }
            pool.close().await;
        }
        for (what, samples) in [
            ("read and check only", read),
            ("import into an empty database", first),
            ("import again (nothing changes)", again),
            ("dashboard summary query", summary),
        ] {
            let (min, max) = (
                *samples.iter().min().expect("runs"),
                *samples.iter().max().expect("runs"),
            );
            println!(
                "{:<44} {:>12} {:>12} {:>12}",
                format!("{label}: {what}"),
                ms(median(samples)),
                ms(min),
                ms(max)
            );
        }
    }
    Ok(())
}

//! The audit log's hash chain (issue 18 item 3): intact after the demo, under concurrent
//! writes and across the migration that introduced it; an edited, a removed or a cut-off
//! event is found, exactly. Archives are in `audit_archive.rs`.

use std::borrow::Cow;
use std::path::PathBuf;
use std::process::Output;

use chrono::{Duration, Utc};
use sqlx::migrate::Migrator;
use sqlx::{Connection, PgConnection, PgPool};
use tuanjian::db::audit::{self, Action, Actor, Event};
use tuanjian::domain::audit_chain::Break;
use tuanjian::services::audit_chain::{self, Fault, Verified};

use crate::cluster::{binary, url_of};
use crate::helpers::{TestApp, fresh_databases};

pub(crate) async fn verified(db: &PgPool, files: &[PathBuf]) -> Result<Verified, Fault> {
    audit_chain::verify(db, files)
        .await
        .expect("reading the chain")
}

pub(crate) async fn event_ids(db: &PgPool) -> Vec<i64> {
    sqlx::query_scalar("select audit_event_id from audit_event order by 1")
        .fetch_all(db)
        .await
        .unwrap()
}

/// Writes `n` events as the application would, `days_ago` days back.
pub(crate) async fn write_events(db: &PgPool, n: usize, days_ago: i64) {
    let actor = Actor::system("测试·甲", "127.0.0.1");
    for i in 0..n {
        let event = Event::new(Action::UnitUpdated, "unit", i)
            .before(serde_json::json!({"名称": format!("旧{i}"), "n": i}))
            .after(serde_json::json!({"名称": "新|名"}));
        audit::record(db, Utc::now() - Duration::days(days_ago), &actor, event)
            .await
            .unwrap();
    }
}

/// As the owner, past the append-only trigger: what an intruder with the owner's
/// password could do.
pub(crate) async fn as_owner_unprotected(db: &PgPool, sql: &str) {
    let mut tx = db.begin().await.unwrap();
    for statement in [
        "alter table audit_event disable trigger audit_event_no_update",
        sql,
        "alter table audit_event enable trigger audit_event_no_update",
    ] {
        sqlx::query(statement).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
}

pub(crate) fn run(app: &TestApp, args: &[&str]) -> Output {
    binary()
        .env("DATABASE_URL", url_of(&app.state.db))
        .env("DATABASE_OWNER_URL", url_of(&app.db))
        .arg("--data-dir")
        .arg(std::env::temp_dir())
        .args(args)
        .output()
        .unwrap()
}

pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn the_chain_is_intact_after_the_demo() {
    let app = TestApp::spawn().await;
    tuanjian::demo::load(&app.state).await.unwrap();
    app.signed_in("committee").await;
    let done = verified(&app.state.db, &[]).await.unwrap();
    let count: i64 = sqlx::query_scalar("select count(*) from audit_event")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(count > 10, "the demo writes audit events: {count}");
    assert_eq!(done.in_table, count as u64);

    let output = run(&app, &["audit", "verify"]);
    assert!(output.status.success(), "{output:?}");
    assert!(
        stdout(&output).contains(&format!("已检查 {count} 条事件")),
        "{output:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_audited_writes_form_one_chain_in_id_and_commit_order() {
    let app = TestApp::spawn().await;
    let mut tasks = Vec::new();
    for task in 0..24 {
        let db = app.state.db.clone();
        tasks.push(tokio::spawn(async move {
            for round in 0..5 {
                let mut tx = db.begin().await.unwrap();
                let actor = Actor::system(&format!("writer{task}"), "127.0.0.1");
                audit::record(
                    &mut *tx,
                    Utc::now(),
                    &actor,
                    Event::new(Action::UnitUpdated, "unit", round),
                )
                .await
                .unwrap();
                tokio::time::sleep(std::time::Duration::from_millis(task % 3)).await;
                if (task + round) % 7 == 0 {
                    tx.rollback().await.unwrap();
                } else {
                    tx.commit().await.unwrap();
                }
            }
        }));
    }
    // sign-ins at the same time, through the server
    let signins: Vec<_> = ["committee", "leader", "admin", "secretary"]
        .into_iter()
        .map(|user| app.signed_in(user))
        .collect();
    futures_util::future::join_all(signins).await;
    for task in tasks {
        task.await.unwrap();
    }
    let committed = (0..24u64)
        .flat_map(|t| (0..5u64).map(move |r| (t, r)))
        .filter(|(t, r)| (t + r) % 7 != 0)
        .count() as u64;
    let done = verified(&app.state.db, &[]).await.unwrap();
    assert!(done.in_table >= committed + 4, "{done:?}");
}

#[tokio::test]
async fn an_edited_row_is_reported_at_exactly_that_event() {
    let app = TestApp::spawn().await;
    write_events(&app.state.db, 6, 0).await;
    let ids = event_ids(&app.db).await;
    let edited = ids[3];
    as_owner_unprotected(
        &app.db,
        &format!("update audit_event set username = 'forged' where audit_event_id = {edited}"),
    )
    .await;

    assert_eq!(
        verified(&app.state.db, &[]).await,
        Err(Fault::Chain(Break::Content { id: edited }))
    );
    let output = run(&app, &["audit", "verify"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(
        stdout(&output).contains(&format!("审计事件 {edited} 的内容与其哈希不符")),
        "{output:?}"
    );
}

#[tokio::test]
async fn a_removed_row_and_a_removed_last_row_are_found() {
    let app = TestApp::spawn().await;
    write_events(&app.state.db, 6, 0).await;
    let ids = event_ids(&app.db).await;
    as_owner_unprotected(
        &app.db,
        &format!("delete from audit_event where audit_event_id = {}", ids[2]),
    )
    .await;
    let found = verified(&app.state.db, &[]).await;
    assert!(
        matches!(&found, Err(Fault::Chain(Break::Link { id, .. })) if *id == ids[3]),
        "{found:?}"
    );

    let app = TestApp::spawn().await;
    write_events(&app.state.db, 3, 0).await;
    let last = *event_ids(&app.db).await.last().unwrap();
    as_owner_unprotected(
        &app.db,
        &format!("delete from audit_event where audit_event_id = {last}"),
    )
    .await;
    let found = verified(&app.state.db, &[]).await;
    assert!(
        matches!(&found, Err(Fault::Chain(Break::Tail { head_id, .. })) if *head_id == last),
        "{found:?}"
    );
}

#[tokio::test]
async fn the_migration_hashes_the_events_written_before_it() {
    let (owner, _) = fresh_databases().await;
    let server = owner.connect_options().as_ref().clone();
    let name = format!("tj_before_chain_{}", std::process::id());
    let mut conn = PgConnection::connect_with(&server.clone().database("postgres"))
        .await
        .unwrap();
    sqlx::query(&format!("create database \"{name}\""))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.ok();
    let db = tuanjian::pg::pool(server.database(&name)).await.unwrap();
    let before_chain = Migrator {
        migrations: Cow::Owned(
            tuanjian::MIGRATOR
                .iter()
                .filter(|m| m.version < 41)
                .cloned()
                .collect(),
        ),
        ..Migrator::DEFAULT
    };
    before_chain.run(&db).await.unwrap();
    sqlx::raw_sql(
        r#"insert into audit_event (occurred_at, username, action, entity, entity_id, before, after, address)
           values ('2018-06-01 08:00:00.123456+08', '旧·账户', 'unit.updated', 'unit', '7',
                   '{"名称": "甲|乙", "n": 1.50}', null, '10.0.0.1'),
                  (now(), 'x', 'login', '', '', null, '{"a": [1, {"b": null}]}', '');"#,
    )
    .execute(&db)
    .await
    .unwrap();
    tuanjian::MIGRATOR.run(&db).await.unwrap();
    write_events(&db, 2, 0).await;

    assert_eq!(
        verified(&db, &[]).await.map(|v| v.in_table),
        Ok(4),
        "the two events from before the migration are hashed and chained to the new ones"
    );
    db.close().await;
}

//! The audit log's hash chain (issue 18 item 3): intact after the demo and under concurrent
//! writes; an edited, a removed or a cut-off event is found, exactly; archives move old
//! events to a file that verify checks and joins to the table; recent events stay.

use std::path::{Path, PathBuf};
use std::process::Output;

use chrono::{Duration, Utc};
use sqlx::PgPool;
use tuanjian::db::audit::{self, Action, Actor, Event};
use tuanjian::domain::audit_chain::Break;
use tuanjian::services::audit_chain::{self, Fault, Verified};

use crate::cluster::{binary, url_of};
use crate::helpers::TestApp;

async fn verified(db: &PgPool, files: &[PathBuf]) -> Result<Verified, Fault> {
    audit_chain::verify(db, files)
        .await
        .expect("reading the chain")
}

async fn event_ids(db: &PgPool) -> Vec<i64> {
    sqlx::query_scalar("select audit_event_id from audit_event order by 1")
        .fetch_all(db)
        .await
        .unwrap()
}

/// Writes `n` events as the application would, `days_ago` days back.
async fn write_events(db: &PgPool, n: usize, days_ago: i64) {
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
async fn as_owner_unprotected(db: &PgPool, sql: &str) {
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

/// Starts the log afresh, so that back-dated events come first in the chain as old
/// events do in a real log (the template's accounts were written "now").
async fn empty_log(db: &PgPool) {
    as_owner_unprotected(db, "delete from audit_event").await;
    sqlx::query("update audit_chain_head set last_event_id = 0, last_hash = $1")
        .bind(vec![0u8; 32])
        .execute(db)
        .await
        .unwrap();
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tuanjian-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(app: &TestApp, args: &[&str]) -> Output {
    binary()
        .env("DATABASE_URL", url_of(&app.state.db))
        .env("DATABASE_OWNER_URL", url_of(&app.db))
        .arg("--data-dir")
        .arg(std::env::temp_dir())
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
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

fn tamper(file: &Path, from: &str, to: &str) -> PathBuf {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(from));
    let tampered = file.with_extension("tampered.jsonl");
    std::fs::write(&tampered, text.replacen(from, to, 1)).unwrap();
    tampered
}

#[tokio::test]
async fn archived_events_verify_with_their_file_and_a_tampered_file_fails() {
    let app = TestApp::spawn().await;
    empty_log(&app.db).await;
    write_events(&app.state.db, 5, 400).await;
    write_events(&app.state.db, 4, 190).await;
    write_events(&app.state.db, 3, 0).await;
    let dir = scratch("archive");
    let first = dir.join("first.jsonl");
    let second = dir.join("second.jsonl");
    let before = |days: i64| (Utc::now().date_naive() - Duration::days(days)).to_string();

    let output = run(
        &app,
        &[
            "audit",
            "archive",
            "--before",
            &before(300),
            first.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{output:?}");
    assert!(stdout(&output).contains("共 5 条"), "{output:?}");
    let output = run(
        &app,
        &[
            "audit",
            "archive",
            "--before",
            &before(186),
            second.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{output:?}");
    assert_eq!(event_ids(&app.db).await.len(), 3, "the recent events stay");

    assert_eq!(
        verified(&app.state.db, &[]).await,
        Ok(Verified {
            archived: 0,
            in_table: 3
        })
    );
    let files = [second.clone(), first.clone()];
    assert_eq!(
        verified(&app.state.db, &files).await,
        Ok(Verified {
            archived: 9,
            in_table: 3
        })
    );
    let output = run(
        &app,
        &[
            "audit",
            "verify",
            "--archive",
            first.to_str().unwrap(),
            second.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{output:?}");
    assert!(stdout(&output).contains("已检查 12 条事件"), "{output:?}");

    // an edited event inside the file
    let tampered = tamper(&first, "旧2", "旧X");
    let found = verified(&app.state.db, &[tampered.clone(), second.clone()]).await;
    assert!(
        matches!(found, Err(Fault::Chain(Break::Content { .. }))),
        "{found:?}"
    );
    // a file whose events were all re-hashed still differs from the recorded checksum
    let header_only = tamper(&first, "\"event_count\":5", "\"event_count\":5 ");
    let found = verified(&app.state.db, &[header_only]).await;
    assert!(
        matches!(&found, Err(Fault::Archive { why, .. }) if why.contains("校验和")),
        "{found:?}"
    );
    let output = run(
        &app,
        &["audit", "verify", "--archive", tampered.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn archive_refuses_a_date_within_185_days_and_the_applications_role_cannot_archive() {
    let app = TestApp::spawn().await;
    empty_log(&app.db).await;
    write_events(&app.state.db, 3, 400).await;
    let dir = scratch("archive-refused");
    let file = dir.join("recent.jsonl");
    let today = Utc::now().date_naive();
    let recent = today - Duration::days(100);

    let refused = audit_chain::archive(
        &app.db,
        recent,
        Utc::now() - Duration::days(100),
        today,
        &file,
    )
    .await
    .unwrap_err();
    assert!(refused.to_string().contains("至少保留185天"), "{refused}");
    let output = run(
        &app,
        &[
            "audit",
            "archive",
            "--before",
            &recent.to_string(),
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{output:?}");

    let old = today - Duration::days(200);
    let denied = audit_chain::archive(
        &app.state.db,
        old,
        Utc::now() - Duration::days(200),
        today,
        &file,
    )
    .await;
    assert!(denied.is_err(), "{denied:?}");
    assert!(!file.exists(), "no file is left behind");
    assert_eq!(event_ids(&app.db).await.len(), 3, "nothing was removed");
    assert!(verified(&app.state.db, &[]).await.is_ok());
    let _ = std::fs::remove_dir_all(&dir);
}

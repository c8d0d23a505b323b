//! Archiving the audit log (issue 18 item 3): old events move to a file that verify checks
//! and joins to the table; a tampered file fails; recent events stay; only the owner may
//! archive.

use std::path::{Path, PathBuf};

use chrono::{Duration, Utc};
use sqlx::PgPool;
use tuanjian::domain::audit_chain::Break;
use tuanjian::services::audit_chain::{self, Fault, Verified};

use crate::audit_chain::{as_owner_unprotected, event_ids, run, stdout, verified, write_events};
use crate::helpers::TestApp;

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

    let counts = |v: Verified| (v.archived, v.in_table);
    assert_eq!(verified(&app.state.db, &[]).await.map(counts), Ok((0, 3)));
    let files = [second.clone(), first.clone()];
    assert_eq!(
        verified(&app.state.db, &files).await.map(counts),
        Ok((9, 3))
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

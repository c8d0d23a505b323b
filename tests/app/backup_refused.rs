//! What `tuanjian restore` refuses, writing nothing: a damaged file, one of a newer schema,
//! a file that is no backup, and a database that holds data unless `--replace` is given.

use std::io::{Read, Write};
use std::path::Path;

use crate::backup::{backup_file, run, text};
use crate::cluster::{scratch, url_of};
use crate::helpers::owner_database;

/// The backup's two entries, with `change` applied to them, written as a new zip.
fn rewritten(from: &Path, to: &Path, change: impl Fn(&mut Vec<u8>, &mut serde_json::Value)) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut dump = Vec::new();
    zip.by_name("database.dump")
        .unwrap()
        .read_to_end(&mut dump)
        .unwrap();
    let mut manifest: serde_json::Value =
        serde_json::from_reader(zip.by_name("manifest.json").unwrap()).unwrap();
    change(&mut dump, &mut manifest);
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    out.start_file("database.dump", stored).unwrap();
    out.write_all(&dump).unwrap();
    out.start_file("manifest.json", stored).unwrap();
    out.write_all(manifest.to_string().as_bytes()).unwrap();
    out.finish().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_newer_or_foreign_file_is_refused_and_nothing_is_written() {
    let db = owner_database().await;
    let url = url_of(&db);
    let file = backup_file("backup-refused");
    let backup = run(
        vec!["backup".into(), file.display().to_string()],
        None,
        Some(url.clone()),
    )
    .await;
    assert!(backup.status.success(), "{}", text(&backup));
    let again = run(
        vec!["backup".into(), file.display().to_string()],
        None,
        Some(url.clone()),
    )
    .await;
    assert!(!again.status.success(), "a backup never overwrites a file");
    let nowhere = scratch("backup-nowhere");
    let other = backup_file("backup-nowhere");
    let mistyped = run(
        vec!["backup".into(), other.display().to_string()],
        Some(nowhere.as_path()),
        None,
    )
    .await;
    assert!(!mistyped.status.success());
    assert!(text(&mistyped).contains("no database under"));
    assert!(!nowhere.exists() && !other.exists(), "no cluster made");

    // One byte of the dump changed, its CRC in the zip made to match.
    let tampered = backup_file("backup-tampered");
    rewritten(&file, &tampered, |dump, _| {
        let middle = dump.len() / 2;
        dump[middle] ^= 1;
    });
    let newer = backup_file("backup-newer");
    rewritten(&file, &newer, |_, manifest| {
        let known = tuanjian::MIGRATOR.iter().map(|m| m.version).max().unwrap();
        manifest["schema_version"] = (known + 1).into();
    });
    let foreign = backup_file("backup-foreign");
    std::fs::write(&foreign, b"PK\x03\x04 not really").unwrap();
    for (path, message) in [
        (&tampered, "checksum"),
        (&newer, "newer than this tuanjian knows"),
        (&foreign, "is not a tuanjian backup"),
    ] {
        let target = scratch("backup-target");
        let refused = run(
            vec!["restore".into(), path.display().to_string()],
            Some(target.as_path()),
            None,
        )
        .await;
        assert!(!refused.status.success());
        assert!(text(&refused).contains(message), "{}", text(&refused));
        assert!(text(&refused).contains("nothing was restored") || path == &foreign);
        assert!(!target.exists(), "no cluster, no database was made");
    }

    // Over a database that holds data: refused, then replaced when asked.
    sqlx::query("update account set display_name = 'changed' where username = 'secretary2'")
        .execute(&db)
        .await
        .unwrap();
    let refused = run(
        vec!["restore".into(), file.display().to_string()],
        None,
        Some(url.clone()),
    )
    .await;
    assert!(!refused.status.success());
    assert!(text(&refused).contains("already holds data"));
    let replaced = run(
        vec![
            "restore".into(),
            file.display().to_string(),
            "--replace".into(),
        ],
        None,
        Some(url.clone()),
    )
    .await;
    assert!(replaced.status.success(), "{}", text(&replaced));
    db.close().await;
    let db = tuanjian::pg::pool(url.parse().unwrap()).await.unwrap();
    let restored: i64 = sqlx::query_scalar(
        "select count(*) from account where username = 'secretary2' and display_name <> 'changed'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(
        restored, 1,
        "the backup's data replaced the changed database"
    );
    db.close().await;
    for path in [file, tampered, newer, foreign] {
        let _ = std::fs::remove_file(path);
    }
}

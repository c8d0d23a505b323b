//! `tuanjian backup` and `tuanjian restore`, run as the binary: the demo backed up beside
//! its running server and restored into a fresh data folder shows the same figures and
//! decrypts the same resident ID with the same key file. The refusals are in
//! `backup_refused`.

use std::path::{Path, PathBuf};
use std::process::Output;

use tuanjian::domain::ids::MemberId;
use tuanjian::pg::Cluster;

use crate::cluster::{binary, free_port, scratch, serve_ready_with, terminate};
use crate::helpers::PASSWORD;

/// Runs the binary with `args` (and `--data-dir dir` or `DATABASE_URL`) off the runtime.
pub async fn run(args: Vec<String>, data_dir: Option<&Path>, url: Option<String>) -> Output {
    let data_dir = data_dir.map(Path::to_path_buf);
    tokio::task::spawn_blocking(move || {
        let mut command = binary();
        command.args(args);
        if let Some(dir) = data_dir {
            command.arg("--data-dir").arg(dir);
        }
        if let Some(url) = url {
            command.env("DATABASE_URL", url);
        }
        command.output().unwrap()
    })
    .await
    .unwrap()
}

pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

pub fn backup_file(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("tuanjian-{name}-{}.zip", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

fn keys_beside(dir: &Path) -> PathBuf {
    PathBuf::from(format!("{}.keys", dir.display()))
}

/// The pages a committee member reads, signed in on the server at `port`, with the
/// session's CSRF token taken out.
async fn pages(port: u16, member: i64) -> Vec<(String, String)> {
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let login = http
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = crate::helpers::csrf_in(&login).unwrap();
    let signed = http
        .post(format!("{base}/login"))
        .form(&[
            ("username", "committee"),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 303);
    let mut out = Vec::new();
    for path in [
        "/dashboard".to_string(),
        "/api/v1/survey/summary".to_string(),
        "/units".to_string(),
        "/members".to_string(),
        format!("/members/{member}"),
    ] {
        let response = http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let body = response.text().await.unwrap();
        let body = match crate::helpers::csrf_in(&body) {
            Some(token) => body.replace(&token, "TOKEN"),
            None => body,
        };
        out.push((path, body));
    }
    out
}

/// The first member and their decrypted resident ID, read as the running server's
/// database holds them (the cluster adopted, left running).
async fn first_member(dir: &Path, keys: &Path) -> (i64, String) {
    let keys = tuanjian::crypto::Keys::parse(&std::fs::read_to_string(keys).unwrap()).unwrap();
    let dir = dir.to_path_buf();
    let cluster = tokio::task::spawn_blocking(move || Cluster::start_managed(&dir).unwrap())
        .await
        .unwrap();
    assert!(!cluster.started_here());
    let pool = tuanjian::pg::pool(cluster.connect_options(tuanjian::pg::DATABASE_NAME))
        .await
        .unwrap();
    let member: i64 = sqlx::query_scalar("select min(member_id) from member")
        .fetch_one(&pool)
        .await
        .unwrap();
    let (id, _) = tuanjian::db::member::reveal(&pool, &keys, MemberId(member))
        .await
        .unwrap();
    pool.close().await;
    (member, id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_restored_in_a_fresh_folder_shows_the_same_figures_and_ids() {
    let (first, second) = (scratch("backup-first"), scratch("backup-second"));
    let file = backup_file("backup-demo");
    let port = free_port();
    let server = serve_ready_with(&first, port, &["--demo"]).await;
    // Item 6: a given data folder keeps its keys beside it, not inside.
    assert!(keys_beside(&first).is_file());
    assert!(!first.join("keys").exists());
    let (member, id) = first_member(&first, &keys_beside(&first)).await;
    let before = pages(port, member).await;

    let backup = run(
        vec!["backup".into(), file.display().to_string()],
        Some(first.as_path()),
        None,
    )
    .await;
    assert!(backup.status.success(), "{}", text(&backup));
    assert!(
        text(&backup).contains("backup written"),
        "{}",
        text(&backup)
    );
    let ready = reqwest::get(format!("http://127.0.0.1:{port}/readyz"))
        .await
        .unwrap();
    assert_eq!(ready.status(), 200, "the running server keeps its database");
    assert!(terminate(server).await.unwrap().success());
    let zip = zip::ZipArchive::new(std::fs::File::open(&file).unwrap()).unwrap();
    let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["database.dump", "manifest.json"], "no keys inside");

    // The same key file, moved along with the backup as an operator would.
    std::fs::copy(keys_beside(&first), keys_beside(&second)).unwrap();
    let restore = run(
        vec!["restore".into(), file.display().to_string()],
        Some(second.as_path()),
        None,
    )
    .await;
    assert!(restore.status.success(), "{}", text(&restore));
    assert!(text(&restore).contains("checksum verified"));
    let port = free_port();
    // Served as in production, but with the demo's accounts signing in with their
    // password alone, as before the backup: the pages are compared, not the second factor.
    let server = serve_ready_with(&second, port, &["--second-factor-required", "none"]).await;
    let after = pages(port, member).await;
    for ((path, was), (_, is)) in before.iter().zip(&after) {
        assert!(was == is, "{path} differs after the restore");
    }
    assert_eq!(
        first_member(&second, &keys_beside(&second)).await,
        (member, id)
    );

    // A second restore over data is refused without --replace.
    let again = run(
        vec!["restore".into(), file.display().to_string()],
        Some(second.as_path()),
        None,
    )
    .await;
    assert!(!again.status.success());
    assert!(text(&again).contains("--replace"), "{}", text(&again));
    assert!(terminate(server).await.unwrap().success());
    for path in [file, keys_beside(&first), keys_beside(&second)] {
        let _ = std::fs::remove_file(path);
    }
}

//! Uploading a workbook in the browser's way (multipart, with the CSRF token in the form):
//! the preview of faults or of totals and changes, the commit from the preview only, the
//! faulty rows as a workbook, and the refusal of oversized files and zip bombs.

use reqwest::multipart::{Form, Part};

use crate::helpers::{Client, TestApp};
use crate::survey::fingerprint;
use crate::workbooks::{self, ERRORS_XLSX, SAMPLE_XLSX};

async fn upload(client: &Client, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let token = client.csrf().await;
    let form = Form::new()
        .text("csrf_token", token)
        .part("file", Part::bytes(bytes).file_name(name.to_string()));
    client
        .http
        .post(client.url("/surveys/upload"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_errors_sample_previews_its_faults_writes_nothing_and_gives_its_rows_back() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let before = fingerprint(&app).await;
    let response = upload(&committee, "摸排-有错.xlsx", ERRORS_XLSX.to_vec()).await;
    assert_eq!(response.status(), 303);
    let preview = response.headers()["location"].to_str().unwrap().to_string();
    let (status, body) = committee.get_text(&preview).await;
    assert_eq!(status, 200);
    assert!(body.contains("发现 10 处错误，未导入任何数据"));
    for row in ["30", "37", "49", "60", "62", "70", "82", "91", "113"] {
        assert!(
            body.contains(&format!("<td class=\"num\">{row}</td>")),
            "row {row}"
        );
    }
    assert!(
        body.contains("<code>公司</code>"),
        "the cell's value is shown"
    );
    assert!(
        !body.contains("id=\"commit\""),
        "no commit from a faulty preview"
    );
    assert_eq!(fingerprint(&app).await, before);

    let faults = committee.get(&format!("{preview}/faults")).await;
    assert_eq!(faults.status(), 200);
    assert!(
        faults.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''")
    );
    let grid = workbooks::grid(&faults.bytes().await.unwrap());
    let header = grid
        .iter()
        .find(|r| {
            r.iter()
                .any(|c| *c == workbooks::Cell::Text("错误原因".into()))
        })
        .expect("a 错误原因 column");
    let reason_col = header
        .iter()
        .position(|c| *c == workbooks::Cell::Text("错误原因".into()))
        .unwrap();
    let reasons: Vec<String> = grid
        .iter()
        .filter_map(|r| match r.get(reason_col) {
            Some(workbooks::Cell::Text(t)) if t != "错误原因" => Some(t.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(reasons.len(), 9, "one row for each faulty row");
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("青年职工数：不能为负数") && r.contains("团员数"))
    );

    // Committing a faulty upload by hand is refused too.
    let response = committee.post_form(&format!("{preview}/commit"), &[]).await;
    let (_, body) = committee.follow(response).await;
    assert!(body.contains("未导入"));
    assert_eq!(fingerprint(&app).await, before);
}

#[tokio::test]
async fn a_clean_upload_previews_totals_and_changes_then_commits_once() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let response = upload(&committee, "survey-2018.xlsx", SAMPLE_XLSX.to_vec()).await;
    let preview = response.headers()["location"].to_str().unwrap().to_string();
    let (_, body) = committee.get_text(&preview).await;
    assert!(body.contains("检查通过：工作表“摸排统计”，452 行，统计截止 2018-06-01"));
    assert!(
        body.contains("新增单位 <strong>450</strong> 个"),
        "two demo units exist by name"
    );
    assert!(body.contains("<span class=\"figure-value\">1779</span>"));
    assert_eq!(
        sqlx::query_scalar::<_, i64>("select count(*) from survey")
            .fetch_one(&app.db)
            .await
            .unwrap(),
        0,
        "the preview wrote nothing"
    );

    let response = committee.post_form(&format!("{preview}/commit"), &[]).await;
    assert_eq!(response.status(), 303);
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/dashboard?survey=")
    );
    let (_, dashboard) = committee.follow(response).await;
    assert!(dashboard.contains("已导入截止2018-06-01的摸排数据：452行"));
    let again = committee.post_form(&format!("{preview}/commit"), &[]).await;
    let (_, body) = committee.follow(again).await;
    assert!(body.contains("该文件已经导入过了"));
    assert_eq!(app.audit_count("survey.imported").await, 1);

    // A second workbook with one changed figure previews the change.
    let mut changed = workbooks::grid(SAMPLE_XLSX);
    changed[4][7] = workbooks::Cell::Number(6.0);
    changed[456][7] = workbooks::Cell::Number(1780.0);
    let response = upload(&committee, "changed.xlsx", workbooks::xlsx(&changed)).await;
    let preview = response.headers()["location"].to_str().unwrap().to_string();
    let (_, body) = committee.get_text(&preview).await;
    assert!(body.contains("人数有变化的单位 <strong>1</strong> 个"));
    assert!(body.contains("开发区自然资源局") && body.contains("5 → 6"));
}

#[tokio::test]
async fn oversized_uploads_and_zip_bombs_are_refused_before_parsing() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let huge = vec![b'x'; 22 * 1024 * 1024];
    let response = upload(&committee, "huge.xlsx", huge).await;
    assert_eq!(response.status(), 413);
    assert!(response.text().await.unwrap().contains("超过 20 MB"));

    let bomb = {
        use std::io::Write;
        let mut buffer = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buffer);
        zip.start_file(
            "xl/worksheets/sheet1.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(&vec![b'<'; 50 * 1024 * 1024]).unwrap();
        zip.finish().unwrap();
        buffer.into_inner()
    };
    let response = upload(&committee, "bomb.xlsx", bomb).await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    assert!(body.contains("疑似恶意文件"));
    let response = upload(&committee, "notes.txt", b"just some text".to_vec()).await;
    assert!(response.text().await.unwrap().contains("不是Excel工作簿"));
    let stored: i64 = sqlx::query_scalar("select count(*) from upload")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 0, "refused files are not kept");

    // Without the token, an upload is refused as any other form.
    let form = Form::new().part(
        "file",
        Part::bytes(SAMPLE_XLSX.to_vec()).file_name("a.xlsx"),
    );
    let response = committee
        .http
        .post(committee.url("/surveys/upload"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn only_the_committee_uploads_and_previews() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let response = upload(&committee, "survey.xlsx", SAMPLE_XLSX.to_vec()).await;
    let preview = response.headers()["location"].to_str().unwrap().to_string();
    for user in ["leader", "secretary", "admin"] {
        let client = app.signed_in(user).await;
        assert_eq!(client.get(&preview).await.status(), 403, "{user}");
        assert_eq!(
            upload(&client, "x.xlsx", SAMPLE_XLSX.to_vec())
                .await
                .status(),
            403,
            "{user}"
        );
        assert_eq!(
            client
                .post_form(&format!("{preview}/commit"), &[])
                .await
                .status(),
            403,
            "{user}"
        );
    }
    assert_eq!(
        committee.get("/surveys/upload/not-a-uuid").await.status(),
        404
    );
    assert_eq!(
        committee
            .get("/surveys/upload/00000000-0000-0000-0000-000000000000")
            .await
            .status(),
        404
    );
}

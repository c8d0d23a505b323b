//! An activity's photos and documents (issue 16 item 1): type checked by content, size
//! limited, a photo's thumbnail made at upload, downloads as uploaded, scoped like the
//! activity, uploads and deletions audited.

use std::io::Cursor;

use reqwest::multipart::{Form, Part};

use crate::helpers::{Client, TestApp};
use crate::participation::rally;

/// A small PNG made here: `width` × `height`, one colour.
pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::RgbImage::from_pixel(width, height, image::Rgb([196, 30, 58]))
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// Posts `bytes` as `name` to the activity page `page`'s upload form; the raw answer.
async fn upload(client: &Client, page: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let token = client.csrf().await;
    let form = Form::new()
        .text("csrf_token", token)
        .part("file", Part::bytes(bytes).file_name(name.to_string()));
    client
        .http
        .post(client.url(&format!("{page}/files")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn files(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from activity_file")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn last_file(app: &TestApp) -> i64 {
    sqlx::query_scalar("select max(activity_file_id) from activity_file")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn photos_get_thumbnails_documents_download_as_uploaded_and_both_are_deleted() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let page = rally(&app, &committee).await;

    let photo = png(900, 600);
    let response = upload(&committee, &page, "合影.png", photo.clone()).await;
    assert_eq!(response.status(), 303);
    let (_, html) = committee.follow(response).await;
    assert!(html.contains("照片已上传。"), "{html}");
    let id = last_file(&app).await;
    assert!(html.contains(&format!("src=\"{page}/files/{id}/thumb\"")));
    assert!(html.contains("alt=\"活动照片：合影.png\""));

    let thumb = committee.get(&format!("{page}/files/{id}/thumb")).await;
    assert_eq!(thumb.status(), 200);
    assert_eq!(thumb.headers()["content-type"], "image/jpeg");
    let small = image::load_from_memory(&thumb.bytes().await.unwrap()).unwrap();
    assert_eq!((small.width(), small.height()), (320, 213));

    let original = committee.get(&format!("{page}/files/{id}")).await;
    assert_eq!(original.status(), 200);
    assert_eq!(original.headers()["content-type"], "image/png");
    let disposition = original.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains("filename*=UTF-8''%E5%90%88%E5%BD%B1.png"),
        "{disposition}"
    );
    assert_eq!(original.bytes().await.unwrap().to_vec(), photo);

    let pdf = b"%PDF-1.4\n% minutes of the meeting\n".to_vec();
    let response = upload(&committee, &page, "会议纪要.pdf", pdf.clone()).await;
    let (_, html) = committee.follow(response).await;
    assert!(html.contains("文件已上传。"));
    assert!(
        html.contains("会议纪要.pdf</a> <span class=\"muted\">1 KB</span>"),
        "{html}"
    );
    let document = last_file(&app).await;
    let got = committee.get(&format!("{page}/files/{document}")).await;
    assert_eq!(got.headers()["content-type"], "application/pdf");
    assert_eq!(got.bytes().await.unwrap().to_vec(), pdf);
    // A document has no thumbnail.
    assert_eq!(
        committee
            .get(&format!("{page}/files/{document}/thumb"))
            .await
            .status(),
        404
    );
    assert_eq!(app.audit_count("activity.file_added").await, 2);

    let response = committee
        .post_form(&format!("{page}/files/{id}/delete"), &[])
        .await;
    let (_, html) = committee.follow(response).await;
    assert!(html.contains("已删除该文件。"));
    assert!(!html.contains("合影.png"));
    assert_eq!(
        committee.get(&format!("{page}/files/{id}")).await.status(),
        404
    );
    assert_eq!(files(&app).await, 1);
    assert_eq!(app.audit_count("activity.file_removed").await, 1);
    // Deleting it again says so and writes nothing.
    let response = committee
        .post_form(&format!("{page}/files/{id}/delete"), &[])
        .await;
    assert!(
        committee
            .follow(response)
            .await
            .1
            .contains("该文件已不存在")
    );
    assert_eq!(app.audit_count("activity.file_removed").await, 1);
}

#[tokio::test]
async fn files_are_refused_by_content_and_size_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let page = rally(&app, &committee).await;

    let refusals = [
        (
            "说明.png",
            b"just some text, renamed".to_vec(),
            "只能上传 JPG、PNG 图片或 PDF、Word、Excel 文件",
        ),
        (
            "archive.docx",
            b"PK\x03\x04 not a document".to_vec(),
            "只能上传 JPG、PNG 图片或 PDF、Word、Excel 文件",
        ),
        (
            "broken.png",
            b"\x89PNG\r\n\x1a\nnot really".to_vec(),
            "这张图片无法读取或尺寸过大",
        ),
        (
            "big.png",
            {
                let mut big = png(2, 2);
                big.resize(10 * 1024 * 1024 + 1, 0);
                big
            },
            "照片不能超过 10 MB",
        ),
        ("empty.pdf", Vec::new(), "请选择要上传的照片或文件"),
    ];
    for (name, bytes, message) in refusals {
        let response = upload(&committee, &page, name, bytes).await;
        assert_eq!(response.status(), 303, "{name}");
        let (_, html) = committee.follow(response).await;
        assert!(html.contains(message), "{name}: {html}");
    }
    assert_eq!(files(&app).await, 0);
    assert_eq!(app.audit_count("activity.file_added").await, 0);
}

#[tokio::test]
async fn files_are_scoped_like_their_activity() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let page = rally(&app, &committee).await;
    upload(&committee, &page, "合影.png", png(40, 30)).await;
    let id = last_file(&app).await;

    // The leader reads the zone's activities but changes none.
    let leader = app.signed_in("leader").await;
    assert_eq!(
        leader
            .get(&format!("{page}/files/{id}/thumb"))
            .await
            .status(),
        200
    );
    assert_eq!(
        leader.get(&format!("{page}/files/{id}")).await.status(),
        200
    );
    assert_eq!(
        upload(&leader, &page, "x.png", png(4, 4)).await.status(),
        403
    );
    let delete = leader
        .post_form(&format!("{page}/files/{id}/delete"), &[])
        .await;
    assert_eq!(delete.status(), 403);

    // A unit that took no part finds nothing, whatever it sends.
    let other = app.signed_in("secretary2").await;
    assert_eq!(other.get(&format!("{page}/files/{id}")).await.status(), 404);
    assert_eq!(
        other
            .get(&format!("{page}/files/{id}/thumb"))
            .await
            .status(),
        404
    );
    assert_eq!(
        upload(&other, &page, "x.png", png(4, 4)).await.status(),
        404
    );
    let delete = other
        .post_form(&format!("{page}/files/{id}/delete"), &[])
        .await;
    assert_eq!(delete.status(), 404);
    assert_eq!(files(&app).await, 1);
}

//! An activity's photos in Chromium at phone width (375 px): the committee uploads one and
//! sees its thumbnail in the page's grid.

use fantoccini::Locator;

use crate::activity_files::png;
use crate::browser::{browser, file_of, screenshot, sign_in, submit_file, text_of, wait_text};
use crate::helpers::{PASSWORD, TestApp};
use crate::participation::rally;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_phone_width_a_photo_is_uploaded_and_its_thumbnail_shown() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let page = rally(&app, &committee).await;
    let phone = browser(375, 812, true).await;
    let c = &phone.client;
    sign_in(c, &app.base, "committee", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    c.goto(&format!("{}{page}", app.base)).await.unwrap();

    submit_file(c, "#upload-file", &file_of("合影.png", png(900, 600))).await;
    wait_text(c, ".flash-ok", "照片已上传。").await;
    let img = c
        .find(Locator::Css("[data-testid=activity-photos] img"))
        .await
        .unwrap();
    // file_of names the file on disk with a unique prefix; the page shows that name.
    let alt = img.attr("alt").await.unwrap().unwrap_or_default();
    assert!(
        alt.starts_with("活动照片：") && alt.ends_with("合影.png"),
        "{alt}"
    );
    // The thumbnail was fetched and decoded by the browser, not a broken image.
    c.execute(
        "arguments[0].scrollIntoView();",
        vec![serde_json::to_value(&img).unwrap()],
    )
    .await
    .unwrap();
    let mut width = serde_json::Value::Null;
    for _ in 0..50 {
        width = c
            .execute(
                "const i = document.querySelector('[data-testid=activity-photos] img'); return i.complete ? i.naturalWidth : 0;",
                vec![],
            )
            .await
            .unwrap();
        if width.as_u64().unwrap_or(0) > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(width.as_u64(), Some(320));
    screenshot(c, "activity-photo-375").await;
}

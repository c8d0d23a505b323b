//! The volunteer certificate in Chromium at phone width (375 px): the committee issues one
//! from a member's page and sees the print view; someone without an account checks its
//! number on the verification page, and an unknown number.

use fantoccini::{Client, Locator};

use crate::browser::{browser, screenshot, sign_in, text_of, wait_for_path};
use crate::helpers::{PASSWORD, TestApp};

async fn verify(c: &Client, base: &str, number: &str) {
    c.goto(&format!("{base}/verify")).await.unwrap();
    let input = c.find(Locator::Id("number")).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(number).await.unwrap();
    c.find(Locator::Css("#verify-form button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_phone_width_a_certificate_is_issued_printed_and_verified_without_an_account() {
    let app = TestApp::spawn().await;
    let v = crate::certificates::volunteer(&app).await;
    let phone = browser(375, 812, true).await;
    let c = &phone.client;
    sign_in(c, &app.base, "committee", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    c.goto(&format!("{}/members/{}", app.base, v.member))
        .await
        .unwrap();
    c.find(Locator::Css("#issue-certificate button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let hours = text_of(c, "[data-testid=certificate-hours]").await;
    assert_eq!(hours, "109.5");
    let number = text_of(c, "[data-testid=certificate-number]").await;
    assert!(number.starts_with("TJ"), "{number}");
    screenshot(c, "certificate-375").await;
    // On paper (A4, the print stylesheet): no navigation, no buttons.
    let pdf = c
        .print(fantoccini::wd::PrintConfiguration::default())
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::write(dir.join("certificate-print.pdf"), pdf).unwrap();
    // The member's page lists the certificate under their record.
    c.find(Locator::LinkText("← 返回志愿服务记录"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let listed = text_of(c, "[data-testid=certificates]").await;
    assert!(listed.contains(&number), "{listed}");
    screenshot(c, "member-certificates-375").await;
    phone.client.clone().close().await.unwrap();

    let anyone = browser(375, 812, true).await;
    let c = &anyone.client;
    // The sign-in page leads there for whoever has no account.
    c.goto(&format!("{}/login", app.base)).await.unwrap();
    screenshot(c, "login-verify-link-375").await;
    c.find(Locator::LinkText("证明查验"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(c, "/verify").await;
    verify(c, &app.base, &number.to_lowercase()).await;
    wait_for_path(c, "/verify").await;
    assert_eq!(text_of(c, "[data-testid=verify-name]").await, "志**甲");
    assert_eq!(text_of(c, "[data-testid=verify-hours]").await, "109.5");
    screenshot(c, "verify-found-375").await;
    verify(c, &app.base, "TJ2026-0000000000").await;
    let message = text_of(c, "[data-testid=verify-message]").await;
    assert!(message.contains("未找到"), "{message}");
    screenshot(c, "verify-unknown-375").await;
    anyone.client.clone().close().await.unwrap();
}

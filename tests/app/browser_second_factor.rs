//! The second factor in Chromium: enrolment (QR code, a wrong then a right code, the
//! recovery codes) and the code form after the password, at desktop and phone width.

use fantoccini::{Client, Locator};
use tuanjian::auth::totp;

use crate::browser::{browser, screenshot, sign_in, sign_out, text_of, wait_for_path};
use crate::helpers::{PASSWORD, TestApp};
use crate::second_factor::{code_now, next_step};

async fn type_into(c: &Client, id: &str, text: &str) {
    let field = c.find(Locator::Id(id)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

async fn click(c: &Client, id: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Waits until the browser has left `path` (for the home page, wherever it sends them).
async fn leaves(c: &Client, path: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while c.current_url().await.unwrap().path() == path {
        assert!(std::time::Instant::now() < deadline, "still at {path}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Whether the page fits the viewport without sideways scrolling.
async fn fits(c: &Client) -> bool {
    let sizes: serde_json::Value = c
        .execute(
            "return [window.innerWidth, document.documentElement.scrollWidth];",
            vec![],
        )
        .await
        .unwrap();
    sizes[1].as_i64().unwrap() <= sizes[0].as_i64().unwrap()
}

/// Enrols the signed-in user through the page; returns the secret.
async fn enrol_in_browser(app: &TestApp, c: &Client, name: &str) -> Vec<u8> {
    c.goto(&format!("{}/account/second-factor", app.base))
        .await
        .unwrap();
    let secret = totp::secret_from_base32(&text_of(c, "#second-factor-secret").await).unwrap();
    let qr = c
        .find(Locator::Css("[data-testid=second-factor-qr]"))
        .await
        .unwrap();
    let width: serde_json::Value = c
        .execute(
            "return document.querySelector('[data-testid=second-factor-qr]').naturalWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert!(width.as_i64().unwrap() > 0, "the QR code is drawn");
    assert!(qr.is_displayed().await.unwrap());
    screenshot(c, &format!("second-factor-enrol-{name}")).await;

    let wrong = totp::code_at(&secret, totp::step_of(app.clock.now()) + 40);
    type_into(c, "code", &wrong).await;
    click(c, "enrol-submit").await;
    let error = text_of(c, "#enrol-error").await;
    assert!(error.starts_with("验证码不正确"), "{error}");
    // The same secret is offered again.
    assert_eq!(
        totp::secret_from_base32(&text_of(c, "#second-factor-secret").await).unwrap(),
        secret
    );
    type_into(c, "code", &code_now(app, &secret)).await;
    click(c, "enrol-submit").await;
    let codes = text_of(c, "#recovery-codes").await;
    assert_eq!(codes.lines().count(), 10, "{codes}");
    screenshot(c, &format!("second-factor-recovery-codes-{name}")).await;
    assert!(fits(c).await, "the recovery codes fit the screen");
    click(c, "recovery-done").await;
    leaves(c, "/account/second-factor").await;
    next_step(app);
    secret
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_committee_enrols_a_second_factor_in_chromium() {
    let app = TestApp::spawn().await;
    let browser = browser(1280, 900, false).await;
    let c = &browser.client;
    sign_in(c, &app.base, "committee", PASSWORD).await;
    enrol_in_browser(&app, c, "1280").await;
    c.goto(&format!("{}/account/second-factor", app.base))
        .await
        .unwrap();
    let state = text_of(c, "#second-factor-status").await;
    assert!(
        state.contains("已启用") && state.contains("10 个"),
        "{state}"
    );
    screenshot(c, "second-factor-enrolled-1280").await;
    browser.client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_phone_width_a_secretary_enrols_and_signs_in_with_a_code() {
    let app = TestApp::spawn().await;
    let browser = browser(375, 812, true).await;
    let c = &browser.client;
    sign_in(c, &app.base, "secretary", PASSWORD).await;
    let secret = enrol_in_browser(&app, c, "375").await;
    sign_out(c).await;

    sign_in(c, &app.base, "secretary", PASSWORD).await;
    wait_for_path(c, "/login/code").await;
    assert!(fits(c).await, "the code form fits the screen");
    assert!(
        c.find(Locator::Css("details.menu")).await.is_err(),
        "no menu before the code"
    );
    screenshot(c, "second-factor-code-375").await;
    type_into(c, "code", "abc").await;
    click(c, "code-submit").await;
    assert_eq!(text_of(c, "#code-error").await, totp::ENTRY_SHAPE_MESSAGE);
    let wrong = totp::code_at(&secret, totp::step_of(app.clock.now()) + 40);
    type_into(c, "code", &wrong).await;
    click(c, "code-submit").await;
    crate::browser::wait_text(
        c,
        "#code-error",
        tuanjian::auth::signin_code::WRONG_CODE_MESSAGE,
    )
    .await;
    screenshot(c, "second-factor-code-wrong-375").await;
    type_into(c, "code", &code_now(&app, &secret)).await;
    click(c, "code-submit").await;
    leaves(c, "/login/code").await;
    text_of(c, "[data-testid=current-user]").await;
    browser.client.clone().close().await.unwrap();
}

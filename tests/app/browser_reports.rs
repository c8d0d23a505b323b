//! The committee's report in Chromium: it opens the draft from the report page, writes
//! the words around the figures, saves, and finalises after confirming; the leader reads
//! the finalised report at phone width (issue 17 item 4).

use std::time::Duration;

use fantoccini::Locator;

use crate::browser::{browser, screenshot, sign_in, text_of, wait_for_path};
use crate::helpers::{PASSWORD, TestApp};
use crate::survey::import_sample;

/// Waits until the element's text holds `part`.
async fn wait_contains(c: &fantoccini::Client, css: &str, part: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(element) = c.find(Locator::Css(css)).await
            && element.text().await.is_ok_and(|t| t.contains(part))
        {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{css} never showed {part}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_committee_writes_and_finalises_a_report_that_the_leader_reads_on_a_phone() {
    let app = TestApp::spawn().await;
    import_sample(&app).await;
    let desk = browser(1280, 900, false).await;
    let c = &desk.client;
    sign_in(c, &app.base, "committee", PASSWORD).await;
    c.goto(&format!("{}/reports/work-summary?period=2018H1", app.base))
        .await
        .unwrap();
    c.find(Locator::XPath("//button[normalize-space()='起草报告']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("form.report-editor"))
        .await
        .unwrap();
    let opening = c.find(Locator::Id("opening")).await.unwrap();
    opening
        .send_keys("2018年，团工委在党工委坚强领导下开展工作。")
        .await
        .unwrap();
    let words = c
        .find(Locator::Css("textarea[name='words:organization']"))
        .await
        .unwrap();
    words.send_keys("基层团组织是团的基本细胞。").await.unwrap();
    screenshot(c, "report-editor").await;
    c.find(Locator::XPath("//button[normalize-space()='保存']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_contains(c, "[data-testid=report-state]", "草稿").await;
    let shown = text_of(c, "[data-testid=work-summary]").await;
    assert!(
        shown.contains("2018年，团工委在党工委坚强领导下开展工作。"),
        "{shown}"
    );
    assert!(shown.contains("建团申请待批复。基层团组织是团的基本细胞。"));
    let report = c.current_url().await.unwrap().path().to_string();

    // 报送 asks first; dismissed, nothing changes.
    let finalise = "form[action$='/finalise'] button";
    c.find(Locator::Css(finalise))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let question = c.get_alert_text().await.unwrap();
    assert!(question.contains("报送后报告将定稿"), "{question}");
    c.dismiss_alert().await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        text_of(c, "[data-testid=report-state]")
            .await
            .contains("草稿")
    );
    c.find(Locator::Css(finalise))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.accept_alert().await.unwrap();
    wait_contains(c, "[data-testid=report-state]", "已报送").await;
    screenshot(c, "report-finalised").await;
    assert_eq!(app.audit_count("work_report.finalised").await, 1);

    let phone = browser(375, 812, true).await;
    let p = &phone.client;
    sign_in(p, &app.base, "leader", PASSWORD).await;
    p.goto(&format!("{}{report}", app.base)).await.unwrap();
    wait_for_path(p, &report).await;
    let read = text_of(p, "[data-testid=work-summary]").await;
    assert!(read.contains("基层团组织是团的基本细胞。"));
    let width: i64 = p
        .execute("return document.documentElement.scrollWidth;", vec![])
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    assert!(width <= 375, "no sideways scrolling at 375 px: {width}");
    screenshot(p, "report-leader-375").await;
}

//! Cadre assessment in Chromium: the committee opens the year's table at desktop width,
//! enters a secretary's scores after a faulty try, and sees the result in the table; the
//! secretary reads their own result on a phone (375 px).

use fantoccini::{Client, Locator};

use crate::browser::{browser, screenshot, sign_in, text_of, wait_text};
use crate::helpers::{PASSWORD, TestApp};

/// Types the five component scores into the entry form and saves it.
async fn fill_scores(c: &Client, scores: [&str; 5]) {
    let form = c
        .wait()
        .for_element(Locator::Id("assessment-form"))
        .await
        .unwrap();
    for (n, score) in scores.iter().enumerate() {
        let input = form.find(Locator::Id(&format!("score_{n}"))).await.unwrap();
        input.clear().await.unwrap();
        input.send_keys(score).await.unwrap();
    }
    form.find(Locator::Id("save-assessment"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_committee_enters_a_cadres_scores_and_sees_the_table() {
    let app = TestApp::spawn().await;
    let desk = browser(1280, 900, false).await;
    let d = &desk.client;
    sign_in(d, &app.base, "committee", PASSWORD).await;
    text_of(d, "[data-testid=current-user]").await;
    // The year's weights: the defaults until the first result, summing to 100.
    d.goto(&format!("{}/assessments/weights?year=2018", app.base))
        .await
        .unwrap();
    let weight = d
        .find(Locator::Id("weight_3"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(weight.as_deref(), Some("30"));
    screenshot(d, "assessment-weights-1280").await;
    d.goto(&format!("{}/assessments?year=2018", app.base))
        .await
        .unwrap();
    let table = text_of(d, "[data-testid=assessments]").await;
    assert!(
        table.contains("梁明辉") && table.contains("未考核"),
        "{table}"
    );
    d.find(Locator::Css("[data-testid=enter-secretary]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // A score over 100: refused with its reason, nothing saved.
    fill_scores(d, ["101", "82", "90", "80", "90"]).await;
    let error = text_of(d, "#assessment-errors").await;
    assert!(error.contains("德：不能超过100"), "{error}");
    screenshot(d, "assessment-form-error-1280").await;
    fill_scores(d, ["85", "82", "90", "80", "90"]).await;
    wait_text(
        d,
        ".flash-ok",
        "已保存梁明辉的2018年度考核结果：84.4分，合格。",
    )
    .await;
    let table = text_of(d, "[data-testid=assessments]").await;
    assert!(table.contains("84.4") && table.contains("合格"), "{table}");
    let counts = text_of(d, "[data-testid=grade-counts]").await;
    assert!(counts.contains("合格 1"), "{counts}");
    screenshot(d, "assessments-1280").await;
    std::fs::write("/tmp/assessments.png", d.screenshot().await.unwrap()).unwrap();

    let phone = browser(375, 812, true).await;
    let c = &phone.client;
    sign_in(c, &app.base, "secretary", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    c.goto(&format!("{}/assessments/mine", app.base))
        .await
        .unwrap();
    let own = text_of(c, "[data-testid=own-2018]").await;
    assert!(own.contains("2018年度：合格（84.4分）"), "{own}");
    screenshot(c, "assessment-mine-375").await;
    std::fs::write("/tmp/assessments-mine.png", c.screenshot().await.unwrap()).unwrap();
}

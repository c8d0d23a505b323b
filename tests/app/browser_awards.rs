//! 青年文明号 in Chromium: the committee registers a 工段's creation at desktop width after
//! a faulty try, moves it through 开始创建, 推荐 and 公示 to 认定, is asked before a warning
//! (dismissed: nothing changes), and finds it on the list.

use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::awards::{ENTERPRISE, enterprise};
use crate::browser::{browser, screenshot, sign_in, text_of, wait_text};
use crate::helpers::{PASSWORD, TestApp};

/// Sets a field's value as a script would (selects and date inputs type unreliably).
async fn set(c: &Client, id: &str, value: &str) {
    c.execute(
        "document.getElementById(arguments[0]).value = arguments[1];",
        vec![id.into(), value.into()],
    )
    .await
    .unwrap();
}

async fn type_into(c: &Client, id: &str, value: &str) {
    let input = c.wait().for_element(Locator::Id(id)).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(value).await.unwrap();
}

async fn click(c: &Client, id: &str) {
    c.wait()
        .for_element(Locator::Id(id))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_committee_registers_a_post_and_moves_it_to_recognition() {
    let app = TestApp::spawn().await;
    enterprise(&app).await;
    let desk = browser(1280, 1000, false).await;
    let c = &desk.client;
    sign_in(c, &app.base, "committee", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    c.goto(&format!("{}/awards", app.base)).await.unwrap();
    click(c, "award-new").await;

    // A 科室 is not an enterprise's collective: refused by name, nothing registered.
    type_into(c, "name", "电仪工段").await;
    set(c, "collective", "office").await;
    type_into(c, "unit_name", ENTERPRISE).await;
    type_into(c, "leader_name", "王磊").await;
    click(c, "save-award").await;
    let error = text_of(c, ".flash-error").await;
    assert!(error.contains("集体类型：企业不设科室"), "{error}");
    set(c, "collective", "section").await;
    click(c, "save-award").await;
    wait_text(c, ".flash-ok", "“电仪工段”已创建备案。").await;
    wait_text(c, "[data-testid=state]", "已创建备案").await;

    for (step, state) in [
        ("start", "创建中"),
        ("recommend", "已推荐"),
        ("publicize", "公示中"),
    ] {
        click(c, &format!("take-{step}")).await;
        wait_text(c, "[data-testid=state]", state).await;
    }
    set(c, "recognize-level", "zone").await;
    type_into(c, "recognize-number", "开团工委〔2019〕8号").await;
    type_into(c, "recognize-note", "公示期满无异议").await;
    click(c, "take-recognize").await;
    wait_text(c, "[data-testid=state]", "已认定").await;
    wait_text(c, "[data-testid=document-number]", "开团工委〔2019〕8号").await;
    let history = text_of(c, "[data-testid=award-history]").await;
    for step in [
        "创建备案",
        "开始创建",
        "推荐",
        "公示",
        "认定（开发区级，开团工委〔2019〕8号）",
    ] {
        assert!(history.contains(step), "{step}: {history}");
    }

    // A warning asks first; dismissed, the post stays recognised.
    type_into(c, "warn-note", "测试").await;
    click(c, "take-warn").await;
    let question = c.get_alert_text().await.unwrap();
    assert!(question.contains("确定对“电仪工段”警告吗？"), "{question}");
    c.dismiss_alert().await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(text_of(c, "[data-testid=state]").await, "已认定");
    c.execute("window.scrollTo(0, 0);", vec![]).await.unwrap();
    let png = c.screenshot().await.unwrap();
    std::fs::write("/tmp/award.png", &png).unwrap();
    screenshot(c, "award-recognized-1280").await;

    c.goto(&format!("{}/awards", app.base)).await.unwrap();
    let list = text_of(c, "[data-testid=awards]").await;
    assert!(
        list.contains("电仪工段") && list.contains("开发区级"),
        "{list}"
    );
    let png = c.screenshot().await.unwrap();
    std::fs::write("/tmp/award-list.png", &png).unwrap();
    screenshot(c, "award-list-1280").await;
    let states: Vec<String> = sqlx::query_scalar("select state from award")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(states, ["recognized"]);
}

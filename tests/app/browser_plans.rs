//! Work-plan items in Chromium: the committee opens the demo's 2019 plan at desktop width,
//! opens an item, records progress that moves it to 推进中, and reads it back in the
//! history and the list; the list at phone width (375 px) fits the screen.

use fantoccini::Locator;

use crate::browser::{browser, sign_in, text_of, wait_text};
use crate::helpers::{PASSWORD, TestApp};

/// Saves the page as /tmp/NAME.png (and beside the other screenshots).
async fn shot(c: &fantoccini::Client, name: &str) {
    crate::browser::screenshot(c, name).await;
    let png = c.screenshot().await.unwrap();
    std::fs::write(format!("/tmp/{name}.png"), png).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_committee_reads_the_plan_opens_an_item_and_records_progress() {
    let app = TestApp::spawn().await;
    tuanjian::demo::load(&app.state).await.unwrap();
    tuanjian::demo::load(&app.state).await.unwrap();
    let items: i64 = sqlx::query_scalar("select count(*) from work_plan_item")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(items, 5, "the demo holds the seed's five items once");

    let desk = browser(1280, 900, false).await;
    let d = &desk.client;
    sign_in(d, &app.base, "committee", PASSWORD).await;
    text_of(d, "[data-testid=current-user]").await;
    d.find(Locator::LinkText("工作安排"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let list = text_of(d, "[data-testid=plans]").await;
    for heading in tuanjian::demo::plans::ITEMS.map(|(h, _)| h) {
        assert!(list.contains(heading), "{heading}: {list}");
    }
    let rows = d
        .find_all(Locator::Css("[data-testid=plans] tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 5);
    shot(d, "workplan-list").await;

    d.find(Locator::LinkText("持续推进基层团组织建设"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let facts = text_of(d, "[data-testid=plan-facts]").await;
    assert!(
        facts.contains("开发区团工委") && facts.contains("未开始"),
        "{facts}"
    );
    let form = d
        .wait()
        .for_element(Locator::Id("plan-note"))
        .await
        .unwrap();
    form.find(Locator::Id("note-text"))
        .await
        .unwrap()
        .send_keys("召开基层团组织建设推进会，部署组建工作")
        .await
        .unwrap();
    d.execute(
        "document.getElementById('note-state').value = 'ongoing';",
        vec![],
    )
    .await
    .unwrap();
    form.find(Locator::Id("save-note"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(d, ".flash-ok", "已记录进展，状态改为“推进中”。").await;
    assert_eq!(text_of(d, "[data-testid=state]").await, "推进中");
    let notes = text_of(d, "[data-testid=plan-notes]").await;
    assert!(
        notes.contains("召开基层团组织建设推进会") && notes.contains("王芳"),
        "{notes}"
    );
    assert!(notes.contains("未开始 → 推进中"), "{notes}");
    shot(d, "workplan").await;

    d.find(Locator::Css("a[href^='/plans?year=']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let list = text_of(d, "[data-testid=plans]").await;
    assert!(list.contains("召开基层团组织建设推进会"), "{list}");

    let phone = browser(375, 812, true).await;
    let p = &phone.client;
    sign_in(p, &app.base, "committee", PASSWORD).await;
    text_of(p, "[data-testid=current-user]").await;
    p.goto(&format!("{}/plans?year=2019", app.base))
        .await
        .unwrap();
    text_of(p, "[data-testid=plans]").await;
    let width = p
        .execute("return document.documentElement.scrollWidth;", vec![])
        .await
        .unwrap();
    assert!(
        width.as_u64().unwrap() <= 375,
        "the list fits a phone: {width}"
    );
    shot(p, "workplan-375").await;
    p.find(Locator::LinkText("持续推进基层团组织建设"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let notes = text_of(p, "[data-testid=plan-notes]").await;
    assert!(notes.contains("召开基层团组织建设推进会"), "{notes}");
    p.execute(
        "document.getElementById('plan-note').scrollIntoView();",
        vec![],
    )
    .await
    .unwrap();
    shot(p, "workplan-item-375").await;
}

//! Contests in Chromium: the committee, from a phone (375 px), enters a unit's work and a
//! judge's score after a faulty one; at desktop width the demo's video contest's results
//! and its printable awards list.

use fantoccini::{Client, Locator};

use crate::browser::{browser, screenshot, sign_in, text_of, wait_text};
use crate::helpers::{PASSWORD, TestApp};

async fn type_into(c: &Client, css: &str, value: &str) {
    let input = c.find(Locator::Css(css)).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(value).await.unwrap();
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_phone_width_the_committee_enters_a_work_and_a_score_after_a_bad_one() {
    let app = TestApp::spawn().await;
    tuanjian::demo::load(&app.state).await.unwrap();
    let committee = app.signed_in("committee").await;
    let page =
        crate::contests::contest(&committee, &app.committee_org().await, "青年微视频评比").await;
    let unit: String =
        sqlx::query_scalar("select name from unit where kind = 'enterprise' order by name limit 1")
            .fetch_one(&app.db)
            .await
            .unwrap();

    let phone = browser(375, 812, true).await;
    let c = &phone.client;
    sign_in(c, &app.base, "committee", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    c.goto(&format!("{}{page}", app.base)).await.unwrap();
    c.find(Locator::LinkText("比赛结果"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    type_into(c, "#entry_unit", &unit).await;
    type_into(c, "#entry_title", "青春在准东").await;
    click(c, "#entry-form button[type=submit]").await;
    wait_text(c, ".flash-ok", "已登记参赛作品。").await;

    // A score over 100 is refused with the rule; then the judge's real score is kept.
    type_into(c, ".score-form input[name=judge]", "王评委").await;
    type_into(c, ".score-form input[name=score]", "120").await;
    click(c, ".score-form button[type=submit]").await;
    let error = text_of(c, ".flash-error").await;
    assert!(error.contains("分数：请填写0到100之间的数"), "{error}");
    screenshot(c, "contest-score-error-375").await;
    type_into(c, ".score-form input[name=judge]", "王评委").await;
    type_into(c, ".score-form input[name=score]", "88.5").await;
    click(c, ".score-form button[type=submit]").await;
    wait_text(c, ".flash-ok", "已保存评分。").await;
    let ranking = text_of(c, "[data-testid=ranking]").await;
    assert!(
        ranking.contains("第1名") && ranking.contains("88.5"),
        "{ranking}"
    );
    assert!(ranking.contains(&unit) && ranking.contains("青春在准东"));
    screenshot(c, "contest-results-375").await;
    c.execute(
        "document.getElementById('scoring').scrollIntoView();",
        vec![],
    )
    .await
    .unwrap();
    screenshot(c, "contest-scoring-375").await;
    phone.client.clone().close().await.unwrap();

    // At desktop width: the demo's video contest, ranked and awarded, and its list.
    let video: i64 =
        sqlx::query_scalar("select activity_id from activity where title like '%宣传片%'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let desk = browser(1280, 900, false).await;
    let c = &desk.client;
    sign_in(c, &app.base, "leader", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    c.goto(&format!("{}/activities/{video}/results", app.base))
        .await
        .unwrap();
    let ranking = text_of(c, "[data-testid=ranking]").await;
    assert!(
        ranking.contains("第1名") && ranking.contains("一等奖"),
        "{ranking}"
    );
    screenshot(c, "contest-results-1280").await;
    c.goto(&format!("{}/activities/{video}/results/print", app.base))
        .await
        .unwrap();
    let list = text_of(c, "[data-testid=awards-list]").await;
    assert!(
        list.contains("获奖名单") && list.contains("二等奖"),
        "{list}"
    );
    screenshot(c, "contest-awards-list-1280").await;
    desk.client.clone().close().await.unwrap();
}

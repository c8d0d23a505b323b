//! The six irreversible actions ask first in Chromium: 不予批复, 批复, 离团, deleting a
//! member, locking a round and disabling an account. Each is clicked and the question
//! dismissed (nothing changes), then clicked again and accepted (it happens).

use std::future::Future;
use std::time::{Duration, Instant};

use chrono::Datelike;
use fantoccini::{Client, Locator};

use crate::browser::{browser, screenshot, sign_in, sign_out, text_of};
use crate::helpers::{PASSWORD, TestApp};
use crate::members::{new_member, store};

/// A submitted application of the unit; the committee decides it in the test.
async fn submitted(app: &TestApp, unit: &str) -> i64 {
    sqlx::query_scalar(
        "insert into formation_application (unit_id, state, proposed_name, proposed_kind, member_count, youth_count, submitted_at)
         select unit_id, 'submitted', name || '团支部', '团支部', 9, 20, now() from unit where name = $1
         returning formation_application_id",
    )
    .bind(unit)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

async fn member_id(app: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("select member_id from member where name = $1")
        .bind(name)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn text(app: &TestApp, sql: &str, id: i64) -> String {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// Waits until `check` holds: the accepted form posts and the page reloads meanwhile.
async fn eventually<F, Fut>(what: &str, check: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(15);
    while !check().await {
        assert!(Instant::now() < deadline, "{what} never happened");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Clicks the button and answers the question it asks with `accept`; returns the question.
async fn click_and_answer(c: &Client, css: &str, accept: bool) -> String {
    c.wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
    let question = c
        .get_alert_text()
        .await
        .unwrap_or_else(|e| panic!("{css} asked nothing: {e}"));
    if accept {
        c.accept_alert().await.unwrap();
    } else {
        c.dismiss_alert().await.unwrap();
    }
    question
}

/// Dismisses the question once, checks that `state` still reads `before` after the page
/// had time to post anything, then accepts and waits for `after`.
async fn ask_then_do<F, Fut>(
    c: &Client,
    css: &str,
    asks: &str,
    state: F,
    (before, after): (&str, &str),
    shot: &str,
) where
    F: Fn() -> Fut,
    Fut: Future<Output = String>,
{
    let question = click_and_answer(c, css, false).await;
    assert!(question.contains(asks), "{css} asked {question}");
    // A dismissed question must not post: the page stays and so does the record.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(c.find(Locator::Css(css)).await.is_ok(), "{css}: page left");
    assert_eq!(state().await, before, "{css}: dismissed, yet it changed");
    screenshot(c, &format!("confirm-dismissed-{shot}")).await;
    let again = click_and_answer(c, css, true).await;
    assert_eq!(again, question);
    eventually(css, || async { state().await == after }).await;
    text_of(c, "main").await;
    screenshot(c, &format!("confirm-accepted-{shot}")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_irreversible_action_asks_first_and_a_dismissed_question_changes_nothing() {
    let app = TestApp::spawn().await;
    let reject = submitted(&app, tuanjian::demo::SECRETARY_UNIT).await;
    let approve = submitted(&app, tuanjian::demo::SECRETARY2_UNIT).await;
    let branch = crate::members::secretary_org(&app).await;
    let today = app.clock.today();
    let old = today.with_year(today.year() - 30).unwrap();
    let young = today.with_year(today.year() - 20).unwrap();
    store(
        &app,
        &[
            new_member(branch, "超龄甲".into(), old, 31),
            new_member(branch, "删除乙".into(), young, 32),
        ],
    )
    .await;
    let (aged, doomed) = (
        member_id(&app, "超龄甲").await,
        member_id(&app, "删除乙").await,
    );
    let round: i64 = sqlx::query_scalar(
        "insert into survey (title, as_of, opens_on, closes_on) values ('确认测试轮次', '2019-06-01', '2019-05-01', '2099-06-30') returning survey_id",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let leader = app.account_id("leader").await;

    let browser = browser(1280, 900, false).await;
    let c = &browser.client;
    sign_in(c, &app.base, "committee", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    let application_state = |id| {
        text(
            &app,
            "select state::text from formation_application where formation_application_id = $1",
            id,
        )
    };

    // 不予批复: the question sits on the button, not on the form that also returns.
    c.goto(&format!("{}/applications/{reject}", app.base))
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Id("reason"))
        .await
        .unwrap()
        .send_keys("不符合建团条件")
        .await
        .unwrap();
    ask_then_do(
        c,
        "#reject",
        "不予批复",
        || application_state(reject),
        ("submitted", "rejected"),
        "reject",
    )
    .await;

    // 批复
    c.goto(&format!("{}/applications/{approve}", app.base))
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Id("approval_number"))
        .await
        .unwrap()
        .send_keys("开团工委〔2019〕7号")
        .await
        .unwrap();
    ask_then_do(
        c,
        "#approve",
        "批复",
        || application_state(approve),
        ("submitted", "approved"),
        "approve",
    )
    .await;

    // 超龄离团
    let member_state = |id| {
        text(
            &app,
            "select state::text from member where member_id = $1",
            id,
        )
    };
    c.goto(&format!("{}/members/age", app.base)).await.unwrap();
    ask_then_do(
        c,
        &format!("form[action='/members/{aged}/age-out'] button"),
        "超龄甲办理超龄离团",
        || member_state(aged),
        ("active", "aged_out"),
        "age-out",
    )
    .await;

    // Deleting a member
    let member_count = |id| {
        text(
            &app,
            "select count(*)::text from member where member_id = $1",
            id,
        )
    };
    c.goto(&format!("{}/members/{doomed}/edit", app.base))
        .await
        .unwrap();
    ask_then_do(
        c,
        &format!("form[action='/members/{doomed}/delete'] button"),
        "删除 删除乙 的团员记录",
        || member_count(doomed),
        ("1", "0"),
        "delete-member",
    )
    .await;

    // Locking a round
    let round_locked = |id| {
        text(
            &app,
            "select locked::text from survey where survey_id = $1",
            id,
        )
    };
    c.goto(&format!("{}/surveys/{round}", app.base))
        .await
        .unwrap();
    ask_then_do(
        c,
        &format!("form[action='/surveys/{round}/lock'] button"),
        "锁定本轮摸排",
        || round_locked(round),
        ("false", "true"),
        "lock-round",
    )
    .await;
    sign_out(c).await;

    // Disabling an account
    sign_in(c, &app.base, "admin", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    let disabled = |id| {
        text(
            &app,
            "select disabled::text from account where account_id = $1",
            id,
        )
    };
    c.goto(&format!("{}/admin/accounts/{leader}", app.base))
        .await
        .unwrap();
    ask_then_do(
        c,
        &format!("form[action='/admin/accounts/{leader}/disable'] button"),
        "停用账户 leader",
        || disabled(leader),
        ("false", "true"),
        "disable-account",
    )
    .await;
    browser.client.clone().close().await.unwrap();
}

//! Personal data under PIPL in Chromium at phone width (375 px): a minor's page with its
//! 未成年 mark, whose full ID the committee reveals, and the page of a member whose numbers
//! were erased after the retention period.

use chrono::{Datelike, Duration, NaiveDate};
use fantoccini::Locator;

use crate::browser::{browser, screenshot, sign_in, text_of, wait_text};
use crate::erasure::member;
use crate::helpers::{PASSWORD, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_phone_width_a_minor_is_marked_and_an_erased_members_page_says_when() {
    let app = TestApp::spawn().await;
    crate::survey::import_sample(&app).await;
    let org = crate::members::secretary_org(&app).await;
    let born = NaiveDate::from_ymd_opt(1995, 4, 5).unwrap();
    let leaver = member(&app, org, "离团辛", born, 25).await;
    sqlx::query("update member set state = 'left' where member_id = $1")
        .bind(leaver)
        .execute(&app.db)
        .await
        .unwrap();
    app.clock.advance(Duration::days(3 * 366));
    tuanjian::startup::housekeeping::run(&app.state).await;
    let today = app.clock.today();
    let sixteen = NaiveDate::from_ymd_opt(today.year() - 16, 1, 15).unwrap();
    let minor = member(&app, org, "少年壬", sixteen, 27).await;

    let phone = browser(375, 812, true).await;
    let c = &phone.client;
    sign_in(c, &app.base, "committee", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;

    c.goto(&format!("{}/members/{minor}", app.base))
        .await
        .unwrap();
    wait_text(c, "[data-testid=minor]", "未成年").await;
    c.find(Locator::Css("button.reveal"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let masked: String =
        sqlx::query_scalar("select resident_id_masked from member where member_id = $1")
            .bind(minor)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let whole = text_of(c, "[data-testid=full-id]").await;
    assert_eq!((&whole[..6], &whole[14..]), (&masked[..6], &masked[14..]));
    assert!(!whole.contains('*'));
    screenshot(c, "pipl-minor-member").await;

    c.goto(&format!("{}/members/{leaver}", app.base))
        .await
        .unwrap();
    let erased = text_of(c, "[data-testid=erased]").await;
    assert_eq!(
        erased,
        format!(
            "个人信息已于{}年{}月{}日按保存期限删除",
            today.year(),
            today.month(),
            today.day()
        )
    );
    assert!(c.find(Locator::Css("button.reveal")).await.is_err());
    screenshot(c, "pipl-erased-member").await;
}

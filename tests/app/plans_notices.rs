//! Work-plan items by date (issue 17 item 1): the list flags open items due within 30 days
//! of the zone's today (即将到期) and past their due date (已逾期), and the hourly pass tells
//! their owners once per condition — the owner organisation's secretaries, the committee's
//! staff for the committee's items, a named account — and again for a new due date.

use chrono::{TimeZone, Utc};
use tuanjian::startup::housekeeping;

use crate::drill_walk::rows_of;
use crate::helpers::TestApp;
use crate::members::secretary_org;
use crate::participation::flashed;
use crate::plans::{BRANCH, enter, item, on, pairs};

/// The work-plan notices each demo account holds, as (username, title), by account and id.
async fn notices(app: &TestApp) -> Vec<(String, String)> {
    sqlx::query_as(
        "select a.username, n.title from notification n join account a using (account_id)
          where n.kind = 'work_plan_due' order by a.username, n.notification_id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn open_items_are_flagged_by_the_zones_date() {
    let app = TestApp::spawn().await;
    // 01:00 on 1 December 2019 in Beijing, still 30 November in UTC.
    app.clock
        .set(Utc.with_ymd_and_hms(2019, 11, 30, 17, 0, 0).unwrap());
    enter(&app, &item("一", "昨日到期", "开发区团工委", "2019-11-30")).await;
    enter(
        &app,
        &item("二", "三十天后到期", "开发区团工委", "2019-12-31"),
    )
    .await;
    enter(
        &app,
        &item("三", "三十一天后到期", "开发区团工委", "2020-01-01"),
    )
    .await;
    let done = enter(&app, &item("四", "早已完成", "开发区团工委", "2019-11-01")).await;
    let committee = app.signed_in("committee").await;
    flashed(
        &committee,
        &format!("{done}/notes"),
        &[("text", "完成"), ("state", "done")],
    )
    .await;

    let (_, page) = committee.get_text("/plans?year=2019").await;
    let flags: Vec<(String, String)> = rows_of(&page, "plans")
        .into_iter()
        .map(|r| (r[0].clone(), r[3].clone()))
        .collect();
    assert!(flags[0].1.ends_with("已逾期"), "{flags:?}");
    assert!(flags[1].1.ends_with("即将到期"), "{flags:?}");
    assert_eq!(flags[2].1, "2020-01-01");
    assert_eq!(flags[3].1, "2019-11-01");
    assert!(page.contains("<span class=\"tag tag-warn\">即将到期</span><strong>1</strong>"));
    assert!(page.contains("<span class=\"tag tag-late\">已逾期</span><strong>1</strong>"));

    // A day later the thirty-first day is within thirty days.
    app.clock.advance(chrono::Duration::days(1));
    let committee = app.signed_in("committee").await;
    let (_, page) = committee.get_text("/plans?year=2019").await;
    assert!(rows_of(&page, "plans")[2][3].ends_with("即将到期"));
}

#[tokio::test]
async fn owners_are_told_once_when_an_item_is_due_soon_and_once_when_it_is_overdue() {
    let app = TestApp::spawn().await;
    secretary_org(&app).await;
    on(&app, (2019, 12, 1));
    enter(&app, &item("一", "支部建设", BRANCH, "2019-12-20")).await;
    enter(&app, &item("二", "考核机制", "开发区团工委", "2019-11-15")).await;
    let mut named = item("三", "组建志愿者队伍", "", "2019-12-10");
    named[5].1 = "黄英洋".into();
    named[6].1 = "secretary2".into();
    enter(&app, &named).await;
    let later = enter(
        &app,
        &item("四", "青年文明号", "开发区团工委", "2020-03-01"),
    )
    .await;
    let done = enter(&app, &item("五", "已办结", BRANCH, "2019-11-01")).await;
    let committee = app.signed_in("committee").await;
    flashed(
        &committee,
        &format!("{done}/notes"),
        &[("text", "办结"), ("state", "done")],
    )
    .await;

    let pass = housekeeping::run(&app.state).await;
    assert_eq!(pass.plan_notices, 3);
    let expected = |rows: &[(&str, &str)]| -> Vec<(String, String)> {
        rows.iter()
            .map(|(a, t)| (a.to_string(), t.to_string()))
            .collect()
    };
    assert_eq!(
        notices(&app).await,
        expected(&[
            ("committee", "工作安排“考核机制”已逾期"),
            ("secretary", "工作安排“支部建设”将于12月20日到期"),
            ("secretary2", "工作安排“组建志愿者队伍”将于12月10日到期"),
        ])
    );
    assert_eq!(
        housekeeping::run(&app.state).await.plan_notices,
        0,
        "told once"
    );
    let secretary = app.signed_in("secretary").await;
    let (_, inbox) = secretary.get_text("/inbox").await;
    assert!(inbox.contains("2019年工作安排第一项“支部建设”的完成时限为2019年12月20日，还有19天"));
    assert!(inbox.contains("/plans/"), "the notice links to the item");

    // Past their dates, the two due soon are overdue: told once more.
    on(&app, (2019, 12, 21));
    assert_eq!(housekeeping::run(&app.state).await.plan_notices, 2);
    assert_eq!(housekeeping::run(&app.state).await.plan_notices, 0);
    let told = notices(&app).await;
    assert_eq!(told.len(), 5);
    assert!(told.contains(&("secretary".into(), "工作安排“支部建设”已逾期".into())));
    assert!(told.contains(&("secretary2".into(), "工作安排“组建志愿者队伍”已逾期".into())));

    // A new due date within thirty days brings its own notice.
    let moved = item("四", "青年文明号", "开发区团工委", "2019-12-31");
    let committee = app.signed_in("committee").await;
    let response = committee.post_form(&later, &pairs(&moved)).await;
    assert_eq!(response.status(), 303);
    assert_eq!(housekeeping::run(&app.state).await.plan_notices, 1);
    let told = notices(&app).await;
    assert_eq!(told.len(), 6);
    assert!(told.contains(&(
        "committee".into(),
        "工作安排“青年文明号”将于12月31日到期".into()
    )));
    assert_eq!(app.audit_count("work_plan.reminded").await, 3);
}

//! Activities in Chromium: a secretary records one from a phone (375 px) after a faulty
//! try, lists a unit taking part and starts it; the committee finds it in the month
//! calendar at desktop width.

use fantoccini::{Client, Locator};

use crate::browser::{browser, screenshot, sign_in, text_of, wait_text};
use crate::helpers::{PASSWORD, TestApp};

/// Fills the activity form: text fields typed, the date-time fields set as the picker
/// would (their typing order depends on the browser's locale).
async fn fill(c: &Client, fields: &[(&str, &str)]) {
    let form = c
        .wait()
        .for_element(Locator::Id("activity-form"))
        .await
        .unwrap();
    for (field, value) in fields {
        if field.ends_with("_at") || *field == "kind" {
            c.execute(
                "document.getElementById(arguments[0]).value = arguments[1];",
                vec![(*field).into(), (*value).into()],
            )
            .await
            .unwrap();
        } else {
            let input = form.find(Locator::Id(field)).await.unwrap();
            input.clear().await.unwrap();
            input.send_keys(value).await.unwrap();
        }
    }
    c.find(Locator::Id("save-activity"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_phone_width_a_secretary_records_an_activity_and_the_committee_sees_it_in_the_calendar()
{
    let app = TestApp::spawn().await;
    crate::survey::import(&app, crate::workbooks::SAMPLE_XLSX)
        .await
        .unwrap();
    crate::members::secretary_org(&app).await;
    let phone = browser(375, 812, true).await;
    let c = &phone.client;
    sign_in(c, &app.base, "secretary", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    c.goto(&format!("{}/activities", app.base)).await.unwrap();
    c.find(Locator::LinkText("登记活动"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // The end typed before the start: refused with the field named, nothing kept.
    let typed = [
        ("kind", "culture"),
        ("title", "“五四”青年节诗歌朗诵会"),
        ("starts_at", "2018-05-04T15:00"),
        ("ends_at", "2018-05-04T13:00"),
        ("place", "社会事业局会议室"),
    ];
    fill(c, &typed).await;
    let error = text_of(c, ".flash-error").await;
    assert!(error.contains("结束时间：不能早于开始时间"), "{error}");
    screenshot(c, "activity-form-error-375").await;
    fill(c, &[("ends_at", "2018-05-04T17:30")]).await;
    wait_text(c, ".flash-ok", "已登记活动““五四”青年节诗歌朗诵会”。").await;
    let facts = text_of(c, "[data-testid=activity-facts]").await;
    assert!(
        facts.contains("2018年5月4日 15:00–17:30（北京时间）"),
        "{facts}"
    );
    assert!(facts.contains("社会事业局团支部"), "{facts}");

    // A unit taking part, then the activity started.
    let unit = c.find(Locator::Id("unit")).await.unwrap();
    unit.send_keys("开发区生态环境局").await.unwrap();
    c.find(Locator::Css("form.form-row button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(c, ".flash-ok", "已将“开发区生态环境局”列为参与单位。").await;
    c.find(Locator::XPath("//button[text()='开始']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(c, ".flash-ok", "活动状态已改为“进行中”。").await;
    assert_eq!(text_of(c, "[data-testid=state]").await, "进行中");
    screenshot(c, "activity-page-375").await;
    c.goto(&format!("{}/activities/calendar?month=2018-05", app.base))
        .await
        .unwrap();
    assert!(
        text_of(c, ".calendar-day:not(.calendar-empty)")
            .await
            .contains("诗歌朗诵会")
    );
    screenshot(c, "activity-calendar-375").await;
    phone.client.clone().close().await.unwrap();

    // The committee, at desktop width: the month's calendar holds it on its day.
    let desk = browser(1280, 900, false).await;
    let c = &desk.client;
    sign_in(c, &app.base, "committee", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    c.goto(&format!("{}/activities/calendar?month=2018-05", app.base))
        .await
        .unwrap();
    assert_eq!(
        text_of(c, "[data-testid=month-count]").await,
        "本月共 1 项活动"
    );
    let day = text_of(c, ".calendar-day:not(.calendar-empty):not(.calendar-other)").await;
    assert!(day.starts_with("05月04日"), "{day}");
    screenshot(c, "activity-calendar-1280").await;
    c.goto(&format!("{}/activities", app.base)).await.unwrap();
    let list = text_of(c, "[data-testid=activities]").await;
    assert!(list.contains("“五四”青年节诗歌朗诵会"), "{list}");
    screenshot(c, "activity-list-1280").await;
    desk.client.clone().close().await.unwrap();
}

/// The value of the dashboard figure `key`.
async fn figure(c: &Client, key: &str) -> String {
    text_of(c, &format!("[data-key={key}] .figure-value")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_committee_records_the_rally_with_participants_and_the_dashboard_figures_move() {
    let app = TestApp::spawn().await;
    crate::survey::import(&app, crate::workbooks::SAMPLE_XLSX)
        .await
        .unwrap();
    let branch = crate::members::secretary_org(&app).await;
    let born = chrono::NaiveDate::from_ymd_opt(2000, 2, 3).unwrap();
    crate::members::store(
        &app,
        &[crate::members::new_member(
            branch,
            "拉力赛志愿者".into(),
            born,
            11,
        )],
    )
    .await;
    let desk = browser(1280, 900, false).await;
    let c = &desk.client;
    sign_in(c, &app.base, "committee", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    c.goto(&format!("{}/dashboard", app.base)).await.unwrap();
    assert_eq!(figure(c, "activities").await, "0");
    assert_eq!(figure(c, "volunteer_hours").await, "0");

    c.goto(&format!("{}/activities/new", app.base))
        .await
        .unwrap();
    fill(
        c,
        &[
            ("kind", "volunteer"),
            ("title", "青年环保行，助力环塔赛"),
            ("starts_at", "2018-06-09T09:00"),
            ("ends_at", "2018-06-09T18:30"),
            ("place", "环塔拉力赛准东赛段营地"),
        ],
    )
    .await;
    wait_text(c, ".flash-ok", "已登记活动“青年环保行，助力环塔赛”。").await;
    // A member from the roster, and a young person who is not one.
    let name = c.find(Locator::Id("member_name")).await.unwrap();
    name.send_keys("拉力赛志愿者").await.unwrap();
    c.find(Locator::Css("#add-member button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(c, ".flash-ok", "已添加团员“拉力赛志愿者”。").await;
    for (field, value) in [
        ("person_name", "青年甲"),
        ("person_phone", "13800000007"),
        ("person_unit", "新疆宜化化工有限公司"),
    ] {
        let input = c.find(Locator::Id(field)).await.unwrap();
        input.send_keys(value).await.unwrap();
    }
    c.find(Locator::Css("#add-person button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let said = text_of(c, ".flash-ok").await;
    assert!(said.contains("青年甲"), "{said}");
    // Too many hours for the span first: refused, nothing kept; then 8 for everyone.
    for (hours, expected) in [("10", ".flash-error"), ("8", ".flash-ok")] {
        let all = c.find(Locator::Id("all")).await.unwrap();
        all.clear().await.unwrap();
        all.send_keys(hours).await.unwrap();
        c.find(Locator::Id("save-hours"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        text_of(c, expected).await;
    }
    let totals = text_of(c, "[data-testid=participant-totals]").await;
    assert!(
        totals.contains("共 2 人，志愿服务时长合计 16 小时"),
        "{totals}"
    );
    screenshot(c, "rally-participants-1280").await;

    c.goto(&format!("{}/dashboard", app.base)).await.unwrap();
    assert_eq!(figure(c, "activities").await, "1");
    assert_eq!(figure(c, "volunteer_activities").await, "1");
    assert_eq!(figure(c, "activity_participants").await, "2");
    assert_eq!(figure(c, "volunteer_hours").await, "16");
    assert_eq!(figure(c, "active_volunteers").await, "2");
    c.execute(
        "document.querySelector('[data-testid=activity-figures]').scrollIntoView();",
        vec![],
    )
    .await
    .unwrap();
    screenshot(c, "dashboard-activities-1280").await;
    desk.client.clone().close().await.unwrap();
}

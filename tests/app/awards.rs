//! 青年文明号 (issue 17 item 2): a collective's creation registered and moved through 创建中,
//! 推荐, 公示 to 认定, reviewed every two years, warned and revoked, every step in its
//! history; illegal steps refused with a message and nothing written; the review-due flag
//! by the zone's date. Bad input is `awards_input`, scope, list and export `awards_list`.
//! A little over 300 lines: the shared helpers of those files live here with the flow.

use chrono::NaiveDate;

use crate::helpers::{Client, TestApp};
use crate::participation::flashed;

/// An enterprise of the test's own, for a 工段.
pub(crate) const ENTERPRISE: &str = "准东测试化工有限公司";

pub(crate) async fn enterprise(app: &TestApp) {
    sqlx::query("insert into unit (kind, name) values ('enterprise', $1)")
        .bind(ENTERPRISE)
        .execute(&app.db)
        .await
        .unwrap();
}

pub(crate) fn fields<'a>(
    name: &'a str,
    collective: &'a str,
    unit: &'a str,
    on: &'a str,
) -> [(&'static str, &'a str); 6] {
    [
        ("name", name),
        ("collective", collective),
        ("unit_name", unit),
        ("leader_name", "王磊"),
        ("registered_on", on),
        ("description", "争创安全生产青年文明号"),
    ]
}

/// Registers a post; answers its page's path.
pub(crate) async fn register(client: &Client, fields: &[(&str, &str)]) -> String {
    let response = client.post_form("/awards", fields).await;
    assert_eq!(response.status(), 303);
    response.headers()["location"].to_str().unwrap().to_string()
}

pub(crate) async fn step(client: &Client, page: &str, fields: &[(&str, &str)]) -> String {
    flashed(client, &format!("{page}/steps"), fields).await
}

pub(crate) async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("select count(*) from {table}"))
        .fetch_one(&app.db)
        .await
        .unwrap()
}

pub(crate) async fn state_of(app: &TestApp, page: &str) -> String {
    let id: i64 = page.trim_start_matches("/awards/").parse().unwrap();
    sqlx::query_scalar("select state from award where award_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// Moves a registered post to 认定 on the given days.
async fn recognize(client: &Client, page: &str, days: [&str; 4]) {
    for (code, on) in ["start", "recommend", "publicize"].into_iter().zip(days) {
        let said = step(client, page, &[("step", code), ("dated_on", on)]).await;
        assert!(said.contains("已办理"), "{code}: {said}");
    }
    let said = step(
        client,
        page,
        &[
            ("step", "recognize"),
            ("dated_on", days[3]),
            ("level", "zone"),
            ("document_number", "开团工委〔2019〕8号"),
            ("note", "公示期满无异议"),
        ],
    )
    .await;
    assert!(said.contains("认定已办理"), "{said}");
}

#[tokio::test]
async fn a_post_goes_from_registration_to_recognition_and_every_step_is_history() {
    let app = TestApp::spawn().await;
    enterprise(&app).await;
    let committee = app.signed_in("committee").await;
    let page = register(
        &committee,
        &fields("电仪工段", "section", ENTERPRISE, "2019-03-01"),
    )
    .await;
    let (_, body) = committee.get_text(&page).await;
    assert!(body.contains("已创建备案"));
    assert!(body.contains(r#"id="step-start""#) && body.contains(r#"id="step-revoke""#));
    assert!(!body.contains(r#"id="step-recognize""#));

    recognize(
        &committee,
        &page,
        ["2019-03-15", "2019-09-10", "2019-09-20", "2019-10-08"],
    )
    .await;
    let (_, body) = committee.get_text(&page).await;
    assert!(body.contains(r#"data-testid="state">已认定<"#), "{body}");
    assert!(body.contains(r#"data-testid="document-number">开团工委〔2019〕8号<"#));
    assert!(body.contains("下次复核</dt><dd data-testid=\"review-due\">2021年10月8日"));
    assert!(body.contains(
        "<strong>认定</strong>（开发区级，开团工委〔2019〕8号） → 已认定：公示期满无异议"
    ));
    assert!(body.contains("王芳 记录于"), "the actor of each step");
    let steps: Vec<(String, NaiveDate)> =
        sqlx::query_as("select step, dated_on from award_step order by dated_on, award_step_id")
            .fetch_all(&app.db)
            .await
            .unwrap();
    let codes: Vec<&str> = steps.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(
        codes,
        ["register", "start", "recommend", "publicize", "recognize"]
    );
    assert_eq!(steps[0].1, NaiveDate::from_ymd_opt(2019, 3, 1).unwrap());

    // Reviewed two years on: the next review two years after that.
    let said = step(
        &committee,
        &page,
        &[("step", "review"), ("dated_on", "2021-09-28")],
    )
    .await;
    assert!(said.contains("复核通过已办理"), "{said}");
    let due: NaiveDate = sqlx::query_scalar("select review_due_on from award")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(due, NaiveDate::from_ymd_opt(2023, 9, 28).unwrap());

    // A warning with its reason, lifted by a review; then revoked with its reason.
    let said = step(
        &committee,
        &page,
        &[
            ("step", "warn"),
            ("dated_on", "2022-03-01"),
            ("note", "发生一般安全生产事故"),
        ],
    )
    .await;
    assert!(said.contains("警告已办理"), "{said}");
    assert_eq!(state_of(&app, &page).await, "warned");
    let (_, body) = committee.get_text(&page).await;
    assert!(body.contains("data-confirm=\"确定对“电仪工段”撤销吗？"));
    assert!(body.contains("警告</strong> → 已警告：发生一般安全生产事故"));
    step(
        &committee,
        &page,
        &[("step", "review"), ("dated_on", "2022-06-01")],
    )
    .await;
    assert_eq!(state_of(&app, &page).await, "recognized");
    let said = step(
        &committee,
        &page,
        &[
            ("step", "revoke"),
            ("dated_on", "2023-01-05"),
            ("note", "集体已撤并"),
        ],
    )
    .await;
    assert!(said.contains("撤销已办理"), "{said}");
    let (_, body) = committee.get_text(&page).await;
    assert!(body.contains(r#"data-testid="state">已撤销<"#));
    assert!(
        !body.contains(r#"id="steps""#),
        "nothing follows a revocation"
    );
    assert_eq!(count(&app, "award_step").await, 9);
    assert_eq!(app.audit_count("award.registered").await, 1);
    assert_eq!(app.audit_count("award.advanced").await, 8);

    // The collective may start again once its record is revoked.
    register(
        &committee,
        &fields("电仪工段", "section", ENTERPRISE, "2023-03-01"),
    )
    .await;
    assert_eq!(count(&app, "award").await, 2);
}

#[tokio::test]
async fn illegal_steps_are_refused_with_a_clear_message_and_change_nothing() {
    let app = TestApp::spawn().await;
    enterprise(&app).await;
    let committee = app.signed_in("committee").await;
    let page = register(
        &committee,
        &fields("合成氨班组", "crew", ENTERPRISE, "2019-03-01"),
    )
    .await;
    let refusals = [
        (
            vec![
                ("step", "recognize"),
                ("dated_on", "2019-04-01"),
                ("level", "city"),
                ("document_number", "昌州团字〔2019〕3号"),
            ],
            "目前状态为“已创建备案”，须经推荐、公示后方可认定",
        ),
        (
            vec![("step", "review"), ("dated_on", "2019-04-01")],
            "“已创建备案”尚未认定为青年文明号，不能复核通过",
        ),
        (
            vec![("step", "warn"), ("dated_on", "2019-04-01"), ("note", "x")],
            "尚未认定为青年文明号，不能警告",
        ),
        (
            vec![("step", "publicize"), ("dated_on", "2019-04-01")],
            "目前状态为“已创建备案”，不能公示",
        ),
        (
            vec![("step", "start"), ("dated_on", "2019-02-28")],
            "日期：不能早于上一步的日期（2019-03-01）",
        ),
    ];
    for (form, message) in &refusals {
        let said = step(&committee, &page, form).await;
        assert!(said.contains(message), "{message}: {said}");
        assert!(said.contains("flash-error"));
    }
    assert_eq!(state_of(&app, &page).await, "registered");
    assert_eq!(count(&app, "award_step").await, 1);
    assert_eq!(app.audit_count("award.advanced").await, 0);

    // Revoked, nothing more may be done.
    step(
        &committee,
        &page,
        &[
            ("step", "revoke"),
            ("dated_on", "2019-04-01"),
            ("note", "班组撤并，终止创建"),
        ],
    )
    .await;
    let said = step(
        &committee,
        &page,
        &[("step", "start"), ("dated_on", "2019-04-02")],
    )
    .await;
    assert!(said.contains("该青年文明号已撤销，不能再办理"), "{said}");
    assert_eq!(count(&app, "award_step").await, 2);
}

#[tokio::test]
async fn a_review_is_flagged_sixty_days_ahead_and_when_overdue_by_the_zones_date() {
    let app = TestApp::spawn().await;
    enterprise(&app).await;
    // Due on 8 October 2021. At 23:58 on 8 August in Beijing it is 61 days away.
    app.clock.set("2021-08-08T15:58:00Z".parse().unwrap());
    let committee = app.signed_in("committee").await;
    let page = register(
        &committee,
        &fields("电仪工段", "section", ENTERPRISE, "2019-03-01"),
    )
    .await;
    recognize(
        &committee,
        &page,
        ["2019-03-15", "2019-09-10", "2019-09-20", "2019-10-08"],
    )
    .await;
    let (_, body) = committee.get_text(&page).await;
    assert!(!body.contains("data-testid=\"due-flag\""));
    let (_, list) = committee.get_text("/awards?due=1").await;
    assert!(list.contains("共 <strong>0</strong> 个"), "{list}");
    assert!(list.contains("无待复核"));
    // A minute later it is 9 August there: 60 days.
    app.clock.set("2021-08-08T16:01:00Z".parse().unwrap());
    let (_, body) = committee.get_text(&page).await;
    assert!(body.contains(">即将复核<"), "{body}");
    let (_, list) = committee.get_text("/awards?due=1").await;
    assert!(list.contains("共 <strong>1</strong> 个"));
    assert!(list.contains("电仪工段"));
    assert!(list.contains("1 个待复核"));
    // The day after the due date it is overdue (signed in again: two months have passed).
    app.clock.set("2021-10-08T16:30:00Z".parse().unwrap());
    let committee = app.signed_in("committee").await;
    let (_, list) = committee.get_text("/awards").await;
    assert!(list.contains(">复核已逾期<"), "{list}");
    // Reviewed: due two years on, no longer flagged.
    let said = step(
        &committee,
        &page,
        &[("step", "review"), ("dated_on", "2021-10-09")],
    )
    .await;
    assert!(said.contains("复核通过已办理"), "{said}");
    assert!(said.contains("2023年10月9日"));
    assert!(!said.contains("data-testid=\"due-flag\""));
    let (_, list) = committee.get_text("/awards?due=1").await;
    assert!(list.contains("共 <strong>0</strong> 个"));
}

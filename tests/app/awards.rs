//! 青年文明号 (issue 17 item 2): a collective's creation registered and moved through 创建中,
//! 推荐, 公示 to 认定, reviewed every two years, warned and revoked, every step in its
//! history; illegal steps and bad input refused with a message and nothing written; the
//! review-due flag by the zone's date; secretaries limited to their own unit; the list's
//! filters and export; the period's figures for the yearly report.

use chrono::NaiveDate;
use tuanjian::demo::{SECRETARY_UNIT, SECRETARY2_UNIT};

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

fn fields<'a>(
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
async fn register(client: &Client, fields: &[(&str, &str)]) -> String {
    let response = client.post_form("/awards", fields).await;
    assert_eq!(response.status(), 303);
    response.headers()["location"].to_str().unwrap().to_string()
}

async fn step(client: &Client, page: &str, fields: &[(&str, &str)]) -> String {
    flashed(client, &format!("{page}/steps"), fields).await
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("select count(*) from {table}"))
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn state_of(app: &TestApp, page: &str) -> String {
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
async fn bad_input_on_every_form_is_refused_with_a_message_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    enterprise(&app).await;
    let committee = app.signed_in("committee").await;
    let secretary = app.signed_in("secretary").await;
    let tomorrow = (app.clock.today() + chrono::Duration::days(1)).to_string();
    let tomorrow = tomorrow.as_str();

    let empty = [("name", ""), ("collective", ""), ("registered_on", "")];
    let response = committee.post_form("/awards", &empty).await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    for message in [
        "集体名称：请填写",
        "集体类型：请选择科室、工段、班组或团队",
        "所属单位：请填写所属单位的全称",
        "负责人：请填写",
        "备案日期：请填写",
    ] {
        assert!(body.contains(message), "{message}");
    }
    let refused = [
        (
            committee.clone(),
            fields("电仪工段", "section", "没有这个单位", "2019-03-01"),
            "所属单位：没有名为“没有这个单位”的单位",
        ),
        (
            committee.clone(),
            fields("电仪工段", "office", ENTERPRISE, "2019-03-01"),
            "集体类型：企业不设科室",
        ),
        (
            committee.clone(),
            fields("电仪工段", "section", ENTERPRISE, tomorrow),
            "备案日期：不能晚于今天",
        ),
        (
            committee.clone(),
            fields("电仪工段", "section", ENTERPRISE, "2019-02-30"),
            "备案日期：不是有效的日期",
        ),
        (
            secretary.clone(),
            fields("环境监测科", "office", SECRETARY2_UNIT, "2019-03-01"),
            "所属单位：“开发区生态环境局”不在您管理的范围内",
        ),
    ];
    for (client, form, message) in &refused {
        let response = client.post_form("/awards", form).await;
        assert_eq!(response.status(), 422, "{message}");
        let body = response.text().await.unwrap();
        assert!(body.contains(message), "{message}");
        assert!(
            body.contains("value=\"2019") || body.contains(tomorrow),
            "the form keeps what was typed"
        );
    }
    assert_eq!(count(&app, "award").await, 0);
    assert_eq!(app.audit_count("award.registered").await, 0);

    let page = register(
        &committee,
        &fields("电仪工段", "section", ENTERPRISE, "2019-03-01"),
    )
    .await;
    let response = committee
        .post_form(
            "/awards",
            &fields("电仪工段", "section", ENTERPRISE, "2019-04-01"),
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("集体名称：“电仪工段”已有青年文明号创建记录")
    );

    // Each step's form, with what it must not take.
    let bad_steps: [(&[(&str, &str)], &str); 7] = [
        (
            &[("step", "approve"), ("dated_on", "2019-04-01")],
            "办理事项：请选择要办理的事项",
        ),
        (&[("step", "start"), ("dated_on", "")], "日期：请填写"),
        (
            &[("step", "start"), ("dated_on", "2019-04-31")],
            "日期：不是有效的日期",
        ),
        (
            &[("step", "start"), ("dated_on", tomorrow)],
            "日期：不能晚于今天",
        ),
        (
            &[
                ("step", "recognize"),
                ("dated_on", "2019-10-08"),
                ("level", "county"),
            ],
            "认定级别：请选择开发区级、地市级、省级或全国；认定文号：请填写",
        ),
        (
            &[("step", "warn"), ("dated_on", "2019-04-01"), ("note", " ")],
            "理由：请写明理由",
        ),
        (
            &[("step", "revoke"), ("dated_on", "2019-04-01")],
            "理由：请写明理由",
        ),
    ];
    for (form, message) in bad_steps {
        let said = step(&committee, &page, form).await;
        assert!(said.contains(message), "{message}: {said}");
    }
    let long = "很".repeat(2001);
    let said = step(
        &committee,
        &page,
        &[
            ("step", "start"),
            ("dated_on", "2019-04-01"),
            ("note", long.as_str()),
        ],
    )
    .await;
    assert!(said.contains("说明：不能超过2000个字"), "{said}");
    assert_eq!(state_of(&app, &page).await, "registered");
    assert_eq!(count(&app, "award_step").await, 1);
    assert_eq!(app.audit_count("award.advanced").await, 0);
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

#[tokio::test]
async fn a_secretary_registers_for_their_own_unit_and_reads_only_its_posts() {
    let app = TestApp::spawn().await;
    let secretary = app.signed_in("secretary").await;
    let page = register(
        &secretary,
        &fields("社会保障科", "office", SECRETARY_UNIT, "2019-05-06"),
    )
    .await;
    let (status, body) = secretary.get_text(&page).await;
    assert_eq!(status, 200);
    assert!(body.contains("“社会保障科”已创建备案。"));
    assert!(
        !body.contains(r#"id="steps""#),
        "the steps are the committee's"
    );
    let response = secretary
        .post_form(
            &format!("{page}/steps"),
            &[("step", "start"), ("dated_on", "2019-05-20")],
        )
        .await;
    assert_eq!(response.status(), 403);
    let (_, list) = secretary.get_text("/awards").await;
    assert!(list.contains("社会保障科"));

    let other = app.signed_in("secretary2").await;
    assert_eq!(other.get(&page).await.status(), 404);
    let (_, list) = other.get_text("/awards").await;
    assert!(!list.contains("社会保障科"));
    assert!(list.contains("共 <strong>0</strong> 个"));

    let leader = app.signed_in("leader").await;
    let (status, body) = leader.get_text(&page).await;
    assert_eq!(status, 200);
    assert!(!body.contains(r#"id="steps""#));
    assert_eq!(
        leader
            .post_form(
                "/awards",
                &fields("社会保障科", "office", SECRETARY_UNIT, "2019-05-06")
            )
            .await
            .status(),
        403
    );
    assert_eq!(
        app.signed_in("admin").await.get("/awards").await.status(),
        403
    );
    assert_eq!(state_of(&app, &page).await, "registered");
}

/// A workbook's first sheet as text.
fn texts(bytes: &[u8]) -> Vec<Vec<String>> {
    use crate::workbooks::Cell;
    crate::workbooks::grid(bytes)
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|cell| match cell {
                    Cell::Empty => String::new(),
                    Cell::Number(n) => n.to_string(),
                    Cell::Text(t) => t,
                })
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn the_demos_posts_filter_and_export_in_scope_and_the_report_counts_a_period() {
    let app = TestApp::spawn().await;
    tuanjian::demo::load(&app.state).await.unwrap();
    tuanjian::demo::load(&app.state).await.unwrap();
    let posts = count(&app, "award").await;
    assert_eq!(posts, 3, "the demo's three posts, once");
    let leader = app.signed_in("leader").await;
    let (_, list) = leader.get_text("/awards").await;
    assert!(list.contains(&format!("共 <strong>{posts}</strong> 个")));
    let rows = crate::drill_walk::rows_of(&list, "awards");
    assert_eq!(rows.len() as i64, posts);
    let (_, recognized) = leader.get_text("/awards?state=recognized").await;
    let rows = crate::drill_walk::rows_of(&recognized, "awards");
    assert_eq!(rows.len(), 1);
    assert!(rows[0][0].contains("生产运行部电仪工段"), "{rows:?}");
    assert!(rows[0][4].contains("开发区级"));
    let (_, zone) = leader.get_text("/awards?level=zone").await;
    assert!(zone.contains("共 <strong>1</strong> 个"));
    let own = app.unit_id(SECRETARY_UNIT).await;
    let (_, by_unit) = leader.get_text(&format!("/awards?unit={own}")).await;
    let rows = crate::drill_walk::rows_of(&by_unit, "awards");
    assert_eq!(rows.len(), 1);
    assert!(rows[0][0].contains("社会保障科"));

    let response = leader.get("/awards/export?state=recognized").await;
    assert_eq!(response.status(), 200);
    let sheet = texts(&response.bytes().await.unwrap());
    assert!(sheet[0][0].starts_with("青年文明号创建及认定情况表"));
    assert_eq!(sheet[1][..4], ["序号", "集体名称", "类型", "所属单位"]);
    assert_eq!(sheet.len(), 3);
    assert_eq!(sheet[2][7], "开发区级");
    assert_eq!(sheet[2][8], "开团工委〔2019〕8号");
    assert_eq!(app.audit_count("award.exported").await, 1);
    let secretary = app.signed_in("secretary").await;
    let sheet = texts(&secretary.get("/awards/export").await.bytes().await.unwrap());
    assert_eq!(sheet.len(), 3, "the secretary's own unit's post only");
    assert_eq!(sheet[2][1], "社会保障科");
    let other = app.signed_in("secretary2").await;
    let sheet = texts(&other.get("/awards/export").await.bytes().await.unwrap());
    assert_eq!(sheet.len(), 2);

    // The yearly report's figures, from the steps' dates.
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let year = tuanjian::db::award::period(&app.db, day(2019, 1, 1), day(2019, 12, 31))
        .await
        .unwrap();
    assert_eq!(year.recognized.len(), 1);
    assert_eq!(year.recognized[0].name, "生产运行部电仪工段");
    assert_eq!(year.recognized[0].dated_on, day(2019, 10, 8));
    assert_eq!(
        (year.registered, year.reviewed, year.in_creation),
        (3, 0, 2)
    );
    let half = tuanjian::db::award::period(&app.db, day(2019, 1, 1), day(2019, 6, 30))
        .await
        .unwrap();
    assert!(half.recognized.is_empty());
    assert_eq!(half.in_creation, 3);
    let later = tuanjian::db::award::period(&app.db, day(2021, 1, 1), day(2021, 12, 31))
        .await
        .unwrap();
    assert_eq!(
        (later.registered, later.reviewed, later.in_creation),
        (0, 1, 2)
    );
}

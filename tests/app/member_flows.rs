//! Transfers (接转) between organisations of the zone and out of it, and the yearly
//! evaluation (评议) with its 30 % cap and the registration (团籍注册) that follows.

use chrono::NaiveDate;
use tuanjian::db::member::NewMember;

use crate::helpers::TestApp;
use crate::members::{id_born, new_member, secretary_org, store};
use crate::survey::import;
use crate::workbooks::SAMPLE_XLSX;

/// An organisation for secretary2's unit.
pub async fn secretary2_org(app: &TestApp) -> i64 {
    let unit = app.unit_id(tuanjian::demo::SECRETARY2_UNIT).await;
    sqlx::query_scalar(
        "insert into organization (parent_id, kind, name, unit_id, established_on)
         select organization_id, '团支部', '生态环境局团支部', $1, '2018-07-01' from organization where kind = 'committee'
         returning organization_id",
    )
    .bind(unit)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

/// `n` members in `org`, named 团员01…, born in 2000 (sequence numbers from `first`).
async fn seed(app: &TestApp, org: i64, n: u16, first: u16) -> Vec<i64> {
    let members: Vec<NewMember> = (0..n)
        .map(|i| {
            let born = NaiveDate::from_ymd_opt(2000, 1 + u32::from(i % 12), 10).unwrap();
            new_member(org, format!("团员{:02}", first + i), born, first + i)
        })
        .collect();
    store(app, &members).await;
    sqlx::query_scalar(
        "select member_id from member where organization_id = $1 and name like '团员%' order by name",
    )
    .bind(org)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

async fn org_of(app: &TestApp, member: i64) -> (i64, String) {
    sqlx::query_as("select organization_id, state from member where member_id = $1")
        .bind(member)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn transfer_of(app: &TestApp, member: i64) -> (i64, String) {
    sqlx::query_as(
        "select member_transfer_id, state from member_transfer where member_id = $1
          order by member_transfer_id desc limit 1",
    )
    .bind(member)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

async fn transfers(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from member_transfer")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_transfer_started_by_the_sender_moves_the_member_when_the_receiver_accepts() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let (a, b) = (secretary_org(&app).await, secretary2_org(&app).await);
    let member = seed(&app, a, 1, 1).await[0];
    let secretary = app.signed_in("secretary").await;
    let receiver = app.signed_in("secretary2").await;

    let response = secretary
        .post_form(
            &format!("/members/{member}/transfer"),
            &[
                ("kind", "zone"),
                ("organization", " 生态环境局团支部 "),
                ("reason", "工作调动"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let (transfer, state) = transfer_of(&app, member).await;
    assert_eq!(state, "pending");
    assert_eq!(
        org_of(&app, member).await.0,
        a,
        "nothing moves before acceptance"
    );
    // The receiver is told, sees it masked, and cannot open the member yet.
    let (_, inbox) = receiver.get_text("/inbox").await;
    assert!(inbox.contains("申请将团员 团员01 转入"), "{inbox}");
    let (_, list) = receiver.get_text("/members/transfers").await;
    assert!(list.contains("团员01") && list.contains("待接收方同意"));
    assert!(list.contains("value=\"accept\""));
    assert!(list.contains("652301********"));
    assert_eq!(
        receiver.get(&format!("/members/{member}")).await.status(),
        404
    );
    // The sender cannot accept its own request.
    let response = secretary
        .post_form(&format!("/transfers/{transfer}"), &[("decision", "accept")])
        .await;
    assert_eq!(response.status(), 403);

    let response = receiver
        .post_form(&format!("/transfers/{transfer}"), &[("decision", "accept")])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(org_of(&app, member).await, (b, "active".into()));
    assert_eq!(transfer_of(&app, member).await.1, "done");
    assert_eq!(app.audit_count("member.transfer_accepted").await, 1);
    // Now the member is the receiver's, with the history on the page.
    let (status, page) = receiver.get_text(&format!("/members/{member}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("组织关系由社会事业局团支部转入生态环境局团支部"));
    assert!(page.contains("已完成"));
    assert_eq!(
        secretary.get(&format!("/members/{member}")).await.status(),
        404
    );
    // Leader and secretaries see the number masked on the member page and the transfers.
    let full = id_born((2000, 1, 10), 1);
    let masked = format!("652301********{}", &full[14..]);
    for (user, path) in [
        ("leader", format!("/members/{member}")),
        ("leader", "/members/transfers".to_string()),
        ("secretary2", format!("/members/{member}")),
        ("secretary", "/members/transfers".to_string()),
    ] {
        let (status, page) = app.signed_in(user).await.get_text(&path).await;
        assert_eq!(status, 200, "{user} {path}");
        assert!(
            page.contains(&masked) && !page.contains(&full),
            "{user} {path}"
        );
    }
    // Accepting again changes nothing.
    let response = receiver
        .post_form(&format!("/transfers/{transfer}"), &[("decision", "accept")])
        .await;
    let (_, page) = receiver.follow(response).await;
    assert!(page.contains("该接转已经办结"));
}

#[tokio::test]
async fn a_receiver_asks_by_name_and_number_and_the_sender_refuses_or_the_receiver_withdraws() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let (a, b) = (secretary_org(&app).await, secretary2_org(&app).await);
    let member = seed(&app, a, 1, 1).await[0];
    let number = id_born((2000, 1, 10), 1);
    let secretary = app.signed_in("secretary").await;
    let receiver = app.signed_in("secretary2").await;
    let ask = |name: &'static str, id: String| {
        let receiver = &receiver;
        async move {
            receiver
                .post_form(
                    &format!("/organizations/{b}/members/transfer-in"),
                    &[("name", name), ("resident_id", &id), ("reason", "")],
                )
                .await
        }
    };
    // A wrong name, a wrong number or an unknown person: one message that reveals nothing.
    for (name, id) in [
        ("别人", number.clone()),
        ("团员01", id_born((2001, 1, 10), 1)),
    ] {
        let response = ask(name, id).await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        assert!(page.contains("未找到该团员"));
        assert!(!page.contains("社会事业局团支部"));
    }
    let response = ask("团员01", "1234".into()).await;
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("身份证号码：应为18位")
    );
    assert_eq!(transfers(&app).await, 0);

    assert_eq!(ask("团员01", number.clone()).await.status(), 303);
    let (transfer, _) = transfer_of(&app, member).await;
    let response = ask("团员01", number.clone()).await;
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("已有一项未办结的接转")
    );
    // The sender must release; refusing needs a reason.
    let (_, list) = secretary.get_text("/members/transfers").await;
    assert!(list.contains("待转出方同意") && list.contains("value=\"refuse\""));
    let response = secretary
        .post_form(
            &format!("/transfers/{transfer}"),
            &[("decision", "refuse"), ("note", " ")],
        )
        .await;
    let (_, page) = secretary.follow(response).await;
    assert!(page.contains("拒绝时请填写理由"));
    assert_eq!(transfer_of(&app, member).await.1, "pending");
    let response = secretary
        .post_form(
            &format!("/transfers/{transfer}"),
            &[("decision", "refuse"), ("note", "该团员仍在本单位工作")],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(transfer_of(&app, member).await.1, "refused");
    assert_eq!(org_of(&app, member).await.0, a);

    // Asked again, then withdrawn by the receiver; the sender cannot withdraw it.
    assert_eq!(ask("团员01", number).await.status(), 303);
    let (transfer, _) = transfer_of(&app, member).await;
    let response = secretary
        .post_form(&format!("/transfers/{transfer}"), &[("decision", "cancel")])
        .await;
    assert_eq!(response.status(), 403);
    let response = receiver
        .post_form(&format!("/transfers/{transfer}"), &[("decision", "cancel")])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(transfer_of(&app, member).await.1, "cancelled");
    assert_eq!(org_of(&app, member).await.0, a);
}

#[tokio::test]
async fn a_transfer_out_of_the_zone_marks_the_member_transferred_and_bad_requests_write_nothing() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let a = secretary_org(&app).await;
    let members = seed(&app, a, 2, 1).await;
    let secretary = app.signed_in("secretary").await;
    let path = format!("/members/{}/transfer", members[0]);
    for (fields, message) in [
        (
            vec![("organization", "生态环境局团支部")],
            "请选择转往开发区内的团组织或转出开发区",
        ),
        (
            vec![("kind", "zone"), ("organization", "不存在的团支部")],
            "找不到该名称的团组织",
        ),
        (
            vec![("kind", "zone"), ("organization", "社会事业局团支部")],
            "不能是团员现在所在的团组织",
        ),
        (
            vec![("kind", "out"), ("destination", "  ")],
            "转往何处：请填写",
        ),
    ] {
        let response = secretary.post_form(&path, &fields).await;
        assert_eq!(response.status(), 422, "{message}");
        assert!(
            response.text().await.unwrap().contains(message),
            "{message}"
        );
    }
    assert_eq!(transfers(&app).await, 0);

    let response = secretary
        .post_form(
            &path,
            &[
                ("kind", "out"),
                ("destination", "昌吉市团委"),
                ("reason", "升学"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(org_of(&app, members[0]).await, (a, "transferred".into()));
    assert_eq!(transfer_of(&app, members[0]).await.1, "done");
    let (_, roster) = secretary
        .get_text(&format!("/organizations/{a}/members"))
        .await;
    assert!(roster.contains("已转出"));
    let response = secretary
        .post_form(&path, &[("kind", "out"), ("destination", "昌吉市团委")])
        .await;
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("只有在团的团员才能办理转出")
    );

    // Another unit's secretary can neither transfer nor decide for these members.
    let other = app.signed_in("secretary2").await;
    let response = other
        .post_form(
            &format!("/members/{}/transfer", members[1]),
            &[("kind", "out"), ("destination", "外地")],
        )
        .await;
    assert_eq!(response.status(), 404);
    let (transfer, _) = transfer_of(&app, members[0]).await;
    let response = other
        .post_form(&format!("/transfers/{transfer}"), &[("decision", "accept")])
        .await;
    assert_eq!(response.status(), 404);
    let (_, list) = other.get_text("/members/transfers").await;
    assert!(!list.contains("团员01"));
    assert_eq!(org_of(&app, members[1]).await.1, "active");
}

/// The year evaluated now: the server's clock is the real one (in Beijing time) in these tests.
fn this_year() -> String {
    tuanjian::clock::Clock::default()
        .today()
        .format("%Y")
        .to_string()
}

async fn grades(app: &TestApp, org: i64) -> Vec<(String, Option<String>)> {
    sqlx::query_as(
        "select grade, registered_at::text from member_evaluation where organization_id = $1 order by member_id",
    )
    .bind(org)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

fn grade_fields(members: &[i64], grades: &[&'static str]) -> Vec<(String, String)> {
    members
        .iter()
        .zip(grades)
        .map(|(m, g)| (format!("grade_{m}"), g.to_string()))
        .chain([("year".to_string(), this_year())])
        .collect()
}

#[tokio::test]
async fn more_than_thirty_percent_excellent_is_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let a = secretary_org(&app).await;
    let members = seed(&app, a, 10, 1).await;
    let secretary = app.signed_in("secretary").await;
    let path = format!("/organizations/{a}/evaluation");
    let post = |fields: Vec<(String, String)>| {
        let secretary = &secretary;
        let path = path.clone();
        async move {
            let fields: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            secretary.post_form(&path, &fields).await
        }
    };
    let four = [
        "优秀", "优秀", "优秀", "优秀", "合格", "合格", "合格", "合格", "合格", "合格",
    ];
    let response = post(grade_fields(&members, &four)).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("优秀比例不能超过30%：本团组织共10名团员，优秀最多3名，现评了4名"));
    // The choices stay on the page to be corrected.
    assert_eq!(page.matches("<option selected>优秀</option>").count(), 4);
    assert!(grades(&app, a).await.is_empty());
    let response = post(grade_fields(&members, &["优异"])).await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("评议等次“优异”无效")
    );
    assert!(grades(&app, a).await.is_empty());

    let three = [
        "优秀",
        "优秀",
        "优秀",
        "合格",
        "合格",
        "合格",
        "合格",
        "合格",
        "基本合格",
        "不合格",
    ];
    assert_eq!(post(grade_fields(&members, &three)).await.status(), 303);
    assert_eq!(grades(&app, a).await.len(), 10);
    assert_eq!(app.audit_count("member.evaluated").await, 1);
    let (_, page) = secretary
        .get_text(&format!("{path}?year={}", this_year()))
        .await;
    assert!(page.contains("<li>优秀 <strong>3</strong></li>"), "{page}");
}

#[tokio::test]
async fn registration_needs_every_member_graded_and_registers_basic_pass_or_better_only() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let a = secretary_org(&app).await;
    let members = seed(&app, a, 5, 1).await;
    let secretary = app.signed_in("secretary").await;
    let save = |grades: &[&'static str]| {
        let fields = grade_fields(&members, grades);
        let secretary = &secretary;
        async move {
            let fields: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            secretary
                .post_form(&format!("/organizations/{a}/evaluation"), &fields)
                .await
        }
    };
    let registration = format!("/organizations/{a}/registration");
    let year = this_year();
    let year_field = [("year", year.as_str())];
    let register = || secretary.post_form(&registration, &year_field);
    assert_eq!(
        save(&["优秀", "合格", "基本合格", "不合格"]).await.status(),
        303
    );
    let (_, page) = secretary.follow(register().await).await;
    assert!(page.contains("还有1名团员未评议"), "{page}");
    assert!(grades(&app, a).await.iter().all(|(_, r)| r.is_none()));

    assert_eq!(
        save(&["优秀", "合格", "基本合格", "不合格", "合格"])
            .await
            .status(),
        303
    );
    let (_, page) = secretary.follow(register().await).await;
    assert!(
        page.contains(&format!(
            "已为4名团员办理{year}年度团籍注册；评为不合格的1名不予注册"
        )),
        "{page}"
    );
    let rows = grades(&app, a).await;
    assert_eq!(rows.iter().filter(|(_, r)| r.is_some()).count(), 4);
    assert!(rows.iter().all(|(g, r)| (g == "不合格") == r.is_none()));
    assert_eq!(app.audit_count("member.registered").await, 1);
    // The year's grades are final now.
    let response = save(&["合格", "合格", "合格", "合格", "合格"]).await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("已办理团籍注册，评议结果不能再修改")
    );
    assert_eq!(grades(&app, a).await[0].0, "优秀");

    // The leader reads, others are kept out; odd years are refused.
    let leader = app.signed_in("leader").await;
    let (status, page) = leader
        .get_text(&format!("/organizations/{a}/evaluation?year={year}"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("已注册") && !page.contains("<select"));
    assert_eq!(
        leader
            .post_form(
                &format!("/organizations/{a}/registration"),
                &[("year", year.as_str())]
            )
            .await
            .status(),
        403
    );
    let other = app.signed_in("secretary2").await;
    assert_eq!(
        other
            .get(&format!("/organizations/{a}/evaluation"))
            .await
            .status(),
        404
    );
    assert_eq!(
        other
            .post_form(
                &format!("/organizations/{a}/evaluation"),
                &[("year", year.as_str())]
            )
            .await
            .status(),
        404
    );
    assert_eq!(
        secretary
            .get(&format!("/organizations/{a}/evaluation?year=1999"))
            .await
            .status(),
        404
    );
}

/// Grades saved separately, or two saves at once, cannot pass the cap together: it is
/// checked against what is stored, inside the save's transaction (issue 14, item 11).
#[tokio::test]
async fn the_excellent_cap_counts_the_stored_grades_of_every_save() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let a = secretary_org(&app).await;
    let members = seed(&app, a, 10, 1).await;
    let secretary = app.signed_in("secretary").await;
    let path = format!("/organizations/{a}/evaluation");
    let excellent = |ids: &[i64]| grade_fields(ids, &["优秀", "优秀", "优秀"]);
    let send = |fields: Vec<(String, String)>| {
        let secretary = &secretary;
        let path = path.clone();
        async move {
            let fields: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            secretary.post_form(&path, &fields).await.status()
        }
    };
    let stored_excellent = || async {
        grades(&app, a)
            .await
            .iter()
            .filter(|(g, _)| g == "优秀")
            .count()
    };
    // Two saves at once, three 优秀 each of ten members: one of them is refused.
    let (first, second) = tokio::join!(
        send(excellent(&members[0..3])),
        send(excellent(&members[3..6]))
    );
    let mut statuses = [first.as_u16(), second.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [303, 422]);
    assert_eq!(stored_excellent().await, 3);
    // A later save of other members is checked with the stored three.
    let response = secretary
        .post_form(
            &path,
            &excellent(&members[6..7])
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("现评了4名"));
    assert_eq!(stored_excellent().await, 3);
}

//! Who took part in an activity and their volunteer hours (issue 16 item 2): members from
//! the roster, young people who are not members (their phone encrypted and shown masked),
//! hours to one decimal within the activity's span, all or nothing.

use crate::helpers::{Client, TestApp};
use crate::members::{new_member, secretary_org, store};
use crate::survey::import;
use crate::workbooks::SAMPLE_XLSX;

/// The rally (09:00–18:30 Beijing time, 9.5 hours) recorded by the committee; its page.
pub(crate) async fn rally(app: &TestApp, committee: &Client) -> String {
    let org = app.committee_org().await;
    let response = committee
        .post_form(
            "/activities",
            &[
                ("organization_id", &org),
                ("kind", "volunteer"),
                ("title", "青年环保行，助力环塔赛"),
                ("starts_at", "2018-06-09T09:00"),
                ("ends_at", "2018-06-09T18:30"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    response.headers()["location"].to_str().unwrap().to_string()
}

async fn participants(app: &TestApp) -> (i64, i64) {
    sqlx::query_as("select count(*), coalesce(sum(hours_tenths), 0)::bigint from participation")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

pub(crate) async fn flashed(client: &Client, path: &str, fields: &[(&str, &str)]) -> String {
    let response = client.post_form(path, fields).await;
    assert_eq!(response.status(), 303, "{path}");
    client.follow(response).await.1
}

#[tokio::test]
async fn members_and_other_youth_take_part_and_their_hours_are_kept_within_the_span() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let branch = secretary_org(&app).await;
    let born = chrono::NaiveDate::from_ymd_opt(2000, 2, 3).unwrap();
    store(
        &app,
        &[
            new_member(branch, "名册甲".into(), born, 11),
            new_member(branch, "名册乙".into(), born, 13),
        ],
    )
    .await;
    let committee = app.signed_in("committee").await;
    let page = rally(&app, &committee).await;

    // Members by their roster name; a name not on it, and bad youth, are refused.
    let member = format!("{page}/participants/member");
    let person = format!("{page}/participants/person");
    let added = flashed(
        &committee,
        &member,
        &[("name", "名册甲"), ("role", "volunteer")],
    )
    .await;
    assert!(added.contains("已添加团员“名册甲”"), "{added}");
    let again = flashed(
        &committee,
        &member,
        &[("name", "名册甲"), ("role", "volunteer")],
    )
    .await;
    assert!(again.contains("“名册甲”已在参与人员中"));
    let unknown = flashed(
        &committee,
        &member,
        &[("name", "查无此人"), ("role", "volunteer")],
    )
    .await;
    assert!(unknown.contains("您管理的团员名册中没有“查无此人”"));
    for (fields, message) in [
        (
            [
                ("name", "李青"),
                ("phone", "12345"),
                ("unit", ""),
                ("role", "volunteer"),
            ],
            "手机号：请填写11位手机号码",
        ),
        (
            [
                ("name", " "),
                ("phone", "13800138000"),
                ("unit", ""),
                ("role", "volunteer"),
            ],
            "姓名：请填写（不超过40个字）",
        ),
        (
            [
                ("name", "李青"),
                ("phone", "0994-1234567"),
                ("unit", ""),
                ("role", "volunteer"),
            ],
            "手机号：请填写11位手机号码",
        ),
    ] {
        let page = flashed(&committee, &person, &fields).await;
        assert!(page.contains(message), "{fields:?}: {page}");
    }
    assert_eq!(participants(&app).await, (1, 0));
    let youth = [
        ("name", "李青"),
        ("phone", "138 0013 8000"),
        ("unit", "准东某物流公司"),
        ("role", "volunteer"),
    ];
    assert!(
        flashed(&committee, &person, &youth)
            .await
            .contains("已添加“李青”")
    );
    let twice = flashed(&committee, &person, &youth).await;
    assert!(
        twice.contains("手机号138****8000已登记在参与人员中"),
        "{twice}"
    );
    let (_, shown) = committee.get_text(&page).await;
    assert!(shown.contains("138****8000"));
    assert!(!shown.contains("13800138000"), "the phone is shown masked");
    let stored: i64 = sqlx::query_scalar(
        "select count(*) from participation where phone_masked = '138****8000'
            and position('13800138000'::bytea in phone_cipher) = 0",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(stored, 1, "the phone is stored encrypted");

    // Hours: one value for everyone, one of their own for 名册甲.
    let ids: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "select participation_id, member_id from participation order by participation_id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let own = format!("hours_{}", ids[0].0);
    let hours = format!("{page}/hours");
    let saved = flashed(&committee, &hours, &[(&own, "2.5"), ("all", "3")]).await;
    assert!(saved.contains("已保存服务时长（2人有变化）"), "{saved}");
    assert_eq!(participants(&app).await, (2, 55));
    let (_, shown) = committee.get_text(&page).await;
    assert!(shown.contains("志愿服务时长合计 <strong>5.5</strong> 小时"));

    // Over the span, negative, two decimals: nothing written, each fault named.
    for (typed, message) in [
        ("10", "名册甲：服务时长不能超过活动时长（9.5小时）"),
        ("-1", "名册甲：服务时长不能为负数"),
        ("1.25", "名册甲：服务时长最多保留一位小数"),
    ] {
        let refused = flashed(&committee, &hours, &[(&own, typed), ("all", "4")]).await;
        assert!(refused.contains("服务时长未保存"), "{typed}: {refused}");
        assert!(refused.contains(message), "{typed}: {refused}");
    }
    assert_eq!(participants(&app).await, (2, 55));
    assert_eq!(app.audit_count("activity.hours_recorded").await, 1);

    // The member's volunteer record sums their hours and says how far the next star is.
    let member = ids[0].1.expect("名册甲 is a member");
    let (_, record) = committee.get_text(&format!("/members/{member}")).await;
    assert!(
        record
            .contains("参加活动 <strong>1</strong> 次，志愿服务时长累计 <strong>2.5</strong> 小时"),
        "{record}"
    );
    assert!(record.contains("距一星志愿者还差 97.5 小时"));
    assert!(record.contains("青年环保行，助力环塔赛"));
    let org = app.committee_org().await;
    let response = committee
        .post_form(
            "/activities",
            &[
                ("organization_id", &org),
                ("kind", "volunteer"),
                ("title", "志愿服务周"),
                ("starts_at", "2018-07-01T00:00"),
                ("ends_at", "2018-07-08T00:00"),
            ],
        )
        .await;
    let week = response.headers()["location"].to_str().unwrap().to_string();
    flashed(
        &committee,
        &format!("{week}/participants/member"),
        &[("name", "名册甲"), ("role", "volunteer")],
    )
    .await;
    flashed(&committee, &format!("{week}/hours"), &[("all", "97.5")]).await;
    let (_, record) = committee.get_text(&format!("/members/{member}")).await;
    assert!(
        record.contains(
            "累计 <strong>100</strong> 小时，<span class=\"tag tag-on\">一星志愿者</span>"
        ),
        "{record}"
    );
    assert!(record.contains("距二星志愿者还差 200 小时"));
    sqlx::query("delete from participation where activity_id = $1")
        .bind(
            week.trim_start_matches("/activities/")
                .parse::<i64>()
                .unwrap(),
        )
        .execute(&app.db)
        .await
        .unwrap();

    // Another unit's secretary reaches none of it; removing asks first and is audited.
    let other = app.signed_in("secretary2").await;
    let response = other.post_form(&hours, &[("all", "1")]).await;
    assert_eq!(response.status(), 404);
    assert_eq!(participants(&app).await, (2, 55));
    let (_, shown) = committee.get_text(&page).await;
    assert!(shown.contains("data-confirm=\"确定从参与人员中移除“李青”吗？\""));
    let removed = flashed(
        &committee,
        &format!("{page}/participants/{}/delete", ids[1].0),
        &[],
    )
    .await;
    assert!(removed.contains("已移除该人员"));
    assert_eq!(participants(&app).await, (1, 25));
    assert_eq!(app.audit_count("activity.participant_removed").await, 1);
}

#[tokio::test]
async fn a_secretary_adds_only_members_of_the_roster_they_keep() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let branch = secretary_org(&app).await;
    let born = chrono::NaiveDate::from_ymd_opt(2000, 2, 3).unwrap();
    store(&app, &[new_member(branch, "名册甲".into(), born, 11)]).await;
    let secretary = app.signed_in("secretary").await;
    let response = secretary
        .post_form(
            "/activities",
            &[
                ("organization_id", &branch.to_string()),
                ("kind", "study"),
                ("title", "主题团日"),
                ("starts_at", "2018-06-20T15:00"),
                ("ends_at", "2018-06-20T17:00"),
            ],
        )
        .await;
    let page = response.headers()["location"].to_str().unwrap().to_string();
    let member = format!("{page}/participants/member");
    let added = flashed(
        &secretary,
        &member,
        &[("name", "名册甲"), ("role", "other")],
    )
    .await;
    assert!(added.contains("已添加团员“名册甲”"));

    // A member of another unit's roster is not theirs to add.
    let elsewhere: i64 = sqlx::query_scalar(
        "insert into organization (parent_id, kind, name, unit_id, established_on)
         select o.organization_id, '团支部', '生态环境局团支部', u.unit_id, '2018-07-01'
           from organization o, unit u where o.kind = 'committee' and u.name = '开发区生态环境局'
         returning organization_id",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    store(&app, &[new_member(elsewhere, "外单位丙".into(), born, 15)]).await;
    let refused = flashed(
        &secretary,
        &member,
        &[("name", "外单位丙"), ("role", "other")],
    )
    .await;
    assert!(refused.contains("您管理的团员名册中没有“外单位丙”"));
    assert_eq!(participants(&app).await, (1, 0));
}

//! Check-in by phone (issue 16 item 3): the organiser opens a link shown as a QR code, a
//! participant with no account checks in and out with name and mobile number, and the
//! organiser confirms the hours proposed; the answers tell nothing about others and the
//! address is recorded. The window, the rate limits and the roles: `checkin_limits`.

use chrono::{DateTime, Utc};

use crate::helpers::{Client, TestApp};
use crate::participation::rally;

pub(crate) fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

/// The rally runs 01:00–10:30 UTC (09:00–18:30 Beijing time) on 9 June 2018.
pub(crate) const BEFORE_START: &str = "2018-06-09T00:30:00Z";

/// Opens the activity's check-in as `organiser`; the link's path.
pub(crate) async fn open(organiser: &Client, page: &str) -> String {
    let response = organiser.post_form(&format!("{page}/checkin"), &[]).await;
    assert_eq!(response.status(), 303);
    let (_, body) = organiser.follow(response).await;
    assert!(body.contains("签到已开启"), "{body}");
    link_in(&body).expect("the check-in link on the activity's page")
}

pub(crate) fn link_in(body: &str) -> Option<String> {
    let at = body.find("data-testid=\"checkin-link\"")?;
    let start = body[..at].rfind("/checkin/")?;
    let end = body[start..].find('"')? + start;
    Some(body[start..end].to_string())
}

pub(crate) async fn counts(app: &TestApp) -> (i64, i64) {
    sqlx::query_as(
        "select (select count(*) from checkin_entry), (select count(*) from participation)",
    )
    .fetch_one(&app.db)
    .await
    .unwrap()
}

/// Sends the form; (status, the page it leads to or shows).
pub(crate) async fn send(client: &Client, link: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let response = client.post_form(link, fields).await;
    let status = response.status().as_u16();
    if status == 303 {
        return client.follow(response).await;
    }
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn a_participant_checks_in_and_out_by_phone_and_the_organiser_confirms_the_hours() {
    let app = TestApp::spawn().await;
    app.clock.set(at(BEFORE_START));
    let committee = app.signed_in("committee").await;
    let page = rally(&app, &committee).await;
    let link = open(&committee, &page).await;
    assert_eq!(app.audit_count("checkin.opened").await, 1);
    // A second opening is refused; the QR code is an SVG of the link.
    let (_, body) = committee
        .follow(committee.post_form(&format!("{page}/checkin"), &[]).await)
        .await;
    assert!(body.contains("签到已开启"));
    let qr = committee.get(&format!("{page}/checkin/qr.svg")).await;
    assert_eq!(qr.status(), 200);
    assert_eq!(qr.headers()["content-type"], "image/svg+xml");
    assert!(qr.text().await.unwrap().contains("<svg"));

    // The participant's page needs no account and shows the activity only.
    let phone = app.client();
    let (status, body) = phone.get_text(&link).await;
    assert_eq!(status, 200);
    assert!(body.contains("青年环保行，助力环塔赛") && body.contains("name=\"phone\""));

    // Bad input: a clear message, the typed values kept, nothing written.
    let (status, body) = send(&phone, &link, &[("name", "王小明"), ("phone", "1380013")]).await;
    assert_eq!(status, 422);
    assert!(body.contains("手机号：请填写11位手机号码") && body.contains("王小明"));
    let (status, body) = send(&phone, &link, &[("name", " "), ("phone", "13800138000")]).await;
    assert_eq!(status, 422);
    assert!(body.contains("姓名：请填写（不超过40个字）"));
    assert_eq!(counts(&app).await, (0, 0));
    // Without the form's CSRF token: refused, nothing written.
    let refused = phone
        .post_raw(&link, &[("name", "王小明"), ("phone", "13800138000")])
        .await;
    assert_eq!(refused.status(), 403);
    assert_eq!(counts(&app).await, (0, 0));

    // Checked in, with the address it came from.
    let (status, body) = send(
        &phone,
        &link,
        &[
            ("name", "王小明"),
            ("phone", "138 0013 8000"),
            ("unit", "环保志愿队"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.contains("签到成功：王小明，08:30"), "{body}");
    assert_eq!(counts(&app).await, (1, 1));
    // Sent again at once (a double tap): still checked in, not out.
    let (_, body) = send(
        &phone,
        &link,
        &[("name", "王小明"), ("phone", "13800138000")],
    )
    .await;
    assert!(body.contains("您已于08:30签到成功，无需重复提交"), "{body}");
    let (address, unit): (String, String) = sqlx::query_as(
        "select e.in_address, p.person_unit from checkin_entry e join participation p using (participation_id)",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        (address.as_str(), unit.as_str()),
        ("127.0.0.1", "环保志愿队")
    );

    // After the end, the same number under another name is refused; with the same name it
    // checks out, the hours clipped to the activity's span (09:00–18:30, 9.5 h).
    app.clock.set(at("2018-06-09T11:00:00Z"));
    let (status, body) = send(
        &phone,
        &link,
        &[("name", "王大明"), ("phone", "13800138000")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("签退时请填写与签到时相同的姓名和手机号"));
    assert!(!body.contains("王小明"));
    let again = app.client();
    let (_, body) = send(
        &again,
        &link,
        &[("name", "王小明"), ("phone", "13800138000")],
    )
    .await;
    assert!(
        body.contains("签退成功：王小明，19:00") && body.contains("约9.5小时"),
        "{body}"
    );
    let (_, body) = send(
        &again,
        &link,
        &[("name", "王小明"), ("phone", "13800138000")],
    )
    .await;
    assert!(body.contains("您已于19:00签退"));
    assert_eq!(app.audit_count("checkin.checked_in").await, 1);
    assert_eq!(app.audit_count("checkin.checked_out").await, 1);

    // The organiser (signed in again, the session having idled out meanwhile) sees the
    // proposal and confirms it into the participant's hours.
    let committee = app.signed_in("committee").await;
    let (_, body) = committee.get_text(&page).await;
    assert!(body.contains("data-testid=\"checkin-entries\"") && body.contains("138****8000"));
    assert!(body.contains("全部确认（1人）"));
    let (_, body) = committee
        .follow(
            committee
                .post_form(&format!("{page}/checkin/confirm"), &[])
                .await,
        )
        .await;
    assert!(body.contains("已确认1人的服务时长"), "{body}");
    let hours: Option<i32> = sqlx::query_scalar("select hours_tenths from participation")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(hours, Some(95));
    assert_eq!(app.audit_count("checkin.confirmed").await, 1);
    assert_eq!(app.audit_count("activity.hours_recorded").await, 1);
    let (_, body) = committee
        .follow(
            committee
                .post_form(&format!("{page}/checkin/confirm"), &[])
                .await,
        )
        .await;
    assert!(body.contains("没有待确认的签到记录"));

    // Closed, the link answers nothing more.
    let (_, body) = committee
        .follow(
            committee
                .post_form(&format!("{page}/checkin/close"), &[])
                .await,
        )
        .await;
    assert!(body.contains("签到已关闭"));
    assert_eq!(app.audit_count("checkin.closed").await, 1);
    let (status, body) = phone.get_text(&link).await;
    assert_eq!(status, 200);
    assert!(body.contains("本次签到已由组织者关闭") && !body.contains("name=\"phone\""));
    let (status, _) = send(&phone, &link, &[("name", "李四"), ("phone", "13900139000")]).await;
    assert_eq!(status, 422);
    assert_eq!(counts(&app).await, (1, 1));
    // A token that names no link is 404.
    let (status, _) = phone.get_text("/checkin/not-a-token").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_roster_member_becomes_their_participation_and_the_answers_tell_nothing_about_others() {
    let app = TestApp::spawn().await;
    crate::survey::import(&app, crate::workbooks::SAMPLE_XLSX)
        .await
        .unwrap();
    let branch = crate::members::secretary_org(&app).await;
    let born = chrono::NaiveDate::from_ymd_opt(2000, 2, 3).unwrap();
    let mut member = crate::members::new_member(branch, "名册丙".into(), born, 17);
    member.phone = tuanjian::domain::phone::Phone::parse("13911112222");
    crate::members::store(&app, &[member]).await;
    app.clock.set(at(BEFORE_START));
    let committee = app.signed_in("committee").await;
    let page = rally(&app, &committee).await;
    // Someone the organiser listed already, by phone.
    committee
        .post_form(
            &format!("{page}/participants/person"),
            &[
                ("name", "已登记"),
                ("phone", "13722223333"),
                ("role", "volunteer"),
            ],
        )
        .await;
    let link = open(&committee, &page).await;

    let (_, member_answer) = send(
        &app.client(),
        &link,
        &[("name", "名册丙"), ("phone", "13911112222")],
    )
    .await;
    let (_, listed_answer) = send(
        &app.client(),
        &link,
        &[("name", "小张"), ("phone", "13722223333")],
    )
    .await;
    let (_, stranger_answer) = send(
        &app.client(),
        &link,
        &[("name", "陌生人"), ("phone", "13833334444")],
    )
    .await;
    // The same answer, naming only whoever sent it.
    let shape = |body: &str, name: &str| {
        let at = body.find("签到成功").expect("a check-in answer");
        let end = body[at..].find("</div>").expect("the message's end") + at;
        body[at..end].replace(name, "NAME")
    };
    assert_eq!(
        shape(&member_answer, "名册丙"),
        shape(&stranger_answer, "陌生人")
    );
    assert_eq!(
        shape(&listed_answer, "小张"),
        shape(&stranger_answer, "陌生人")
    );
    for answer in [&member_answer, &listed_answer, &stranger_answer] {
        assert!(!answer.contains("已登记") && !answer.contains("团员"));
    }
    assert!(!stranger_answer.contains("名册丙") && !stranger_answer.contains("小张"));

    // The member is the roster's participation; the listed phone its existing one; the
    // stranger a young person added as a volunteer.
    let rows: Vec<(Option<i64>, Option<String>, String)> = sqlx::query_as(
        "select p.member_id, p.person_name, p.role from checkin_entry e
           join participation p using (participation_id) order by e.checkin_entry_id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(rows[0].0.is_some());
    assert_eq!(rows[1].1.as_deref(), Some("已登记"));
    assert_eq!(rows[2].1.as_deref(), Some("陌生人"));
    assert_eq!(rows[2].2, "volunteer");
    let (_, total) = counts(&app).await;
    assert_eq!(total, 3);
}

//! Volunteer records and certificates (issue 16 item 5): a 志愿服务记录证明 issued by the
//! committee or the member's own secretary keeps the figures it certified, prints and
//! downloads as .docx; a young person who is not a member has a record by their phone.
//! The public verification page is in `certificate_verification.rs`.

use std::io::Read;

use crate::helpers::{Client, TestApp};
use crate::members::{new_member, secretary_org, store};

/// A member of the secretary's branch named 志愿小甲 with two volunteer activities of the
/// committee: 9.5 and 100 hours confirmed, and a third with no hours yet.
pub(crate) struct Volunteer {
    pub(crate) member: i64,
    branch: i64,
    activities: Vec<i64>,
}

async fn activity(app: &TestApp, org: i64, title: &str, day: &str) -> i64 {
    sqlx::query_scalar(
        "insert into activity (kind, title, starts_at, ends_at, organization_id, state)
         values ('volunteer', $1, ($2 || ' 01:00Z')::timestamptz, ($2 || ' 23:00Z')::timestamptz, $3, 'done')
         returning activity_id",
    )
    .bind(title)
    .bind(day)
    .bind(org)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

pub(crate) async fn volunteer(app: &TestApp) -> Volunteer {
    let branch = secretary_org(app).await;
    let born = chrono::NaiveDate::from_ymd_opt(2000, 2, 3).unwrap();
    store(app, &[new_member(branch, "志愿小甲".into(), born, 21)]).await;
    let member: i64 = sqlx::query_scalar("select member_id from member where name = '志愿小甲'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let committee: i64 = app.committee_org().await.parse().unwrap();
    let mut activities = Vec::new();
    for (title, day, hours) in [
        ("青年环保行，助力环塔赛", "2018-06-09", Some(95)),
        ("社区关爱行动", "2019-03-05", Some(1000)),
        ("尚未确认的活动", "2019-04-01", None),
    ] {
        let id = activity(app, committee, title, day).await;
        sqlx::query(
            "insert into participation (activity_id, member_id, role, hours_tenths) values ($1, $2, 'volunteer', $3)",
        )
        .bind(id)
        .bind(member)
        .bind(hours)
        .execute(&app.db)
        .await
        .unwrap();
        activities.push(id);
    }
    Volunteer {
        member,
        branch,
        activities,
    }
}

pub(crate) async fn committee_name(app: &TestApp) -> String {
    sqlx::query_scalar("select name from organization where kind = 'committee'")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// Issues from `path` and answers the new certificate's page path.
pub(crate) async fn issue(client: &Client, path: &str) -> String {
    let response = client.post_form(path, &[]).await;
    assert_eq!(response.status(), 303, "{path}");
    let to = response.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/certificates/"), "{to}");
    to
}

pub(crate) async fn number_of(app: &TestApp, path: &str) -> String {
    let id: i64 = path.trim_start_matches("/certificates/").parse().unwrap();
    sqlx::query_scalar(
        "select number from volunteer_certificate where volunteer_certificate_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

/// The text of a part of a .docx, such as `word/document.xml`.
pub fn part_of(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// Every footer part of a .docx, together.
fn footers(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        if part.name().unwrap().starts_with("word/footer") {
            part.read_to_string(&mut text).unwrap();
        }
    }
    text
}

async fn docx(client: &Client, certificate: &str) -> String {
    let response = client.get(&format!("{certificate}/download")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let disposition = response.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    let bytes = response.bytes().await.unwrap();
    let footer = footers(&bytes);
    assert!(
        footer.contains("PAGE") && footer.contains("— "),
        "page numbers: {footer}"
    );
    part_of(&bytes, "word/document.xml")
}

#[tokio::test]
async fn the_committee_issues_a_members_certificate_that_keeps_the_figures_it_certified() {
    let app = TestApp::spawn().await;
    let v = volunteer(&app).await;
    let committee = app.signed_in("committee").await;
    let (_, page) = committee.get_text(&format!("/members/{}", v.member)).await;
    assert!(page.contains("id=\"issue-certificate\""));

    let certificate = issue(&committee, &format!("/members/{}/certificates", v.member)).await;
    let (status, page) = committee.get_text(&certificate).await;
    assert_eq!(status, 200);
    assert!(page.contains("志愿服务记录证明") && page.contains("志愿小甲"));
    assert!(page.contains("652301********"), "the ID is masked");
    assert!(page.contains("青年环保行，助力环塔赛") && page.contains("2018-06-09"));
    assert!(
        !page.contains("尚未确认的活动"),
        "only confirmed hours are certified"
    );
    assert!(page.contains("data-testid=\"certificate-hours\">109.5<"));
    assert!(page.contains("一星志愿者"));
    let committee_name = committee_name(&app).await;
    assert!(page.contains(&format!(
        "data-testid=\"certificate-issuer\">{committee_name}<"
    )));
    let number = number_of(&app, &certificate).await;
    assert!(page.contains(&number));
    assert!(
        regex_lite::Regex::new(r"^TJ\d{4}-[0-9A-HJKMNP-TV-Z]{10}$")
            .unwrap()
            .is_match(&number)
    );
    let today = app.clock.today();
    assert!(page.contains(&format!(
        "{}年{}月{}日",
        chrono::Datelike::year(&today),
        chrono::Datelike::month(&today),
        chrono::Datelike::day(&today)
    )));
    assert_eq!(app.audit_count("volunteer_certificate.issued").await, 1);

    // The certificate's hours are the sum of the person's confirmed hours.
    let (certified, confirmed): (i64, i64) = sqlx::query_as(
        "select (select hours_tenths from volunteer_certificate),
                (select sum(hours_tenths)::bigint from participation where member_id = $1)",
    )
    .bind(v.member)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((certified, confirmed), (1095, 1095));

    // The .docx says the same.
    let xml = docx(&committee, &certificate).await;
    assert!(xml.contains("志愿小甲") && xml.contains("109.5"), "{xml}");
    assert!(xml.contains(&number), "{xml}");
    assert!(
        xml.contains("w:pgMar") && xml.contains("w:tbl"),
        "margins and a table"
    );

    // Hours corrected later change the record, never the certificate.
    sqlx::query("update participation set hours_tenths = 40 where activity_id = $1")
        .bind(v.activities[1])
        .execute(&app.db)
        .await
        .unwrap();
    let (_, member_page) = committee.get_text(&format!("/members/{}", v.member)).await;
    assert!(
        member_page.contains("<strong>13.5</strong>"),
        "the record moved"
    );
    assert!(
        member_page.contains(&number),
        "the member page lists the certificate"
    );
    let (_, again) = committee.get_text(&certificate).await;
    assert!(again.contains("data-testid=\"certificate-hours\">109.5<"));
    assert!(docx(&committee, &certificate).await.contains("109.5"));
}

#[tokio::test]
async fn the_members_own_secretary_issues_in_the_name_of_their_organisation_and_others_cannot() {
    let app = TestApp::spawn().await;
    let v = volunteer(&app).await;
    let secretary = app.signed_in("secretary").await;
    let certificate = issue(&secretary, &format!("/members/{}/certificates", v.member)).await;
    let (status, page) = secretary.get_text(&certificate).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("data-testid=\"certificate-issuer\">社会事业局团支部<"),
        "{page}"
    );
    let issuer: i64 =
        sqlx::query_scalar("select issuer_organization_id from volunteer_certificate")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(issuer, v.branch);
    assert!(
        docx(&secretary, &certificate)
            .await
            .contains("社会事业局团支部")
    );

    // Another unit's secretary finds neither the member nor the certificate; a leader may
    // read the member but not issue or print; the committee reads what the branch issued.
    let other = app.signed_in("secretary2").await;
    for path in [certificate.clone(), format!("{certificate}/download")] {
        assert_eq!(other.get(&path).await.status(), 404, "{path}");
    }
    let refused = other
        .post_form(&format!("/members/{}/certificates", v.member), &[])
        .await;
    assert_eq!(refused.status(), 404);
    let leader = app.signed_in("leader").await;
    assert_eq!(leader.get(&certificate).await.status(), 403);
    let refused = leader
        .post_form(&format!("/members/{}/certificates", v.member), &[])
        .await;
    assert_eq!(refused.status(), 403);
    let committee = app.signed_in("committee").await;
    assert_eq!(committee.get(&certificate).await.status(), 200);
    assert_eq!(app.audit_count("volunteer_certificate.issued").await, 1);
}

#[tokio::test]
async fn a_young_person_who_is_not_a_member_has_a_record_by_phone_and_a_certificate() {
    let app = TestApp::spawn().await;
    let v = volunteer(&app).await;
    let committee = app.signed_in("committee").await;
    for (at, phone) in [(0, "138 0013 8000"), (1, "13800138000")] {
        let response = committee
            .post_form(
                &format!("/activities/{}/participants/person", v.activities[at]),
                &[
                    ("name", "李青"),
                    ("phone", phone),
                    ("unit", "准东某物流公司"),
                    ("role", "volunteer"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
    }
    sqlx::query("update participation set hours_tenths = 60 where person_name = '李青'")
        .execute(&app.db)
        .await
        .unwrap();
    let first: i64 = sqlx::query_scalar(
        "select min(participation_id) from participation where person_name = '李青'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let (_, activity) = committee
        .get_text(&format!("/activities/{}", v.activities[0]))
        .await;
    assert!(activity.contains(&format!("href=\"/volunteers/{first}\"")));

    let (status, record) = committee.get_text(&format!("/volunteers/{first}")).await;
    assert_eq!(status, 200);
    assert!(record.contains("李青") && record.contains("138****8000"));
    assert!(record.contains("青年环保行，助力环塔赛") && record.contains("社区关爱行动"));
    assert!(
        record.contains("<strong>2</strong> 次") && record.contains("<strong>12</strong> 小时")
    );
    assert!(!record.contains("13800138000"), "the phone is masked");

    let certificate = issue(&committee, &format!("/volunteers/{first}/certificates")).await;
    let (_, page) = committee.get_text(&certificate).await;
    assert!(page.contains("李青") && page.contains("138****8000"));
    assert!(page.contains("非团员青年，以手机号码识别") && !page.contains("身份证号码"));
    assert!(page.contains("data-testid=\"certificate-hours\">12<"));
    let xml = docx(&committee, &certificate).await;
    assert!(xml.contains("李青") && xml.contains("12小时"), "{xml}");
    let (_, record) = committee.get_text(&format!("/volunteers/{first}")).await;
    assert!(record.contains(&number_of(&app, &certificate).await));

    // A member's participation names no such record; another unit's secretary finds nothing.
    let member_line: i64 = sqlx::query_scalar(
        "select min(participation_id) from participation where member_id is not null",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        committee
            .get(&format!("/volunteers/{member_line}"))
            .await
            .status(),
        404
    );
    let other = app.signed_in("secretary2").await;
    assert_eq!(
        other.get(&format!("/volunteers/{first}")).await.status(),
        404
    );
}

#[tokio::test]
async fn without_confirmed_hours_nothing_is_issued_and_the_page_says_why() {
    let app = TestApp::spawn().await;
    let v = volunteer(&app).await;
    sqlx::query("update participation set hours_tenths = null")
        .execute(&app.db)
        .await
        .unwrap();
    let committee = app.signed_in("committee").await;
    let response = committee
        .post_form(&format!("/members/{}/certificates", v.member), &[])
        .await;
    assert_eq!(response.status(), 303);
    let (_, page) = committee.follow(response).await;
    assert!(
        page.contains("尚无已确认服务时长的志愿服务记录，无法出具证明"),
        "{page}"
    );
    for path in [
        "/members/not-a-number/certificates",
        "/volunteers/999999/certificates",
    ] {
        assert_eq!(committee.post_form(path, &[]).await.status(), 404, "{path}");
    }
    let issued: i64 = sqlx::query_scalar("select count(*) from volunteer_certificate")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(issued, 0);
    assert_eq!(app.audit_count("volunteer_certificate.issued").await, 0);
}

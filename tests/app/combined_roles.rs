//! Accounts holding several roles (DESIGN.md §1): each grant keeps its own rights and its
//! own scope. A secretary who also leads reads the zone but writes and reveals only for
//! their unit; a secretary of two units writes in both; an administrator who is also a
//! secretary keeps both jobs apart and cannot grant themself a business role.
//! Longer than 300 lines because each combined account is checked against every writing
//! and revealing route, with the same fixtures, in one place.

use chrono::{NaiveDate, TimeZone};

use crate::helpers::{Client, TestApp};
use crate::members::{new_member, store};

/// Three units with a branch and one member each: the secretary's own (`own`),
/// secretary2's (`other`) and one nobody is secretary of (`third`).
struct Zone {
    own: Place,
    other: Place,
    third: Place,
}

struct Place {
    unit: i64,
    branch: i64,
    member: i64,
}

const THIRD_UNIT: &str = "开发区市场监督管理局";

async fn branch(app: &TestApp, unit: i64, name: &str) -> i64 {
    sqlx::query_scalar(
        "insert into organization (parent_id, kind, name, unit_id, established_on)
         select organization_id, '团支部', $2, $1, '2018-07-01' from organization where kind = 'committee'
         returning organization_id",
    )
    .bind(unit)
    .bind(name)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

async fn place(app: &TestApp, unit: i64, name: &str, member: &str, sequence: u16) -> Place {
    let branch = branch(app, unit, name).await;
    let born = NaiveDate::from_ymd_opt(2000, 3, 4).unwrap();
    store(app, &[new_member(branch, member.into(), born, sequence)]).await;
    let member = sqlx::query_scalar("select member_id from member where organization_id = $1")
        .bind(branch)
        .fetch_one(&app.db)
        .await
        .unwrap();
    Place {
        unit,
        branch,
        member,
    }
}

/// The three units, and a survey round open for reporting.
async fn zone(app: &TestApp) -> Zone {
    let own = app.unit_id(tuanjian::demo::SECRETARY_UNIT).await;
    let other = app.unit_id(tuanjian::demo::SECRETARY2_UNIT).await;
    let third: i64 = sqlx::query_scalar(
        "insert into unit (kind, name) values ('department', $1) returning unit_id",
    )
    .bind(THIRD_UNIT)
    .fetch_one(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "insert into survey (title, as_of, opens_on, closes_on)
         values ('测试轮次', '2019-06-01', '2019-05-01', '2099-06-30')",
    )
    .execute(&app.db)
    .await
    .unwrap();
    Zone {
        own: place(app, own, "社会事业局团支部", "本单位", 41).await,
        other: place(app, other, "生态环境局团支部", "他单位", 43).await,
        third: place(app, third, "市场监督管理局团支部", "第三方", 45).await,
    }
}

/// Gives `username` one more grant, as an administrator would.
async fn grant(app: &TestApp, username: &str, role: &str, unit: Option<i64>) {
    sqlx::query(
        "insert into account_role (account_id, role, unit_id)
         select account_id, $2, $3 from account where username = $1",
    )
    .bind(username)
    .bind(role)
    .bind(unit)
    .execute(&app.db)
    .await
    .unwrap();
}

async fn member_count(app: &TestApp, branch: i64) -> i64 {
    sqlx::query_scalar("select count(*) from member where organization_id = $1")
        .bind(branch)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

fn member_fields<'a>(name: &'a str, resident_id: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("name", name),
        ("resident_id", resident_id),
        ("sex", "女"),
        ("ethnicity", "01"),
        ("joined_on", "2016-07"),
        ("phone", "13812345678"),
        ("education", "20"),
        ("political_status", "03"),
        ("league_post", ""),
    ]
}

/// Every writing or revealing request on another place's records, with the status the
/// client must get for each.
async fn assert_cannot_write_in(client: &Client, place: &Place, expected: u16, who: &str) {
    let id = crate::members::id_born((2001, 6, 7), 78);
    let id = id.as_str();
    let (branch, member, unit) = (place.branch, place.member, place.unit);
    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            format!("/organizations/{branch}/members"),
            member_fields("越权", id),
        ),
        (format!("/members/{member}"), member_fields("改名", "")),
        (format!("/members/{member}/delete"), vec![]),
        (format!("/members/{member}/age-out"), vec![]),
        (format!("/members/{member}/reveal"), vec![]),
        (
            format!("/members/{member}/transfer"),
            vec![("kind", "out"), ("destination", "外地")],
        ),
        (
            format!("/organizations/{branch}/evaluation"),
            vec![("year", ""), ("grade_1", "优秀")],
        ),
        (format!("/organizations/{branch}/registration"), vec![]),
        (
            format!("/organizations/{branch}/members/transfer-in"),
            vec![("name", "某某"), ("resident_id", id)],
        ),
        (
            format!("/units/{unit}/report"),
            vec![("staff", "40"), ("youth", "20"), ("members", "5")],
        ),
    ];
    for (path, fields) in posts {
        let status = client.post_form(&path, &fields).await.status().as_u16();
        assert_eq!(status, expected, "{who} POST {path}");
    }
    for path in [
        format!("/organizations/{branch}/members/new"),
        format!("/organizations/{branch}/members/import"),
        format!("/organizations/{branch}/members/template"),
        format!("/organizations/{branch}/members/transfer-in"),
        format!("/members/{member}/edit"),
        format!("/units/{unit}/report"),
    ] {
        let status = client.get(&path).await.status().as_u16();
        assert_eq!(status, expected, "{who} GET {path}");
    }
}

/// Adds a member, reveals a member and reports figures in a place: all accepted.
async fn assert_can_write_in(app: &TestApp, client: &Client, place: &Place, who: &str) {
    let before = member_count(app, place.branch).await;
    // A resident ID of its own for each place, even: a woman's (the form says 女).
    let sequence = 2 * (40 + before as u16 + (place.branch % 50) as u16);
    let id = crate::members::id_born((2001, 6, 8), sequence);
    let response = client
        .post_form(
            &format!("/organizations/{}/members", place.branch),
            &member_fields("新团员", &id),
        )
        .await;
    assert_eq!(response.status(), 303, "{who} adds a member");
    assert_eq!(member_count(app, place.branch).await, before + 1, "{who}");
    let response = client
        .post_form(&format!("/members/{}/reveal", place.member), &[])
        .await;
    assert_eq!(response.status(), 200, "{who} reveals");
    let response = client
        .post_form(
            &format!("/units/{}/report", place.unit),
            &[("staff", "40"), ("youth", "20"), ("members", "5")],
        )
        .await;
    assert_eq!(response.status(), 303, "{who} reports");
}

/// A draft formation application of `unit`, as its secretary would have saved it.
async fn draft(app: &TestApp, unit: i64) -> i64 {
    sqlx::query_scalar(
        "insert into formation_application (unit_id, state, proposed_name, proposed_kind, member_count, youth_count)
         values ($1, 'draft', '生态环境局团支部', '团支部', 9, 37) returning formation_application_id",
    )
    .bind(unit)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

fn application_fields(unit: &str) -> Vec<(&str, &str)> {
    vec![
        ("unit", unit),
        ("proposed_name", "某某团支部"),
        ("proposed_kind", "团支部"),
        ("member_count", "9"),
        ("youth_count", "37"),
        ("proposed_secretary", "黄英洋"),
        ("reasons", "本单位有团员9名，具备建立团支部的条件。"),
        ("action", "save"),
    ]
}

#[tokio::test]
async fn a_secretary_who_also_leads_reads_the_zone_but_writes_only_for_their_unit() {
    let app = TestApp::spawn().await;
    let zone = zone(&app).await;
    grant(&app, "secretary", "leader", None).await;
    let client = app.signed_in("secretary").await;

    // The leader grant reads the whole zone.
    let (status, body) = client.get_text("/members").await;
    assert_eq!(status, 200);
    assert!(body.contains("他单位") && body.contains("第三方"));
    let path = format!("/organizations/{}/members", zone.other.branch);
    assert_eq!(client.get(&path).await.status(), 200);
    assert_eq!(client.get("/dashboard").await.status(), 200);

    // It writes nowhere: another unit's records are refused, though readable.
    assert_cannot_write_in(&client, &zone.other, 403, "secretary+leader").await;
    assert_cannot_write_in(&client, &zone.third, 403, "secretary+leader").await;
    assert_eq!(member_count(&app, zone.other.branch).await, 1);
    assert_eq!(app.audit_count("member.id_viewed").await, 0);
    assert_eq!(app.audit_count("member.created").await, 0);
    assert_eq!(app.audit_count("survey_entry.reported").await, 0);
    let name: String = sqlx::query_scalar("select name from member where member_id = $1")
        .bind(zone.other.member)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(name, "他单位");

    // Nor on another unit's formation application.
    let other_app = draft(&app, zone.other.unit).await;
    let other_unit = zone.other.unit.to_string();
    for path in [
        format!("/applications/{other_app}"),
        format!("/applications/{other_app}/submit"),
        "/applications".to_string(),
    ] {
        let response = client
            .post_form(&path, &application_fields(&other_unit))
            .await;
        assert_eq!(response.status(), 403, "POST {path}");
    }
    let path = format!("/applications/{other_app}/edit");
    assert_eq!(client.get(&path).await.status(), 403);
    let path = format!("/applications/new?unit={other_unit}");
    assert_eq!(client.get(&path).await.status(), 403);
    let (state, name): (String, String) = sqlx::query_as(
        "select state, proposed_name from formation_application where formation_application_id = $1",
    )
    .bind(other_app)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        (state.as_str(), name.as_str()),
        ("draft", "生态环境局团支部")
    );
    let applications: i64 = sqlx::query_scalar("select count(*) from formation_application")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(applications, 1);

    // The secretary grant still writes in its own unit.
    assert_can_write_in(&app, &client, &zone.own, "secretary+leader").await;
    // (A unit with an organisation applies no more: its draft from before is changed.)
    let own_app = draft(&app, zone.own.unit).await;
    let own_unit = zone.own.unit.to_string();
    let response = client
        .post_form(
            &format!("/applications/{own_app}"),
            &application_fields(&own_unit),
        )
        .await;
    assert_eq!(response.status(), 303, "own application");
}

#[tokio::test]
async fn a_secretary_who_also_leads_cannot_decide_another_units_transfer() {
    let app = TestApp::spawn().await;
    let zone = zone(&app).await;
    grant(&app, "secretary", "leader", None).await;
    // secretary2 sends their member to the third unit's branch, which must accept.
    let secretary2 = app.signed_in("secretary2").await;
    let response = secretary2
        .post_form(
            &format!("/members/{}/transfer", zone.other.member),
            &[("kind", "zone"), ("organization", "市场监督管理局团支部")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let transfer: i64 = sqlx::query_scalar("select member_transfer_id from member_transfer")
        .fetch_one(&app.db)
        .await
        .unwrap();

    let client = app.signed_in("secretary").await;
    let (status, body) = client.get_text("/members/transfers").await;
    assert_eq!(status, 200);
    assert!(body.contains("他单位"), "the leader grant reads it");
    assert!(
        !body.contains(&format!("action=\"/transfers/{transfer}\"")),
        "no button the decision would refuse"
    );
    let (_, page) = client
        .get_text(&format!("/members/{}", zone.other.member))
        .await;
    assert!(!page.contains(&format!("action=\"/transfers/{transfer}\"")));
    for decision in ["accept", "refuse", "cancel"] {
        let response = client
            .post_form(&format!("/transfers/{transfer}"), &[("decision", decision)])
            .await;
        assert_eq!(response.status(), 403, "{decision}");
    }
    let state: String = sqlx::query_scalar("select state from member_transfer")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(state, "pending");
    let branch: i64 = sqlx::query_scalar("select organization_id from member where member_id = $1")
        .bind(zone.other.member)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(branch, zone.other.branch);
}

#[tokio::test]
async fn a_secretary_of_two_units_writes_in_both_and_not_in_a_third() {
    let app = TestApp::spawn().await;
    let zone = zone(&app).await;
    grant(&app, "secretary", "secretary", Some(zone.third.unit)).await;
    let client = app.signed_in("secretary").await;

    assert_can_write_in(&app, &client, &zone.own, "secretary of two").await;
    assert_can_write_in(&app, &client, &zone.third, "secretary of two").await;
    // secretary2's unit is neither read nor written.
    assert_cannot_write_in(&client, &zone.other, 404, "secretary of two").await;
    let (_, body) = client.get_text("/members").await;
    assert!(body.contains("本单位") && body.contains("第三方") && !body.contains("他单位"));
    let third_app = draft(&app, zone.third.unit).await;
    let third_unit = zone.third.unit.to_string();
    let response = client
        .post_form(
            &format!("/applications/{third_app}"),
            &application_fields(&third_unit),
        )
        .await;
    assert_eq!(response.status(), 303, "the second unit's application");
}

#[tokio::test]
async fn an_admin_who_is_also_a_secretary_administers_and_writes_only_for_their_unit() {
    let app = TestApp::spawn().await;
    let zone = zone(&app).await;
    grant(&app, "admin", "secretary", Some(zone.own.unit)).await;
    let client = app.signed_in("admin").await;

    for path in ["/admin/accounts", "/admin/audit"] {
        assert_eq!(client.get(path).await.status(), 200, "{path}");
    }
    assert_can_write_in(&app, &client, &zone.own, "admin+secretary").await;
    assert_cannot_write_in(&client, &zone.other, 404, "admin+secretary").await;
    // Nor can the admin grant widen what the secretary grant writes.
    let me = app.account_id("admin").await;
    let response = client
        .post_form(
            &format!("/admin/accounts/{me}/roles"),
            &[("role", "leader"), ("unit", "")],
        )
        .await;
    let (_, body) = client.follow(response).await;
    assert!(body.contains("不能给自己的账户添加业务角色"));
    assert_cannot_write_in(&client, &zone.other, 404, "admin+secretary").await;
}

#[tokio::test]
async fn an_admin_cannot_grant_themself_a_business_role() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let me = app.account_id("admin").await;
    let path = format!("/admin/accounts/{me}/roles");
    for (role, unit) in [
        ("committee", ""),
        ("leader", ""),
        ("secretary", tuanjian::demo::SECRETARY_UNIT),
    ] {
        let response = admin
            .post_form(&path, &[("role", role), ("unit", unit)])
            .await;
        assert_eq!(response.status(), 303, "{role}");
        let (_, body) = admin.follow(response).await;
        assert!(
            body.contains("不能给自己的账户添加业务角色"),
            "{role}: {body}"
        );
    }
    let roles: Vec<String> =
        sqlx::query_scalar("select role from account_role where account_id = $1")
            .bind(me)
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(roles, ["admin"]);
    assert_eq!(app.audit_count("account.role_added").await, 0);
    assert_eq!(admin.get("/api/v1/members").await.status(), 403);

    // Granting another account a business role still works.
    let leader = app.account_id("leader").await;
    let response = admin
        .post_form(
            &format!("/admin/accounts/{leader}/roles"),
            &[("role", "committee"), ("unit", "")],
        )
        .await;
    let (_, body) = admin.follow(response).await;
    assert!(body.contains("角色已添加"));
    assert_eq!(app.audit_count("account.role_added").await, 1);
}

#[tokio::test]
async fn a_secretary_who_also_leads_is_offered_age_out_only_for_their_own_members() {
    let app = TestApp::spawn().await;
    let zone = zone(&app).await;
    // Every member of the fixture (born 2000-03-04) is past 28 on this day.
    app.clock
        .set(chrono::Utc.with_ymd_and_hms(2029, 6, 1, 4, 0, 0).unwrap());
    grant(&app, "secretary", "leader", None).await;
    let client = app.signed_in("secretary").await;
    let (status, page) = client.get_text("/members/age").await;
    assert_eq!(status, 200);
    let age_out = |place: &Place| format!("/members/{}/age-out", place.member);
    assert!(page.contains(&format!("/members/{}\"", zone.other.member)));
    assert!(page.contains(&age_out(&zone.own)));
    assert!(!page.contains(&age_out(&zone.other)) && !page.contains(&age_out(&zone.third)));
    assert_eq!(
        client.post_form(&age_out(&zone.other), &[]).await.status(),
        403
    );
}

//! The members roster: resident IDs checked and stored encrypted, unique through the blind
//! index, masked for everyone until a permitted, audited click, and scoped.

use chrono::{Datelike, NaiveDate};
use tuanjian::db::member::NewMember;
use tuanjian::domain::resident_id::ResidentId;

use crate::helpers::{Client, TestApp};
use crate::survey::import;
use crate::workbooks::SAMPLE_XLSX;

/// An organisation for the secretary's unit, so that the secretary has a roster.
pub async fn secretary_org(app: &TestApp) -> i64 {
    let unit = app.unit_id(tuanjian::demo::SECRETARY_UNIT).await;
    sqlx::query_scalar(
        "insert into organization (parent_id, kind, name, unit_id, established_on)
         select organization_id, '团支部', '社会事业局团支部', $1, '2018-07-01' from organization where kind = 'committee'
         returning organization_id",
    )
    .bind(unit)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

pub fn id_born(birth: (i32, u32, u32), sequence: u16) -> String {
    ResidentId::compose(
        "652301",
        NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2).unwrap(),
        sequence,
    )
    .unwrap()
    .as_str()
    .to_string()
}

/// A member of `org` born on `birth` (resident ID sequence `sequence`), joined in May of
/// the year turning 15.
pub fn new_member(org: i64, name: String, birth: NaiveDate, sequence: u16) -> NewMember {
    let id = ResidentId::compose("652301", birth, sequence).unwrap();
    NewMember {
        organization_id: tuanjian::domain::ids::OrganizationId(org),
        name,
        sex: id.sex().label(),
        ethnicity: "01",
        birth_date: id.birth_date(),
        resident_id: id,
        phone: None,
        joined_on: NaiveDate::from_ymd_opt(birth.year() + 15, 5, 1).unwrap(),
        education: None,
        political_status: "03",
        league_post: None,
    }
}

/// 1001 members named 钱0000 to 钱1000 in `org`: one surname past the search's count cap.
pub async fn one_surname_many_members(app: &TestApp, org: i64) {
    let born = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let many: Vec<NewMember> = (0..1001u16)
        .map(|i| {
            let born = born + chrono::Days::new(u64::from(i));
            new_member(org, format!("钱{i:04}"), born, 500 + i % 400)
        })
        .collect();
    store(app, &many).await;
}

/// A joint branch under the committee with these units, linked in one statement.
pub async fn joint_branch(app: &TestApp, name: &str, units: &[i64]) -> i64 {
    let joint: i64 = sqlx::query_scalar(
        "insert into organization (parent_id, kind, name)
         select organization_id, '联合团支部', $1 from organization where kind = 'committee'
         returning organization_id",
    )
    .bind(name)
    .fetch_one(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "insert into organization_unit (organization_id, unit_id) select $1, unnest($2::bigint[])",
    )
    .bind(joint)
    .bind(units)
    .execute(&app.db)
    .await
    .unwrap();
    joint
}

/// Stores members as the roster import does, all in one statement.
pub async fn store(app: &TestApp, members: &[NewMember]) {
    let mut conn = app.db.acquire().await.unwrap();
    tuanjian::db::member::create_many(&mut conn, &crate::helpers::test_keys(), members)
        .await
        .unwrap();
}

/// The names of the members a page links to, in order.
pub fn linked_names(body: &str) -> Vec<String> {
    body.split("<a href=\"/members/")
        .skip(1)
        .filter_map(|cell| {
            let (id, rest) = cell.split_once("\">")?;
            id.parse::<i64>().ok()?;
            Some(rest[..rest.find('<')?].to_string())
        })
        .collect()
}

/// The count the members page shows.
fn shown_count(body: &str) -> String {
    let start = body.find("data-testid=\"member-count\"").unwrap();
    let rest = &body[start..];
    let open = rest.find("<strong>").unwrap() + 8;
    rest[open..open + rest[open..].find('<').unwrap()].to_string()
}

async fn add(
    client: &Client,
    org: i64,
    name: &str,
    id: &str,
    sex: &str,
    joined: &str,
) -> reqwest::Response {
    client
        .post_form(
            &format!("/organizations/{org}/members"),
            &[
                ("name", name),
                ("resident_id", id),
                ("sex", sex),
                ("ethnicity", "05"),
                ("joined_on", joined),
                ("phone", "13812345678"),
                ("education", "20"),
                ("political_status", "03"),
                ("league_post", ""),
            ],
        )
        .await
}

async fn member_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from member")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_member_is_stored_encrypted_unique_and_masked() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = secretary_org(&app).await;
    let secretary = app.signed_in("secretary").await;
    let id = id_born((2000, 3, 15), 121);
    let response = add(&secretary, org, "阿依古丽•买买提", &id, "男", "2015-05").await;
    assert_eq!(response.status(), 303);
    let (name, masked, phone): (String, String, String) =
        sqlx::query_as("select name, resident_id_masked, phone_masked from member")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(name, "阿依古丽·买买提");
    assert_eq!(masked, format!("652301********{}", &id[14..]));
    assert_eq!(phone, "138****5678");

    // Nothing in the table, as text, holds the number or the phone.
    let row: String = sqlx::query_scalar("select m::text from member m")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let hex_free = row.replace("\\\\x", "");
    assert!(
        !hex_free.contains(&id) && !hex_free.contains(&id[..14]),
        "no plain resident ID"
    );
    assert!(!row.contains("13812345678"), "no plain phone");
    let audit: String = sqlx::query_scalar(
        "select string_agg(after::text, ' ') from audit_event where action like 'member.%'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(
        !audit.contains(&id) && !audit.contains("13812345678"),
        "no plain data in the audit log"
    );

    // The same number, typed differently, is refused.
    let response = add(
        &secretary,
        org,
        "重复",
        &id.to_lowercase().replace('x', "ｘ"),
        "男",
        "2016-01",
    )
    .await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("该号码已登记为团员")
    );
    assert_eq!(member_count(&app).await, 1);

    for user in ["leader", "secretary", "committee"] {
        let client = app.signed_in(user).await;
        let (_, page) = client
            .get_text(&format!("/organizations/{org}/members"))
            .await;
        assert!(page.contains(&masked), "{user}");
        assert!(!page.contains(&id), "{user} sees it masked");
        let api: serde_json::Value = client
            .get(&format!("/api/v1/members?organization={org}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(api["items"][0]["resident_id"], masked.as_str(), "{user}");
        assert_eq!(api["items"][0]["phone"], "138****5678");
    }
}

#[tokio::test]
async fn wrong_numbers_and_impossible_members_get_messages_and_write_nothing() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = secretary_org(&app).await;
    let committee = app.signed_in("committee").await;
    let good = id_born((2000, 3, 15), 121);
    let young = id_born((2010, 6, 1), 121);
    let cases = [
        (
            "张三",
            "11010519491231002A",
            "男",
            "2015-05",
            "身份证号码：只能由数字组成",
        ),
        ("张三", "110105194912310021", "女", "2015-05", "校验位错误"),
        (
            "张三",
            "11010519490231002X",
            "女",
            "2015-05",
            "出生日期无效",
        ),
        (
            "张三",
            good.as_str(),
            "女",
            "2015-05",
            "性别：与身份证号码不符",
        ),
        ("张三", young.as_str(), "男", "2024-05", "入团时未满14周岁"),
        ("张三", good.as_str(), "男", "", "入团年月：请填写"),
        ("", good.as_str(), "男", "2015-05", "姓名：不能为空"),
        (
            "张三3",
            good.as_str(),
            "男",
            "2015-05",
            "只能包含文字和间隔号",
        ),
    ];
    for (name, id, sex, joined, message) in cases {
        let response = add(&committee, org, name, id, sex, joined).await;
        assert_eq!(response.status(), 422, "{message}");
        assert!(
            response.text().await.unwrap().contains(message),
            "{message}"
        );
    }
    assert_eq!(member_count(&app).await, 0);
    // Joining in the month of the 14th birthday is allowed.
    let response = add(&committee, org, "李四", &young, "男", "2024-06").await;
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn only_the_committee_and_the_own_secretary_see_the_full_number_and_each_view_is_audited() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = secretary_org(&app).await;
    let secretary = app.signed_in("secretary").await;
    let id = id_born((1999, 12, 1), 33);
    add(&secretary, org, "王五", &id, "男", "2014-09").await;
    let member: i64 = sqlx::query_scalar("select member_id from member")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let path = format!("/members/{member}/reveal");

    for user in ["committee", "secretary"] {
        let client = app.signed_in(user).await;
        let response = client.post_form(&path, &[]).await;
        assert_eq!(response.status(), 200, "{user}");
        let fragment = response.text().await.unwrap();
        assert!(
            fragment.contains(&id) && fragment.contains("13812345678"),
            "{user}"
        );
    }
    assert_eq!(app.audit_count("member.id_viewed").await, 2);
    let viewers: Vec<String> = sqlx::query_scalar(
        "select username from audit_event where action = 'member.id_viewed' order by 1",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(viewers, ["committee", "secretary"]);

    assert_eq!(
        app.signed_in("leader")
            .await
            .post_form(&path, &[])
            .await
            .status(),
        403
    );
    let secretary2 = app.signed_in("secretary2").await;
    assert_eq!(secretary2.post_form(&path, &[]).await.status(), 404);
    assert_eq!(
        secretary2
            .get(&format!("/organizations/{org}/members"))
            .await
            .status(),
        404
    );
    let api: serde_json::Value = secretary2
        .get("/api/v1/members?q=%E7%8E%8B")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        api["items"].as_array().unwrap().is_empty(),
        "not found by search either"
    );
    let response = add(
        &secretary2,
        org,
        "赵六",
        &id_born((2001, 1, 1), 55),
        "男",
        "2016-01",
    )
    .await;
    assert_eq!(response.status(), 404);
    assert_eq!(app.audit_count("member.id_viewed").await, 2);
    assert_eq!(member_count(&app).await, 1);
}

#[tokio::test]
async fn rotating_the_keys_re_encrypts_every_member_and_keeps_the_index() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = secretary_org(&app).await;
    let committee = app.signed_in("committee").await;
    let id = id_born((1998, 2, 2), 71);
    add(&committee, org, "钱七", &id, "男", "2013-05").await;
    let before: Vec<u8> = sqlx::query_scalar("select resident_id_cipher from member")
        .fetch_one(&app.db)
        .await
        .unwrap();

    let (rotated, version) =
        tuanjian::crypto::Keys::add_version(crate::helpers::TEST_KEYS).unwrap();
    let keys = tuanjian::crypto::Keys::parse(&rotated).unwrap();
    assert_eq!(
        tuanjian::db::member::reencrypt(&app.db, &keys)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        tuanjian::db::member::reencrypt(&app.db, &keys)
            .await
            .unwrap(),
        0,
        "nothing left to do"
    );
    let (after, stored_version, index): (Vec<u8>, i32, Vec<u8>) = sqlx::query_as(
        "select resident_id_cipher, resident_id_version, resident_id_index from member",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(stored_version, version);
    assert_ne!(after, before);
    assert_eq!(keys.decrypt(version, &after).unwrap(), id);
    assert_eq!(index, keys.blind_index(&id), "the blind index is unchanged");
    let member: i64 = sqlx::query_scalar("select member_id from member")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let (plain, phone) =
        tuanjian::db::member::reveal(&app.db, &keys, tuanjian::domain::ids::MemberId(member))
            .await
            .unwrap();
    assert_eq!(
        (plain.as_str(), phone.as_deref()),
        (id.as_str(), Some("13812345678"))
    );
}

#[test]
fn the_key_file_is_rotated_in_place_and_stays_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("tj-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("keys");
    std::fs::write(&path, crate::helpers::TEST_KEYS).unwrap();
    let (keys, version) = tuanjian::crypto::rotate_file(&path).unwrap();
    assert_eq!((version, keys.current_version()), (2, 2));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("enc:1:") && text.contains("enc:2:"));
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_demo_roster_matches_each_organisations_reported_members() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let state = tuanjian::state::AppState::new(
        app.db.clone(),
        app.clock.clone(),
        tuanjian::config::Settings::local(),
        crate::helpers::test_keys(),
    );
    tuanjian::demo::roster(&state).await.unwrap();
    let mismatched: i64 = sqlx::query_scalar(
        "select count(*) from organization o join survey_entry e on e.unit_id = o.unit_id
          where (select count(*) from member m where m.organization_id = o.organization_id) <> e.members",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(mismatched, 0);
    let total = member_count(&app).await;
    assert!(total > 1000, "{total}");
    tuanjian::demo::roster(&state).await.unwrap();
    assert_eq!(member_count(&app).await, total, "a second run adds nobody");
    let member: i64 = sqlx::query_scalar("select min(member_id) from member")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let (id, _) = tuanjian::db::member::reveal(
        &app.db,
        &state.keys,
        tuanjian::domain::ids::MemberId(member),
    )
    .await
    .unwrap();
    assert!(ResidentId::parse(&id, app.clock.today()).is_ok());
}

#[tokio::test]
async fn the_zone_roster_filters_counts_and_pages_within_scope() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = secretary_org(&app).await;
    sqlx::query("update survey_entry set members = 13 where unit_id = (select unit_id from organization where organization_id = $1)")
        .bind(org)
        .execute(&app.db)
        .await
        .unwrap();
    let state = tuanjian::state::AppState::new(
        app.db.clone(),
        app.clock.clone(),
        tuanjian::config::Settings::local(),
        crate::helpers::test_keys(),
    );
    tuanjian::demo::roster(&state).await.unwrap();
    let committee = app.signed_in("committee").await;
    let shown = |body: &str| -> i64 { shown_count(body).parse().unwrap() };
    let today = app.clock.today();
    for (query, condition) in [
        ("", "true".to_string()),
        ("post=true", "league_post is not null".to_string()),
        (
            "age=18-22",
            format!(
                "birth_date <= '{}' and birth_date > '{}'",
                today.with_year(today.year() - 18).unwrap(),
                today.with_year(today.year() - 23).unwrap()
            ),
        ),
        ("state=active", "state = 'active'".to_string()),
        (
            &format!("organization={org}"),
            format!("organization_id = {org}"),
        ),
    ] {
        let expected: i64 =
            sqlx::query_scalar(&format!("select count(*) from member where {condition}"))
                .fetch_one(&app.db)
                .await
                .unwrap();
        let (status, body) = committee.get_text(&format!("/members?{query}")).await;
        assert_eq!(status, 200);
        assert_eq!(shown(&body), expected, "{query}");
    }
    // Every member once over the API's pages.
    let mut ids = std::collections::HashSet::new();
    let mut url = "/api/v1/members".to_string();
    loop {
        let page: serde_json::Value = committee.get(&url).await.json().await.unwrap();
        for item in page["items"].as_array().unwrap() {
            assert!(item["resident_id"].as_str().unwrap().contains("********"));
            assert!(ids.insert(item["id"].as_i64().unwrap()));
        }
        match page["next"].as_str() {
            Some(next) => url = format!("/api/v1/members?after={next}"),
            None => break,
        }
    }
    assert_eq!(ids.len() as i64, member_count(&app).await);
    // A secretary sees only the own organisation's 13.
    let secretary = app.signed_in("secretary").await;
    let (_, body) = secretary.get_text("/members").await;
    assert_eq!(shown(&body), 13);
}

#[tokio::test]
async fn members_turning_28_are_listed_and_those_past_it_without_a_post_leave_with_history() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = secretary_org(&app).await;
    let committee = app.signed_in("committee").await;
    let today = app.clock.today();
    let born = |years: i32, days: i64| {
        let d = today.with_year(today.year() - years).unwrap() + chrono::Duration::days(days);
        (d.year(), d.month(), d.day())
    };
    // Turning 28 in 30 days; 28 and a half, no post; 28 and a half, a post; 25.
    let people = [
        ("甲", id_born(born(28, 30), 11), ""),
        ("乙", id_born(born(28, -180), 13), ""),
        ("丙", id_born(born(28, -180), 15), "团支部书记"),
        ("丁", id_born(born(25, 0), 17), ""),
    ];
    for (name, id, post) in &people {
        let response = committee
            .post_form(
                &format!("/organizations/{org}/members"),
                &[
                    ("name", name),
                    ("resident_id", id),
                    ("sex", "男"),
                    ("ethnicity", "01"),
                    ("joined_on", "2016-05"),
                    ("league_post", post),
                ],
            )
            .await;
        assert_eq!(response.status(), 303, "{name}");
    }
    let (status, page) = committee.get_text("/members/age").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("已满28周岁、未担任团内职务（1）") && page.contains("90天内年满28周岁（1）")
    );
    let id_of = |name: &'static str| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>("select member_id from member where name = $1")
                .bind(name)
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    // 乙 leaves; 丙 keeps the membership for the post; 甲 is not 28 yet.
    let response = committee
        .post_form(&format!("/members/{}/age-out", id_of("乙").await), &[])
        .await;
    let (_, page) = committee.follow(response).await;
    assert!(page.contains("乙 已办理超龄离团") && page.contains("已满28周岁、未担任团内职务（0）"));
    for name in ["丙", "甲"] {
        let response = committee
            .post_form(&format!("/members/{}/age-out", id_of(name).await), &[])
            .await;
        let (_, page) = committee.follow(response).await;
        assert!(
            page.contains("只有年满28周岁且未担任团内职务的团员才能办理超龄离团"),
            "{name}"
        );
    }
    let history: Vec<(String, String)> =
        sqlx::query_as("select from_state, to_state from member_event")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(history, [("active".to_string(), "aged_out".to_string())]);
    assert_eq!(app.audit_count("member.aged_out").await, 1);
    // The clock moves on: 甲 turns 28 and appears on the other list.
    app.clock.advance(chrono::Duration::days(31));
    let committee = app.signed_in("committee").await;
    let (_, page) = committee.get_text("/members/age").await;
    assert!(page.contains("已满28周岁、未担任团内职务（1）"));
    assert_eq!(
        app.signed_in("leader")
            .await
            .post_form(&format!("/members/{}/age-out", id_of("甲").await), &[])
            .await
            .status(),
        403
    );
    assert_eq!(
        app.signed_in("secretary2")
            .await
            .post_form(&format!("/members/{}/age-out", id_of("甲").await), &[])
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn the_dashboard_sets_counted_members_beside_reported_ones() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let state = tuanjian::state::AppState::new(
        app.db.clone(),
        app.clock.clone(),
        tuanjian::config::Settings::local(),
        crate::helpers::test_keys(),
    );
    tuanjian::demo::roster(&state).await.unwrap();
    let counted = member_count(&app).await;
    let reported: i64 = sqlx::query_scalar("select sum(members)::bigint from survey_entry")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let differing: i64 = sqlx::query_scalar(
        "select count(*) from survey_entry e where e.members > 0
           and not exists (select 1 from organization o where o.unit_id = e.unit_id)",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let leader = app.signed_in("leader").await;
    let (_, dashboard) = leader.get_text("/dashboard").await;
    assert!(dashboard.contains(&format!("{counted}／{reported}")));
    let (status, page) = leader.get_text("/members/compare").await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("人数不一致的单位（{differing}）")));
    assert_eq!(
        page.matches("<tr class=\"diff\">").count() as i64,
        differing
    );
    assert_eq!(
        app.signed_in("secretary")
            .await
            .get("/members/compare")
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn exports_are_masked_unless_the_committee_asks_for_full_numbers_and_each_is_audited() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = secretary_org(&app).await;
    let committee = app.signed_in("committee").await;
    let id = id_born((1999, 8, 8), 91);
    add(&committee, org, "孙八", &id, "男", "2014-09").await;
    let cells = |bytes: &[u8]| -> String { format!("{:?}", crate::workbooks::grid(bytes)) };

    for user in ["leader", "secretary"] {
        let client = app.signed_in(user).await;
        let response = client.get("/members/export").await;
        assert_eq!(response.status(), 200, "{user}");
        let text = cells(&response.bytes().await.unwrap());
        assert!(
            text.contains("孙八") && text.contains("********") && !text.contains(&id),
            "{user}"
        );
        assert!(!text.contains("13812345678") && text.contains("138****5678"));
        assert_eq!(
            client.get("/members/export?full=1").await.status(),
            403,
            "{user}"
        );
    }
    let full = committee.get("/members/export?full=1").await;
    assert_eq!(full.status(), 200);
    let text = cells(&full.bytes().await.unwrap());
    assert!(text.contains(&id) && text.contains("13812345678"));
    assert_eq!(app.audit_count("member.exported").await, 2);
    assert_eq!(app.audit_count("member.exported_full").await, 1);
    let secretary2 = app.signed_in("secretary2").await;
    let text = cells(
        &secretary2
            .get("/members/export")
            .await
            .bytes()
            .await
            .unwrap(),
    );
    assert!(
        !text.contains("孙八"),
        "another unit's members are not exported"
    );
}

#[tokio::test]
async fn a_member_is_edited_keeping_blank_numbers_and_removed_with_an_audit_trail() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = secretary_org(&app).await;
    let secretary = app.signed_in("secretary").await;
    let id = id_born((2000, 1, 1), 77);
    add(&secretary, org, "周九", &id, "男", "2015-05").await;
    let member: i64 = sqlx::query_scalar("select member_id from member")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let (status, page) = secretary.get_text(&format!("/members/{member}/edit")).await;
    assert_eq!(status, 200);
    assert!(
        !page.contains(&id),
        "the edit form does not show the full number"
    );
    let fields = |post: &'static str, sex: &'static str| {
        vec![
            ("name", "周九"),
            ("sex", sex),
            ("ethnicity", "01"),
            ("joined_on", "2015-05"),
            ("league_post", post),
            ("resident_id", ""),
            ("phone", ""),
        ]
    };
    let response = secretary
        .post_form(&format!("/members/{member}"), &fields("组织委员", "男"))
        .await;
    assert_eq!(response.status(), 303);
    let (post, masked, phone): (Option<String>, String, Option<String>) =
        sqlx::query_as("select league_post, resident_id_masked, phone_masked from member")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(post.as_deref(), Some("组织委员"));
    assert!(
        masked.ends_with(&id[14..]) && phone.as_deref() == Some("138****5678"),
        "blank fields kept"
    );
    let keys = crate::helpers::test_keys();
    assert_eq!(
        tuanjian::db::member::reveal(&app.db, &keys, tuanjian::domain::ids::MemberId(member))
            .await
            .unwrap()
            .0,
        id
    );
    // A wrong sex for the kept number is still caught.
    let response = secretary
        .post_form(&format!("/members/{member}"), &fields("", "女"))
        .await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("与身份证号码不符"));
    // Another unit's secretary cannot touch it.
    let other = app.signed_in("secretary2").await;
    assert_eq!(
        other.get(&format!("/members/{member}/edit")).await.status(),
        404
    );
    assert_eq!(
        other
            .post_form(&format!("/members/{member}/delete"), &[])
            .await
            .status(),
        404
    );
    assert_eq!(
        app.signed_in("leader")
            .await
            .post_form(&format!("/members/{member}/delete"), &[])
            .await
            .status(),
        403
    );
    let response = secretary
        .post_form(&format!("/members/{member}/delete"), &[])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(member_count(&app).await, 0);
    for action in ["member.updated", "member.deleted"] {
        assert_eq!(app.audit_count(action).await, 1, "{action}");
    }
}

#[tokio::test]
async fn the_name_search_finds_two_characters_anywhere_and_one_as_a_surname() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let own = secretary_org(&app).await;
    let other = crate::member_flows::secretary2_org(&app).await;
    let born = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let mut members = vec![
        new_member(own, "王小明".into(), born, 1),
        new_member(other, "李小明".into(), born, 2),
        new_member(other, "李王芳".into(), born, 3),
    ];
    // More than a page for one piece, so that the count and the second page are walked.
    members.extend((0..60u16).map(|i| new_member(other, format!("赵试员{i:02}"), born, 10 + i)));
    store(&app, &members).await;
    let committee = app.signed_in("committee").await;
    let names = linked_names;
    let count = shown_count;
    let search = |q: &str| {
        format!(
            "/members?{}",
            serde_urlencoded::to_string([("q", q)]).unwrap()
        )
    };

    let (_, body) = committee.get_text(&search("小明")).await;
    assert_eq!(names(&body), ["李小明", "王小明"]);
    assert_eq!(count(&body), "2");
    let (_, body) = committee.get_text(&search("王")).await;
    assert_eq!(names(&body), ["王小明"], "one character is a surname");
    let (_, body) = committee.get_text(&search("王芳")).await;
    assert_eq!(names(&body), ["李王芳"]);
    let (_, body) = committee.get_text(&search("明王")).await;
    assert!(names(&body).is_empty());

    // 60 matches: a full page, the capped count, and the rest on the next page.
    let (_, body) = committee.get_text(&search("试员")).await;
    assert_eq!(names(&body).len(), 50);
    assert_eq!(count(&body), "60");
    let (_, body) = committee
        .get_text(&format!("{}&state=active", search("试员")))
        .await;
    assert_eq!(count(&body), "60", "with a filter the members are joined");
    let next = body
        .split("after=")
        .nth(1)
        .and_then(|rest| rest.split(['"', '&']).next())
        .unwrap()
        .to_string();
    let (_, rest) = committee
        .get_text(&format!("{}&after={next}", search("试员")))
        .await;
    let mut all = names(&body);
    all.extend(names(&rest));
    let expected: Vec<String> = (0..60).map(|i| format!("赵试员{i:02}")).collect();
    assert_eq!(all, expected);

    // A secretary searches the own organisation only.
    let secretary = app.signed_in("secretary").await;
    let (_, body) = secretary.get_text(&search("小明")).await;
    assert_eq!(names(&body), ["王小明"]);
    let (_, body) = secretary.get_text(&search("试员")).await;
    assert!(names(&body).is_empty());

    // Renamed members are found by the new name only.
    sqlx::query("update member set name = '王晓明' where name = '王小明'")
        .execute(&app.db)
        .await
        .unwrap();
    let (_, body) = committee.get_text(&search("小明")).await;
    assert_eq!(names(&body), ["李小明"]);
    let (_, body) = committee.get_text(&search("晓明")).await;
    assert_eq!(names(&body), ["王晓明"]);

    // A search is counted up to 1000, the plain list up to 10000.
    one_surname_many_members(&app, other).await;
    let (_, body) = committee.get_text(&search("钱")).await;
    assert_eq!(names(&body).len(), 50);
    assert_eq!(count(&body), "1000+");
    let all: i64 = sqlx::query_scalar("select count(*) from member")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(all > 1001);
    let (_, body) = committee.get_text("/members").await;
    assert_eq!(count(&body), all.to_string());
}

#[tokio::test]
async fn the_age_list_is_paged_oldest_first_and_counted() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = secretary_org(&app).await;
    let today = app.clock.today();
    // 130 members past 28 without a post, born a day apart.
    let members: Vec<NewMember> = (0..130u16)
        .map(|i| {
            let born =
                today.with_year(today.year() - 29).unwrap() - chrono::Days::new(u64::from(i));
            new_member(org, format!("超龄{i:03}"), born, 100 + i)
        })
        .collect();
    store(&app, &members).await;
    let names = linked_names;
    for user in ["committee", "secretary"] {
        let client = app.signed_in(user).await;
        let (status, first) = client.get_text("/members/age").await;
        assert_eq!(status, 200);
        assert!(
            first.contains("已满28周岁、未担任团内职务（130）"),
            "{user}"
        );
        let shown = names(&first);
        assert_eq!(shown.len(), 100);
        assert_eq!(shown[0], "超龄129", "the oldest first");
        let at = first
            .find("data-testid=\"past-next\"")
            .expect("a next page");
        let href = first[..at].rfind("href=\"").unwrap() + 6;
        let next = &first[href..href + first[href..].find('"').unwrap()];
        let (_, second) = client.get_text(next).await;
        assert!(second.contains("已满28周岁、未担任团内职务（130）"));
        let mut all = shown;
        all.extend(names(&second));
        let expected: Vec<String> = (0..130).rev().map(|i| format!("超龄{i:03}")).collect();
        assert_eq!(all, expected, "{user}");
        assert!(!second.contains("data-testid=\"past-next\""));
    }
    // Another unit's secretary sees none of them.
    let (_, page) = app
        .signed_in("secretary2")
        .await
        .get_text("/members/age")
        .await;
    assert!(page.contains("已满28周岁、未担任团内职务（0）"));
}

/// The organisation filter of /members offers a choice list of up to 300 branches; past
/// that the list is left out (each organisation's page links to its members instead).
#[tokio::test]
async fn the_organisation_choice_list_is_offered_while_it_is_short() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    secretary_org(&app).await;
    let choices = |body: &str| {
        body.split("<select id=\"organization\"")
            .nth(1)
            .map(|rest| {
                rest[..rest.find("</select>").unwrap()]
                    .matches("<option")
                    .count()
            })
    };
    let add_joint_branches = |n: i64| {
        let db = app.db.clone();
        async move {
            sqlx::query(
                "insert into organization (parent_id, kind, name)
                 select (select organization_id from organization where kind = 'committee'),
                        '联合团支部', '联合团支部' || lpad(i::text, 3, '0')
                   from generate_series((select count(*) from organization), $1 + (select count(*) from organization) - 1) i",
            )
            .bind(n)
            .execute(&db)
            .await
            .unwrap();
        }
    };
    let branches: i64 =
        sqlx::query_scalar("select count(*) from organization where kind <> 'committee'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(branches < 300);
    add_joint_branches(300 - branches).await;
    let committee = app.signed_in("committee").await;
    let (_, body) = committee.get_text("/members").await;
    assert_eq!(choices(&body), Some(301), "all 300 and 全部");

    add_joint_branches(1).await;
    let (_, body) = committee.get_text("/members").await;
    assert_eq!(choices(&body), None, "301 are too many to list");
    // The secretary's scope is one organisation: still a list.
    let secretary = app.signed_in("secretary").await;
    let (_, body) = secretary.get_text("/members").await;
    assert_eq!(choices(&body), Some(2));
}

/// A secretary's scope holds the own unit's organisation and the joint branch the unit
/// belongs to: both rosters, the members page and the choice list; another unit's
/// secretary sees neither.
#[tokio::test]
async fn a_secretary_sees_the_joint_branch_of_the_unit_and_nothing_else() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let own = secretary_org(&app).await;
    let unit = app.unit_id(tuanjian::demo::SECRETARY_UNIT).await;
    let joint = joint_branch(&app, "社会事业联合团支部", &[unit]).await;
    let born = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    store(
        &app,
        &[
            new_member(own, "本支部团员".into(), born, 1),
            new_member(joint, "联合支部团员".into(), born, 2),
        ],
    )
    .await;

    let secretary = app.signed_in("secretary").await;
    let (status, body) = secretary.get_text("/members").await;
    assert_eq!(status, 200);
    assert_eq!(linked_names(&body), ["本支部团员", "联合支部团员"]);
    assert!(
        body.contains("社会事业联合团支部</option>"),
        "the choice list"
    );
    let (status, body) = secretary
        .get_text(&format!("/organizations/{joint}/members"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(linked_names(&body), ["联合支部团员"]);

    let other = app.signed_in("secretary2").await;
    let (_, body) = other.get_text("/members").await;
    assert!(linked_names(&body).is_empty());
    let status = other
        .get(&format!("/organizations/{joint}/members"))
        .await
        .status();
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_committee_organisation_has_no_new_member_form_as_it_takes_no_submission() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let org: i64 =
        sqlx::query_scalar("select organization_id from organization where kind = 'committee'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let form = committee
        .get(&format!("/organizations/{org}/members/new"))
        .await;
    assert_eq!(form.status(), 404);
    let submit = committee
        .post_form(
            &format!("/organizations/{org}/members"),
            &[("name", "王小明")],
        )
        .await;
    assert_eq!(submit.status(), 404);
    let members: i64 = sqlx::query_scalar("select count(*) from member")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(members, 0);
}

/// Region code, birth date and the last four digits rebuild a resident ID: beside the
/// masked number the export shows the age only; the full export keeps the date (issue 14,
/// item 6).
#[tokio::test]
async fn a_masked_export_shows_the_age_not_the_birth_date() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = secretary_org(&app).await;
    let committee = app.signed_in("committee").await;
    let id = id_born((1999, 8, 8), 93);
    add(&committee, org, "周九", &id, "男", "2014-09").await;
    let cells = |bytes: &[u8]| -> String { format!("{:?}", crate::workbooks::grid(bytes)) };
    let leader = app.signed_in("leader").await;
    let text = cells(&leader.get("/members/export").await.bytes().await.unwrap());
    assert!(text.contains("周九") && text.contains("年龄（周岁）"));
    assert!(!text.contains("1999-08-08") && !text.contains("出生日期"));
    let text = cells(
        &committee
            .get("/members/export?full=1")
            .await
            .bytes()
            .await
            .unwrap(),
    );
    assert!(text.contains("1999-08-08") && text.contains("出生日期"));
}

//! Personal data under PIPL (issue 18 item 7): the resident ID and phone of a member who
//! left (超龄离团, 离团, transferred out of the zone) are erased by the hourly pass once the
//! retention period has passed since leaving, and not before; members still in the league
//! keep theirs; the anonymous counts do not move; each erasure is audited once, by the
//! system, without a value. Minors are marked, and only the committee reveals their ID.

use chrono::{Datelike, Duration, NaiveDate};
use tuanjian::config::Settings;
use tuanjian::domain::phone::Phone;
use tuanjian::domain::retention::Retention;
use tuanjian::startup::housekeeping;

use crate::helpers::{Client, TestApp};
use crate::members::{new_member, secretary_org, store};
use crate::survey::import_sample;

/// Stores a member of `org` born on `born` with a phone, and answers their id.
pub async fn member(app: &TestApp, org: i64, name: &str, born: NaiveDate, sequence: u16) -> i64 {
    let mut m = new_member(org, name.into(), born, sequence);
    m.phone = Phone::parse("13912345678");
    store(app, &[m]).await;
    sqlx::query_scalar("select member_id from member where name = $1")
        .bind(name)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// Which of these members still hold an encrypted resident ID.
async fn holding(app: &TestApp, ids: &[i64]) -> Vec<bool> {
    let mut held = Vec::new();
    for id in ids {
        let cipher: Option<Vec<u8>> =
            sqlx::query_scalar("select resident_id_cipher from member where member_id = $1")
                .bind(id)
                .fetch_one(&app.db)
                .await
                .unwrap();
        held.push(cipher.is_some());
    }
    held
}

/// The figure values of a page, in order.
fn figure_values(page: &str) -> Vec<String> {
    page.split("class=\"figure-value\">")
        .skip(1)
        .map(|rest| rest[..rest.find('<').unwrap()].to_string())
        .collect()
}

/// The count the members page shows.
fn member_count(page: &str) -> String {
    let rest = &page[page.find("data-testid=\"member-count\"").unwrap()..];
    let open = rest.find("<strong>").unwrap() + 8;
    rest[open..open + rest[open..].find('<').unwrap()].to_string()
}

/// Every anonymous count the committee sees: the dashboard's figures, the survey summary,
/// the members page by state and by age band, and the roster by sex.
async fn counts(app: &TestApp, client: &Client) -> Vec<String> {
    let (status, dashboard) = client.get_text("/dashboard").await;
    assert_eq!(status, 200);
    let mut all = figure_values(&dashboard);
    assert!(!all.is_empty());
    all.push(client.get_text("/api/v1/survey/summary").await.1);
    for filter in [
        "",
        "state=active",
        "state=transferred",
        "state=aged_out",
        "state=left",
        "age=14-17",
        "age=18-22",
        "age=23-27",
        "age=28%2B",
    ] {
        let (_, page) = client.get_text(&format!("/members?{filter}")).await;
        all.push(format!("{filter}: {}", member_count(&page)));
    }
    let by_sex: Vec<(String, i64)> =
        sqlx::query_as("select sex, count(*) from member group by sex order by sex")
            .fetch_all(&app.db)
            .await
            .unwrap();
    all.push(format!("{by_sex:?}"));
    all
}

#[tokio::test]
async fn leavers_numbers_are_erased_once_after_the_retention_period_and_the_counts_stay() {
    let app = TestApp::spawn().await;
    import_sample(&app).await;
    let org = secretary_org(&app).await;
    let aged = member(
        &app,
        org,
        "超龄甲",
        NaiveDate::from_ymd_opt(1990, 3, 4).unwrap(),
        11,
    )
    .await;
    let moved = member(
        &app,
        org,
        "转出乙",
        NaiveDate::from_ymd_opt(2000, 5, 6).unwrap(),
        13,
    )
    .await;
    let left = member(
        &app,
        org,
        "离团丙",
        NaiveDate::from_ymd_opt(2001, 7, 8).unwrap(),
        15,
    )
    .await;
    let stays = member(
        &app,
        org,
        "在团丁",
        NaiveDate::from_ymd_opt(1999, 9, 9).unwrap(),
        17,
    )
    .await;
    let moved_id: String = crate::members::id_born((2000, 5, 6), 13);

    // They leave today: on age, out of the zone, and marked left without an event (an old
    // record corrected by hand).
    let secretary = app.signed_in("secretary").await;
    let response = secretary
        .post_form(&format!("/members/{aged}/age-out"), &[])
        .await;
    assert!(response.status().is_redirection(), "{}", response.status());
    let response = secretary
        .post_form(
            &format!("/members/{moved}/transfer"),
            &[("kind", "out"), ("destination", "昌吉市团委")],
        )
        .await;
    assert!(response.status().is_redirection(), "{}", response.status());
    sqlx::query("update member set state = 'left' where member_id = $1")
        .bind(left)
        .execute(&app.db)
        .await
        .unwrap();
    let all = [aged, moved, left, stays];

    // A day short of three years: nothing is erased.
    app.clock.advance(Duration::days(3 * 365));
    assert_eq!(housekeeping::run(&app.state).await.personal_data_erased, 0);
    assert_eq!(holding(&app, &all).await, [true, true, true, true]);

    // Two days later the three leavers' numbers go; the member still in the league keeps his.
    app.clock.advance(Duration::days(2));
    let committee = app.signed_in("committee").await;
    let before = counts(&app, &committee).await;
    assert_eq!(housekeeping::run(&app.state).await.personal_data_erased, 3);
    assert_eq!(holding(&app, &all).await, [false, false, false, true]);
    // Index, phone, masked ID, masked phone and the stamp: gone, gone, 已删除, gone, set.
    let gone: Vec<String> = sqlx::query_scalar(
        "select concat_ws('|', resident_id_index is null, phone_cipher is null, resident_id_masked,
                          phone_masked is null, erased_at is not null)
           from member where member_id = any($1) order by member_id",
    )
    .bind(&all[..3])
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(gone, vec!["t|t|已删除|t|t"; 3]);
    assert_eq!(counts(&app, &committee).await, before, "the counts stay");

    // Audited once per member, by the hourly pass, naming no number.
    let events: Vec<(String, Option<i64>, String, String)> = sqlx::query_as(
        "select entity_id, account_id, username, after::text from audit_event
          where action = 'member.personal_data_erased' order by entity_id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(events.len(), 3);
    for (entity, account, username, after) in &events {
        assert!(all[..3].contains(&entity.parse().unwrap()));
        assert_eq!((account, username.as_str()), (&None, "(hourly)"));
        assert!(
            !after.contains("652301") && !after.contains("1391234"),
            "{after}"
        );
    }

    // Idempotent: the next pass erases and audits nothing.
    assert_eq!(housekeeping::run(&app.state).await.personal_data_erased, 0);
    assert_eq!(app.audit_count("member.personal_data_erased").await, 3);

    // Its page says when; nothing is left to reveal, change or export but that.
    let (status, page) = committee.get_text(&format!("/members/{aged}")).await;
    assert_eq!(status, 200);
    let day = app.clock.today();
    let erased_on = format!(
        "个人信息已于{}年{}月{}日按保存期限删除",
        day.year(),
        day.month(),
        day.day()
    );
    assert!(page.contains(&erased_on), "{page}");
    assert!(!page.contains(&format!("/members/{aged}/reveal")));
    assert!(!page.contains(&format!("/members/{aged}/edit")));
    let response = committee
        .post_form(&format!("/members/{aged}/reveal"), &[])
        .await;
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("按保存期限删除"));
    let (status, edit) = committee.get_text(&format!("/members/{aged}/edit")).await;
    assert_eq!(status, 400);
    assert!(edit.contains("不能再查看或修改"));
    let export = committee
        .get(&format!("/members/{aged}/personal-data"))
        .await;
    assert_eq!(export.status(), 200);
    let text = format!(
        "{:?}",
        crate::workbooks::grid(&export.bytes().await.unwrap())
    );
    assert!(text.contains("按保存期限删除") && !text.contains("652301"));

    // The API says so too.
    let (_, api) = committee
        .get_text(&format!("/api/v1/members?organization={org}"))
        .await;
    let api: serde_json::Value = serde_json::from_str(&api).unwrap();
    let item = |id: i64| {
        api["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()
            .clone()
    };
    assert!(item(aged)["resident_id"].is_null() && item(aged)["phone"].is_null());
    assert!(item(aged)["erased_at"].is_string());
    assert!(item(stays)["resident_id"].is_string() && item(stays)["erased_at"].is_null());

    // With the blind index gone, the person may be registered again should they return.
    let mut back = new_member(
        org,
        "转出乙".into(),
        NaiveDate::from_ymd_opt(2000, 5, 6).unwrap(),
        13,
    );
    assert_eq!(back.resident_id.as_str(), moved_id);
    back.name = "回来乙".into();
    store(&app, &[back]).await;
}

#[tokio::test]
async fn the_retention_period_is_a_setting() {
    let settings = Settings {
        retention: Retention::of_years(5).unwrap(),
        ..Settings::local()
    };
    let app = TestApp::spawn_with(settings).await;
    import_sample(&app).await;
    let org = secretary_org(&app).await;
    let left = member(
        &app,
        org,
        "离团戊",
        NaiveDate::from_ymd_opt(2001, 7, 8).unwrap(),
        19,
    )
    .await;
    sqlx::query("update member set state = 'left' where member_id = $1")
        .bind(left)
        .execute(&app.db)
        .await
        .unwrap();
    app.clock.advance(Duration::days(4 * 366));
    assert_eq!(housekeeping::run(&app.state).await.personal_data_erased, 0);
    app.clock.advance(Duration::days(366));
    assert_eq!(housekeeping::run(&app.state).await.personal_data_erased, 1);
    let after: String = sqlx::query_scalar(
        "select after->>'retention_years' from audit_event where action = 'member.personal_data_erased'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(after, "5");
}

/// The day someone turning 18 on `birthday` was born (28 February for 29 February).
fn born_turning_18_on(birthday: NaiveDate) -> NaiveDate {
    birthday
        .with_year(birthday.year() - 18)
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(birthday.year() - 18, 2, 28).unwrap())
}

#[tokio::test]
async fn minors_are_marked_and_only_the_committee_reveals_their_id_until_they_turn_18() {
    let app = TestApp::spawn().await;
    import_sample(&app).await;
    let org = secretary_org(&app).await;
    let birthday = app.clock.today() + Duration::days(10);
    let minor = member(&app, org, "少年己", born_turning_18_on(birthday), 21).await;
    let adult = member(
        &app,
        org,
        "青年庚",
        NaiveDate::from_ymd_opt(2000, 1, 2).unwrap(),
        23,
    )
    .await;
    let secretary = app.signed_in("secretary").await;
    let committee = app.signed_in("committee").await;
    let reveal = |id: i64| format!("/members/{id}/reveal");
    let badge = "data-testid=\"minor\"";

    // Marked in both lists and on the page, the minor alone.
    for path in [
        format!("/organizations/{org}/members"),
        "/members".to_string(),
    ] {
        let (_, list) = secretary.get_text(&path).await;
        let rows: Vec<&str> = list
            .split("<tr>")
            .filter(|r| r.contains("/members/"))
            .collect();
        let row = |name: &str| rows.iter().find(|r| r.contains(name)).unwrap().to_string();
        assert!(
            row("少年己").contains("未成年") && row("少年己").contains(badge),
            "{path}"
        );
        assert!(!row("青年庚").contains(badge), "{path}");
    }
    let (_, page) = secretary.get_text(&format!("/members/{minor}")).await;
    assert!(page.contains(badge) && page.contains("未成年"));
    let (_, page) = secretary.get_text(&format!("/members/{adult}")).await;
    assert!(!page.contains(badge));

    // The own secretary is refused the minor's full ID and data export; the committee may.
    let response = secretary.post_form(&reveal(minor), &[]).await;
    assert_eq!(response.status(), 403);
    assert!(!response.text().await.unwrap().contains("13912345678"));
    let export = secretary
        .get(&format!("/members/{minor}/personal-data"))
        .await;
    assert_eq!(export.status(), 403);
    assert_eq!(app.audit_count("member.id_viewed").await, 0);
    let response = committee.post_form(&reveal(minor), &[]).await;
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("13912345678"));
    assert_eq!(app.audit_count("member.id_viewed").await, 1);

    // On their 18th birthday the mark goes and their own secretary may reveal it.
    app.clock.advance(Duration::days(10));
    let secretary = app.signed_in("secretary").await;
    let (_, page) = secretary.get_text(&format!("/members/{minor}")).await;
    assert!(!page.contains(badge) && page.contains(&reveal(minor)));
    let response = secretary.post_form(&reveal(minor), &[]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.audit_count("member.id_viewed").await, 2);
}

#[tokio::test]
async fn one_pass_erases_more_leavers_than_one_batch_each_once() {
    let app = TestApp::spawn().await;
    import_sample(&app).await;
    let org = secretary_org(&app).await;
    crate::members::one_surname_many_members(&app, org).await;
    sqlx::query("update member set state = 'left'")
        .execute(&app.db)
        .await
        .unwrap();
    app.clock.advance(Duration::days(3 * 366));
    assert_eq!(
        housekeeping::run(&app.state).await.personal_data_erased,
        1001
    );
    assert_eq!(app.audit_count("member.personal_data_erased").await, 1001);
    let audited: i64 = sqlx::query_scalar(
        "select count(distinct entity_id) from audit_event where action = 'member.personal_data_erased'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audited, 1001);
    assert_eq!(housekeeping::run(&app.state).await.personal_data_erased, 0);
}

//! "Today" is the zone's local date (Beijing time by default), and 29 February does not
//! break the age rules: the server's clock is set to the hours and days where a UTC date or
//! a replaced year used to give the wrong answer.

use chrono::{NaiveDate, TimeZone, Utc};

use crate::helpers::TestApp;
use crate::members::{id_born, linked_names, new_member, secretary_org, store};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The names listed in the age page's section headed `heading`.
fn section_names(page: &str, heading: &str) -> Vec<String> {
    let start = page.find(heading).unwrap_or_else(|| panic!("no {heading}"));
    let rest = &page[start..];
    let end = rest.find("</section>").unwrap();
    linked_names(&rest[..end])
}

#[tokio::test]
async fn at_half_past_one_in_beijing_on_1_december_it_is_1_december() {
    let app = TestApp::spawn().await;
    // 17:30 UTC on 30 November is 01:30 on 1 December in Beijing.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 30, 17, 30, 0).unwrap());
    assert_eq!(app.clock.today(), day(2026, 12, 1));
    let org = secretary_org(&app).await;
    let committee = app.signed_in("committee").await;

    // Turns 28 today: past 28, not "turning 28 within 90 days", and may leave.
    store(
        &app,
        &[new_member(org, "生日".into(), day(1998, 12, 1), 21)],
    )
    .await;
    let (status, page) = committee.get_text("/members/age").await;
    assert_eq!(status, 200);
    assert_eq!(section_names(&page, "已满28周岁、未担任团内职务"), ["生日"]);
    assert!(section_names(&page, "90天内年满28周岁").is_empty());
    let id: i64 = sqlx::query_scalar("select member_id from member where name = '生日'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let response = committee
        .post_form(&format!("/members/{id}/age-out"), &[])
        .await;
    let (_, page) = committee.follow(response).await;
    assert!(page.contains("生日 已办理超龄离团"), "{page}");

    // 入团年月 of the local month is not in the future.
    let response = committee
        .post_form(
            &format!("/organizations/{org}/members"),
            &[
                ("name", "新团员"),
                ("resident_id", &id_born((2008, 5, 4), 23)),
                ("sex", "男"),
                ("ethnicity", "01"),
                ("joined_on", "2026-12"),
                ("league_post", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());

    // Times shown are local: the history says 1 December, and no page says UTC.
    let (_, page) = committee.get_text(&format!("/members/{id}")).await;
    assert!(page.contains("2026-12-01"), "{page}");
    let admin = app.signed_in("admin").await;
    let (_, audit) = admin.get_text("/admin/audit?action=member").await;
    assert!(audit.contains("2026-12-01 01:30"), "{audit}");
    assert!(!audit.contains("UTC"));
    // The audit filter's days are local days too.
    let (_, audit) = admin
        .get_text("/admin/audit?action=member&from=2026-12-01&to=2026-12-01")
        .await;
    assert!(audit.contains("2026-12-01 01:30"), "{audit}");
    let (_, audit) = admin
        .get_text("/admin/audit?action=member&from=2026-11-30&to=2026-11-30")
        .await;
    assert!(!audit.contains("2026-12-01 01:30"), "{audit}");
}

#[tokio::test]
async fn on_29_february_each_member_is_in_one_age_band_and_one_age_list() {
    let app = TestApp::spawn().await;
    let org = secretary_org(&app).await;
    let people = [
        ("十八", day(2010, 2, 28)),   // 18 today
        ("十七", day(2010, 3, 1)),    // 17 until tomorrow
        ("二十二", day(2005, 3, 1)),  // 22
        ("二十三", day(2005, 2, 28)), // 23 today
        ("今满", day(2000, 2, 29)),   // 28 today
        ("明满", day(2000, 3, 1)),    // 28 tomorrow
    ];
    let members: Vec<_> = people
        .iter()
        .zip(30u16..)
        .map(|((name, born), sequence)| new_member(org, (*name).into(), *born, sequence))
        .collect();
    store(&app, &members).await;
    // Noon in Beijing on 29 February 2028.
    app.clock
        .set(Utc.with_ymd_and_hms(2028, 2, 29, 4, 0, 0).unwrap());
    let committee = app.signed_in("committee").await;
    let band = |band: &'static str| {
        let committee = &committee;
        async move {
            let (status, page) = committee
                .get_text(&format!(
                    "/organizations/{org}/members?age={}",
                    band.replace('+', "%2B")
                ))
                .await;
            assert_eq!(status, 200);
            let mut names = linked_names(&page);
            names.sort();
            names
        }
    };
    assert_eq!(band("14-17").await, ["十七"]);
    assert_eq!(band("18-22").await, ["二十二", "十八"]);
    assert_eq!(band("23-27").await, ["二十三", "明满"]);
    assert_eq!(band("28+").await, ["今满"]);

    let (_, page) = committee.get_text("/members/age").await;
    assert_eq!(section_names(&page, "已满28周岁、未担任团内职务"), ["今满"]);
    assert_eq!(section_names(&page, "90天内年满28周岁"), ["明满"]);
    assert!(page.contains("2028-02-29") && page.contains("2028-03-01"));
}

//! Masked means masked, everywhere (issue 14): one rule (`domain::disclosure`) decides what
//! each reader sees of each personal field, and the pages, the reveal route and the exports
//! follow it. A member's own secretary sees full numbers only for members of 18 and over;
//! a leader's survey export masks the units' contact phones, and such a file cannot write
//! a masked phone back.

use chrono::{Datelike, NaiveDate};
use tuanjian::domain::phone::Phone;

use crate::helpers::TestApp;
use crate::members::{new_member, secretary_org, store};
use crate::survey::import;
use crate::workbooks::{SAMPLE_XLSX, grid};

/// A member of the secretary's branch who is `age` years old today (birthday last month).
async fn member_aged(app: &TestApp, org: i64, name: &str, age: i32, sequence: u16) -> i64 {
    let today = app.clock.today();
    let month_ago = today - chrono::Months::new(1);
    let born = NaiveDate::from_ymd_opt(today.year() - age, month_ago.month(), 1).unwrap();
    let mut member = new_member(org, name.into(), born, sequence);
    member.phone = Phone::parse("13912345678");
    store(app, &[member]).await;
    sqlx::query_scalar("select member_id from member where name = $1")
        .bind(name)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_own_secretary_sees_full_numbers_of_adult_members_only_and_the_committee_of_all() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = secretary_org(&app).await;
    let minor = member_aged(&app, org, "少年", 16, 31).await;
    let adult = member_aged(&app, org, "青年", 18, 33).await;
    let secretary = app.signed_in("secretary").await;
    let committee = app.signed_in("committee").await;

    let reveal = |member: i64| format!("/members/{member}/reveal");
    let response = secretary.post_form(&reveal(minor), &[]).await;
    assert_eq!(response.status(), 403);
    assert!(!response.text().await.unwrap().contains("13912345678"));
    assert_eq!(app.audit_count("member.id_viewed").await, 0);

    let response = secretary.post_form(&reveal(adult), &[]).await;
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("13912345678"));
    let response = committee.post_form(&reveal(minor), &[]).await;
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("13912345678"));
    assert_eq!(app.audit_count("member.id_viewed").await, 2);

    // The pages offer the button only where the route accepts it.
    let (_, page) = secretary.get_text(&format!("/members/{minor}")).await;
    assert!(!page.contains(&reveal(minor)) && page.contains("data-testid=\"minor-masked\""));
    let (_, page) = secretary.get_text(&format!("/members/{adult}")).await;
    assert!(page.contains(&reveal(adult)) && !page.contains("minor-masked"));
    let (_, roster) = secretary
        .get_text(&format!("/organizations/{org}/members"))
        .await;
    assert!(roster.contains(&reveal(adult)) && !roster.contains(&reveal(minor)));
    let (_, roster) = committee
        .get_text(&format!("/organizations/{org}/members"))
        .await;
    assert!(roster.contains(&reveal(adult)) && roster.contains(&reveal(minor)));
}

/// The contact phone of the sample's first unit other than the secretary's that has a
/// mobile number, and that unit's name.
async fn a_contact_phone(app: &TestApp) -> (String, String) {
    sqlx::query_as(
        "select name, contact_phone from unit where contact_phone ~ '^1[3-9][0-9]{9}$'
            and name <> $1
          order by unit_id limit 1",
    )
    .bind(tuanjian::demo::SECRETARY_UNIT)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_leaders_survey_export_masks_contact_phones_and_cannot_write_them_back() {
    let app = TestApp::spawn().await;
    let done = import(&app, SAMPLE_XLSX).await.unwrap();
    let (_, phone) = a_contact_phone(&app).await;
    let masked = Phone::mask_text(&phone);
    let path = format!("/surveys/{}/export", done.survey_id);
    let cells = |bytes: &[u8]| format!("{:?}", grid(bytes));

    let committee = app.signed_in("committee").await.get(&path).await;
    let text = cells(&committee.bytes().await.unwrap());
    assert!(text.contains(&phone), "the committee's export is whole");

    let leader = app.signed_in("leader").await.get(&path).await;
    assert_eq!(leader.status(), 200);
    let bytes = leader.bytes().await.unwrap().to_vec();
    let text = cells(&bytes);
    assert!(!text.contains(&phone) && text.contains(&masked));

    // Imported back, the masked phones are faults that name the reason; nothing changes.
    let before: Vec<Option<String>> =
        sqlx::query_scalar("select contact_phone from unit order by unit_id")
            .fetch_all(&app.db)
            .await
            .unwrap();
    let refused = import(&app, &bytes).await.unwrap_err();
    assert!(
        format!("{refused:?}").contains("是脱敏后的号码"),
        "{refused:?}"
    );
    let after: Vec<Option<String>> =
        sqlx::query_scalar("select contact_phone from unit order by unit_id")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(before, after);
}

#[tokio::test]
async fn a_secretary_who_also_leads_sees_the_own_units_phone_whole_and_the_others_masked() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let own = app.unit_id(tuanjian::demo::SECRETARY_UNIT).await;
    let (name, phone) = a_contact_phone(&app).await;
    let other: i64 = sqlx::query_scalar("select unit_id from unit where name = $1")
        .bind(&name)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_ne!(own, other);
    sqlx::query("update unit set contact_phone = '13700001111' where unit_id = $1")
        .bind(own)
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query(
        "insert into account_role (account_id, role, unit_id)
         select account_id, 'leader', null from account where username = 'secretary'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let client = app.signed_in("secretary").await;

    let (_, page) = client.get_text(&format!("/units/{own}")).await;
    assert!(page.contains("13700001111"));
    let (status, page) = client.get_text(&format!("/units/{other}")).await;
    assert_eq!(status, 200);
    assert!(!page.contains(&phone) && page.contains(&Phone::mask_text(&phone)));
}

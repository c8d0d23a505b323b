//! Rounds over time (issue 14): a round locks itself once its reporting window has closed,
//! and the demo still shows the seed's figures for its round after a year of later work.

use crate::helpers::TestApp;
use crate::locked_rounds::{approve_two_and_close_one, shown, summary};
use crate::rounds::open_2019;
use crate::survey::import_sample;

#[tokio::test]
async fn a_round_locks_itself_once_its_window_has_closed_and_then_keeps_its_figures() {
    // Arrange: the seed's round and a 2019 round carried over from it, reporting from
    // yesterday to 14 days on.
    let app = TestApp::spawn().await;
    let seed = import_sample(&app).await;
    let round = open_2019(&app).await;
    let committee = app.signed_in("committee").await;
    let closes_on: chrono::NaiveDate =
        sqlx::query_scalar("select closes_on from survey where survey_id = $1")
            .bind(round)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let before = summary(&committee, round).await;

    // Act and assert: on its last day the hourly pass leaves the round open...
    let next_day = app.clock.start_of(closes_on.succ_opt().unwrap());
    app.clock.set(next_day - chrono::Duration::minutes(30));
    let pass = tuanjian::startup::housekeeping::run(&app.state).await;
    assert_eq!(pass.rounds_locked, 0);
    let committee = app.signed_in("committee").await;
    let (_, page) = committee.get_text(&format!("/surveys/{round}")).await;
    assert!(page.contains(&format!("截止填报日期（{closes_on}）过后将自动锁定")));

    // ...and just after the zone's midnight it locks it, once, in the audit log as the
    // hourly job; the imported round without a window stays open.
    app.clock.set(next_day + chrono::Duration::minutes(10));
    let pass = tuanjian::startup::housekeeping::run(&app.state).await;
    assert_eq!(pass.rounds_locked, 1);
    assert_eq!(
        tuanjian::startup::housekeeping::run(&app.state)
            .await
            .rounds_locked,
        0
    );
    let locked: Vec<(i64, bool)> =
        sqlx::query_as("select survey_id, locked from survey order by as_of")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(locked, [(seed, false), (round, true)]);
    let by: String = sqlx::query_scalar(
        "select username from audit_event where action = 'survey.locked' and entity_id = $1::text",
    )
    .bind(round)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(by, "(hourly)");
    let committee = app.signed_in("committee").await;
    let (_, page) = committee.get_text(&format!("/surveys/{round}")).await;
    assert!(page.contains("已结束并锁定"));
    assert_eq!(summary(&committee, round).await, before);
    let at_lock = shown(&committee, round).await;

    // Later approvals and closures no longer move it; the open imported round follows them.
    approve_two_and_close_one(&app, &committee, seed).await;
    assert_eq!(shown(&committee, round).await, at_lock);
    assert_eq!(
        summary(&committee, seed).await["departments_communities_approved"],
        13
    );
    crate::totals::assert_recount(&app, "a round locked by the hourly pass").await;
}

#[tokio::test]
async fn the_demo_keeps_the_seeds_figures_for_its_round_after_a_year_of_later_work() {
    // Arrange: the demo as `make run` loads it.
    let app = TestApp::spawn().await;
    tuanjian::demo::load(&app.state).await.unwrap();
    let seed: i64 = sqlx::query_scalar("select survey_id from survey")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let committee = app.signed_in("committee").await;
    let fresh = summary(&committee, seed).await;
    let expected = serde_json::json!({
        "as_of": "2018-06-01", "enterprises_operating": 399, "enterprises_total": 430,
        "departments": 16, "communities": 6, "members": 1779, "youth": 12231,
        "enterprises_with_members": 26, "enterprises_with_organization": 24,
        "departments_communities_approved": 11, "departments_communities_pending": 4,
        "eligible_without_organization": 12,
    });
    assert_eq!(fresh, expected);

    // Act: a year of work. A new round opens with its window, a secretary reports to it,
    // two applications are approved and an enterprise closes, members leave the rosters,
    // the window closes and the hourly pass locks the new round; at the year's end the
    // committee locks the seed's round too.
    let today = app.clock.today();
    let response = committee
        .post_form(
            "/surveys",
            &[
                ("title", "本年度团员青年摸排"),
                ("as_of", &today.to_string()),
                ("opens_on", &today.to_string()),
                ("closes_on", &(today + chrono::Days::new(30)).to_string()),
                ("carry_over", "true"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let round: i64 = sqlx::query_scalar("select max(survey_id) from survey")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let own = app.unit_id(tuanjian::demo::SECRETARY_UNIT).await;
    let reported: i32 = sqlx::query_scalar(
        "select members from survey_entry where survey_id = $1 and unit_id = $2",
    )
    .bind(seed)
    .bind(own)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let secretary = app.signed_in("secretary").await;
    let response = secretary
        .post_form(
            &format!("/units/{own}/report"),
            &[("staff", "40"), ("youth", "20"), ("members", "5")],
        )
        .await;
    assert_eq!(response.status(), 303);
    approve_two_and_close_one(&app, &committee, seed).await;
    sqlx::query(
        "update member set state = 'left'
          where member_id in (select member_id from member where state = 'active' limit 20)",
    )
    .execute(&app.db)
    .await
    .unwrap();
    app.clock.advance(chrono::Duration::days(365));
    let pass = tuanjian::startup::housekeeping::run(&app.state).await;
    assert_eq!(pass.rounds_locked, 1);
    let committee = app.signed_in("committee").await;
    let response = committee
        .post_form(&format!("/surveys/{seed}/lock"), &[])
        .await;
    assert_eq!(response.status(), 303);

    // Assert: the seed's round shows the seed's figures; the new round its own.
    assert_eq!(summary(&committee, seed).await, expected);
    let later = summary(&committee, round).await;
    assert_eq!(later["departments_communities_approved"], 13);
    assert_eq!(later["departments_communities_pending"], 2);
    assert_eq!(
        later["members"],
        1779 - reported + 5,
        "the secretary's report replaced its unit's"
    );
    crate::totals::assert_recount(&app, "a year after the demo").await;
}

//! Check-in by phone, its limits (issue 16 item 3): the window (2 h before the start to 2 h
//! after the end), forms per address and per link, the hourly purge of their count, and
//! the organiser's routes refused to a reader (403) and to another unit's secretary (404).

use chrono::{DateTime, Utc};

use crate::checkin::{BEFORE_START, at, counts, open, send};
use crate::helpers::TestApp;
use crate::participation::rally;

#[tokio::test]
async fn the_link_answers_only_from_two_hours_before_the_start_to_two_hours_after_the_end() {
    let app = TestApp::spawn().await;
    app.clock.set(at("2018-06-08T12:00:00Z"));
    let committee = app.signed_in("committee").await;
    let page = rally(&app, &committee).await;
    let link = open(&committee, &page).await;
    let phone = app.client();
    let person = [("name", "赵六"), ("phone", "13700137000")];

    // 2 h 1 min before the start: not yet.
    app.clock.set(at("2018-06-08T22:59:00Z"));
    let (_, body) = phone.get_text(&link).await;
    assert!(body.contains("签到尚未开始：活动开始前2小时起可以签到"));
    let (status, body) = send(&phone, &link, &person).await;
    assert_eq!(status, 422);
    assert!(body.contains("签到尚未开始"));
    assert_eq!(counts(&app).await, (0, 0));

    // Exactly 2 h before: checked in.
    app.clock.set(at("2018-06-08T23:00:00Z"));
    let (_, body) = send(&phone, &link, &person).await;
    assert!(body.contains("签到成功"), "{body}");

    // 2 h 1 min after the end: neither check-out nor a new check-in.
    app.clock.set(at("2018-06-09T12:31:00Z"));
    let (status, body) = send(&phone, &link, &person).await;
    assert_eq!(status, 422);
    assert!(body.contains("签到已结束：活动结束2小时后不再接受签到和签退"));
    let out: Option<DateTime<Utc>> = sqlx::query_scalar("select checked_out_at from checkin_entry")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(out, None);
    // Nor can a new link be opened then.
    let committee = app.signed_in("committee").await;
    committee
        .post_form(&format!("{page}/checkin/close"), &[])
        .await;
    let (_, body) = committee
        .follow(committee.post_form(&format!("{page}/checkin"), &[]).await)
        .await;
    assert!(body.contains("活动已结束超过2小时，不能再开启签到"));
    // Unconfirmed without a check-out, nothing to confirm.
    let (_, body) = committee
        .follow(
            committee
                .post_form(&format!("{page}/checkin/confirm"), &[])
                .await,
        )
        .await;
    assert!(body.contains("没有待确认的签到记录"));
}

#[tokio::test]
async fn the_link_is_rate_limited_per_address_and_per_link() {
    let app = TestApp::spawn().await;
    app.clock.set(at(BEFORE_START));
    let committee = app.signed_in("committee").await;
    let page = rally(&app, &committee).await;
    let link = open(&committee, &page).await;
    let phone = app.client();
    let limit = tuanjian::domain::checkin::PER_ADDRESS_LIMIT;
    for _ in 0..limit {
        let (status, _) = send(&phone, &link, &[("name", "钱七"), ("phone", "12")]).await;
        assert_eq!(status, 422);
    }
    let (status, body) = send(&phone, &link, &[("name", "钱七"), ("phone", "13600136000")]).await;
    assert_eq!(status, 429);
    assert!(body.contains("提交过于频繁，请稍后再试"));
    assert_eq!(counts(&app).await, (0, 0));
    // A minute later the address may send again.
    app.clock.advance(chrono::Duration::seconds(61));
    let (_, body) = send(&phone, &link, &[("name", "钱七"), ("phone", "13600136000")]).await;
    assert!(body.contains("签到成功"), "{body}");

    // The link as a whole takes a bounded number of forms, whatever their addresses.
    sqlx::query(
        "insert into checkin_attempt (checkin_id, address, attempted_at)
         select checkin_id, '10.0.0.' || (i % 250), $1 from checkin, generate_series(1, $2) i",
    )
    .bind(app.clock.now())
    .bind(tuanjian::domain::checkin::PER_LINK_LIMIT as i32)
    .execute(&app.db)
    .await
    .unwrap();
    let (status, _) = send(
        &app.client(),
        &link,
        &[("name", "孙八"), ("phone", "13500135000")],
    )
    .await;
    assert_eq!(status, 429);
    assert_eq!(counts(&app).await, (1, 1));

    // The hourly pass purges old forms.
    app.clock.advance(chrono::Duration::days(2));
    tuanjian::startup::housekeeping::run(&app.state).await;
    let left: i64 = sqlx::query_scalar("select count(*) from checkin_attempt")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn only_the_organiser_opens_closes_and_confirms() {
    let app = TestApp::spawn().await;
    crate::survey::import(&app, crate::workbooks::SAMPLE_XLSX)
        .await
        .unwrap();
    crate::members::secretary_org(&app).await;
    app.clock.set(at(BEFORE_START));
    let committee = app.signed_in("committee").await;
    let page = rally(&app, &committee).await;
    let leader = app.signed_in("leader").await;
    let secretary = app.signed_in("secretary").await;
    for route in [
        "checkin",
        "checkin/close",
        "checkin/confirm",
        "checkin/1/confirm",
    ] {
        let path = format!("{page}/{route}");
        assert_eq!(leader.post_form(&path, &[]).await.status(), 403, "{path}");
        // The zone's activity is not the secretary's: nothing to see.
        assert_eq!(
            secretary.post_form(&path, &[]).await.status(),
            404,
            "{path}"
        );
    }
    assert_eq!(
        secretary
            .get(&format!("{page}/checkin/qr.svg"))
            .await
            .status(),
        404
    );
    // No link was opened, and the QR code of none is 404 for the organiser too.
    assert_eq!(app.audit_count("checkin.opened").await, 0);
    assert_eq!(
        committee
            .get(&format!("{page}/checkin/qr.svg"))
            .await
            .status(),
        404
    );
    // The reader's page shows no check-in panel.
    let (_, body) = leader.get_text(&page).await;
    assert!(!body.contains("现场签到"));
}

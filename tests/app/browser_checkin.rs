//! Check-in by phone in Chromium at 375 px: a secretary opens the check-in of their
//! branch's activity and shows the QR code; a participant with no account opens the link,
//! is refused a short number, checks in, and later checks out; the secretary confirms the
//! hours proposed.

use fantoccini::{Client, Locator};

use crate::browser::{browser, screenshot, sign_in, text_of, wait_text};
use crate::helpers::{PASSWORD, TestApp};

async fn click(c: &Client, id: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Types the participant's form and sends it.
async fn send(c: &Client, name: &str, phone: &str) {
    for (field, value) in [("name", name), ("phone", phone)] {
        let input = c.find(Locator::Id(field)).await.unwrap();
        input.clear().await.unwrap();
        input.send_keys(value).await.unwrap();
    }
    click(c, "checkin-submit").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_phone_width_a_participant_checks_in_by_the_link_and_the_secretary_confirms_the_hours() {
    let app = TestApp::spawn().await;
    crate::survey::import(&app, crate::workbooks::SAMPLE_XLSX)
        .await
        .unwrap();
    let branch = crate::members::secretary_org(&app).await.to_string();
    // 08:40 Beijing time on the day of an activity from 09:00 to 11:30.
    app.clock.set("2018-06-09T00:40:00Z".parse().unwrap());
    let secretary = app.signed_in("secretary").await;
    let response = secretary
        .post_form(
            "/activities",
            &[
                ("organization_id", &branch),
                ("kind", "volunteer"),
                ("title", "社区环境清洁志愿服务"),
                ("starts_at", "2018-06-09T09:00"),
                ("ends_at", "2018-06-09T11:30"),
                ("place", "金湾社区"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let page = response.headers()["location"].to_str().unwrap().to_string();

    // The secretary opens the check-in on the activity's page: the QR code and its link.
    let organiser = browser(375, 812, true).await;
    let c = &organiser.client;
    sign_in(c, &app.base, "secretary", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    c.goto(&format!("{}{page}", app.base)).await.unwrap();
    click(c, "open-checkin").await;
    wait_text(
        c,
        ".flash-ok",
        "签到已开启：请参与人员用手机扫描二维码签到、签退。",
    )
    .await;
    let link = text_of(c, "[data-testid=checkin-link]").await;
    assert!(
        link.starts_with(&format!("{}/checkin/", app.base)),
        "{link}"
    );
    let drawn: bool = c
        .execute(
            "var img = document.querySelector('[data-testid=checkin-qr]');
             return img.complete && img.naturalWidth > 0;",
            vec![],
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap();
    assert!(drawn, "the QR code image did not load");
    c.execute(
        "document.getElementById('checkin').scrollIntoView();",
        vec![],
    )
    .await
    .unwrap();
    screenshot(c, "checkin-qr-375").await;

    // The participant, on their own phone with no account.
    let participant = browser(375, 812, true).await;
    let p = &participant.client;
    p.goto(&link).await.unwrap();
    assert!(
        text_of(p, "[data-testid=checkin-activity]")
            .await
            .contains("社区环境清洁志愿服务")
    );
    send(p, "林晓", "1391234567").await;
    let error = text_of(p, "#checkin-error").await;
    assert_eq!(error, "手机号：请填写11位手机号码");
    screenshot(p, "checkin-error-375").await;
    send(p, "林晓", "13912345678").await;
    wait_text(
        p,
        ".flash-ok",
        "签到成功：林晓，08:40。活动结束后请再次扫码，填写相同的姓名和手机号签退。",
    )
    .await;
    screenshot(p, "checkin-done-375").await;

    // At 11:10 the same name and number check out: 09:00–11:10, 2.1 hours.
    app.clock.set("2018-06-09T03:10:00Z".parse().unwrap());
    p.goto(&link).await.unwrap();
    send(p, "林晓", "13912345678").await;
    wait_text(
        p,
        ".flash-ok",
        "签退成功：林晓，11:10。服务时长约2.1小时，以组织者确认为准。",
    )
    .await;
    screenshot(p, "checkout-done-375").await;
    participant.client.clone().close().await.unwrap();

    // The secretary (signed in again after the idle time) confirms the hours.
    sign_in(c, &app.base, "secretary", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    c.goto(&format!("{}{page}", app.base)).await.unwrap();
    let entries = text_of(c, "[data-testid=checkin-entries]").await;
    assert!(
        entries.contains("林晓") && entries.contains("139****5678") && entries.contains("2.1"),
        "{entries}"
    );
    c.execute(
        "document.querySelector('[data-testid=checkin-entries]').scrollIntoView();",
        vec![],
    )
    .await
    .unwrap();
    screenshot(c, "checkin-pending-375").await;
    click(c, "confirm-all").await;
    wait_text(c, ".flash-ok", "已确认1人的服务时长。").await;
    let totals = text_of(c, "[data-testid=participant-totals]").await;
    assert!(totals.contains("2.1"), "{totals}");
    c.execute(
        "document.getElementById('checkin').scrollIntoView();",
        vec![],
    )
    .await
    .unwrap();
    screenshot(c, "checkin-confirmed-375").await;
    organiser.client.clone().close().await.unwrap();
}

//! Survey rounds: opening one with the units carried over, reporting by secretaries in
//! the open round, reminders into the inbox, export and re-import, and a locked round
//! refusing every write.

use chrono::Days;

use crate::helpers::TestApp;
use crate::survey::{fingerprint, import};
use crate::workbooks::SAMPLE_XLSX;

/// Opens a 2019 round, open for reporting today, carrying the 2018 units over.
pub async fn open_2019(app: &TestApp) -> i64 {
    let committee = app.signed_in("committee").await;
    let today = app.clock.today();
    let response = committee
        .post_form(
            "/surveys",
            &[
                ("title", "2019年团员青年摸排"),
                ("as_of", "2019-06-01"),
                ("opens_on", &(today - Days::new(1)).to_string()),
                ("closes_on", &(today + Days::new(14)).to_string()),
                ("formation_deadline", "2019-08-31"),
                ("carry_over", "true"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    sqlx::query_scalar("select survey_id from survey where as_of = '2019-06-01'")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_new_round_carries_the_units_over_unreported() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let id = open_2019(&app).await;
    let (entries, reported): (i64, i64) = sqlx::query_as(
        "select count(*), count(reported_at) from survey_entry where survey_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((entries, reported), (452, 0));
    let committee = app.signed_in("committee").await;
    let (status, body) = committee.get_text(&format!("/surveys/{id}")).await;
    assert_eq!(status, 200);
    assert!(body.contains("已填报 0 / 452 个单位"));
    let api: serde_json::Value = committee.get("/api/v1/surveys").await.json().await.unwrap();
    assert_eq!(api["items"][0]["as_of"], "2019-06-01");
    assert_eq!(api["items"][0]["entries"], 452);
    assert_eq!(api["items"][1]["as_of"], "2018-06-01");
    assert!(api["next"].is_null());
    // A secretary counts only their own unit's entries (security review F15).
    let secretary = app.signed_in("secretary").await;
    let theirs: serde_json::Value = secretary.get("/api/v1/surveys").await.json().await.unwrap();
    assert_eq!(theirs["items"][0]["entries"], 1);
    assert_eq!(theirs["items"][0]["reported"], 0);
    assert_eq!(theirs["items"][1]["entries"], 1);
}

#[tokio::test]
async fn bad_round_settings_are_refused_with_messages() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let committee = app.signed_in("committee").await;
    let cases: [(&[(&str, &str)], &str); 4] = [
        (
            &[
                ("title", ""),
                ("as_of", "2019-06-01"),
                ("opens_on", "2019-06-01"),
                ("closes_on", "2019-06-30"),
            ],
            "标题：不能为空",
        ),
        (
            &[
                ("title", "x"),
                ("as_of", "明年"),
                ("opens_on", "2019-06-01"),
                ("closes_on", "2019-06-30"),
            ],
            "统计截止日期：不是有效的日期",
        ),
        (
            &[
                ("title", "x"),
                ("as_of", "2019-06-01"),
                ("opens_on", "2019-07-01"),
                ("closes_on", "2019-06-30"),
            ],
            "不能早于开始填报日期",
        ),
        (
            &[
                ("title", "x"),
                ("as_of", "2018-06-01"),
                ("opens_on", "2019-06-01"),
                ("closes_on", "2019-06-30"),
            ],
            "已有截止2018-06-01的摸排轮次",
        ),
    ];
    for (fields, message) in cases {
        let response = committee.post_form("/surveys", fields).await;
        assert_eq!(response.status(), 422, "{message}");
        assert!(
            response.text().await.unwrap().contains(message),
            "{message}"
        );
    }
    let rounds: i64 = sqlx::query_scalar("select count(*) from survey")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(rounds, 1);
}

#[tokio::test]
async fn a_secretary_reports_their_units_figures_and_only_theirs() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let id = open_2019(&app).await;
    let own = app.unit_id(tuanjian::demo::SECRETARY_UNIT).await;
    let other = app.unit_id(tuanjian::demo::SECRETARY2_UNIT).await;
    let secretary = app.signed_in("secretary").await;
    let (status, body) = secretary.get_text(&format!("/units/{own}/report")).await;
    assert_eq!(status, 200);
    assert!(body.contains("2019年团员青年摸排"));

    let bad = secretary
        .post_form(
            &format!("/units/{own}/report"),
            &[("staff", "40"), ("youth", "20"), ("members", "25")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert!(
        bad.text()
            .await
            .unwrap()
            .contains("团员数（25）多于青年职工数（20）")
    );
    let bad = secretary
        .post_form(
            &format!("/units/{own}/report"),
            &[("staff", "四十"), ("youth", ""), ("members", "-1")],
        )
        .await;
    let text = bad.text().await.unwrap();
    assert!(
        text.contains("职工总数：不是数字")
            && text.contains("青年职工数：不能为空")
            && text.contains("团员数：不能为负数")
    );
    assert_eq!(app.audit_count("survey_entry.reported").await, 0);

    let good = secretary
        .post_form(
            &format!("/units/{own}/report"),
            &[("staff", "45"), ("youth", "２６"), ("members", "14")],
        )
        .await;
    assert_eq!(good.status(), 303);
    let entry: (i32, i32, i32, bool) = sqlx::query_as(
        "select staff, youth, members, reported_at is not null from survey_entry where survey_id = $1 and unit_id = $2",
    )
    .bind(id)
    .bind(own)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(entry, (45, 26, 14, true));
    assert_eq!(app.audit_count("survey_entry.reported").await, 1);

    // Another unit by changing the id: 404 to read and to write.
    assert_eq!(
        secretary
            .get(&format!("/units/{other}/report"))
            .await
            .status(),
        404
    );
    let response = secretary
        .post_form(
            &format!("/units/{other}/report"),
            &[("staff", "1"), ("youth", "1"), ("members", "1")],
        )
        .await;
    assert_eq!(response.status(), 404);
    let untouched: bool = sqlx::query_scalar(
        "select reported_at is null from survey_entry where survey_id = $1 and unit_id = $2",
    )
    .bind(id)
    .bind(other)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(untouched);
    // Leaders read only.
    let leader = app.signed_in("leader").await;
    assert_eq!(
        leader.get(&format!("/units/{own}/report")).await.status(),
        403
    );
}

#[tokio::test]
async fn reminders_reach_the_secretarys_inbox_and_are_recorded() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let id = open_2019(&app).await;
    let own = app.unit_id(tuanjian::demo::SECRETARY_UNIT).await;
    let committee = app.signed_in("committee").await;
    let response = committee
        .post_form(
            &format!("/surveys/{id}/remind"),
            &[("unit", &own.to_string())],
        )
        .await;
    let (_, body) = committee.follow(response).await;
    assert!(body.contains("已提醒1个单位（发出1条站内通知）"));
    let response = committee
        .post_form(&format!("/surveys/{id}/remind"), &[])
        .await;
    let (_, body) = committee.follow(response).await;
    // One notice for each of the two demo secretaries' units.
    assert!(body.contains("已提醒452个单位（发出2条站内通知）"));
    let recorded: i64 =
        sqlx::query_scalar("select count(*) from survey_reminder where survey_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(recorded, 453);

    let secretary = app.signed_in("secretary").await;
    let (_, page) = secretary.get_text("/inbox").await;
    assert!(page.contains("请填报截止2019年6月1日的团员青年摸排数据"));
    assert!(page.contains(&format!("/units/{own}/report")));
    assert!(page.contains("data-testid=\"unread\">2<"));
    secretary.post_form("/inbox/read", &[]).await;
    let (_, page) = secretary.get_text("/inbox").await;
    assert!(!page.contains("data-testid=\"unread\""));
    // secretary2 got their own, and nothing of secretary's.
    let secretary2 = app.signed_in("secretary2").await;
    let (_, page) = secretary2.get_text("/inbox").await;
    assert!(!page.contains(&format!("/units/{own}/report")));
}

#[tokio::test]
async fn an_exported_round_imports_back_to_the_same_figures() {
    let app = TestApp::spawn().await;
    let done = import(&app, SAMPLE_XLSX).await.unwrap();
    // The committee, who imports, exports: a leader's export masks the contact phones.
    let committee = app.signed_in("committee").await;
    let response = committee
        .get(&format!("/surveys/{}/export", done.survey_id))
        .await;
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains("filename*=UTF-8''%E6%91%B8%E6%8E%92"),
        "{disposition}"
    );
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    let bytes = response.bytes().await.unwrap().to_vec();

    let before = fingerprint(&app).await;
    let again = import(&app, &bytes).await.unwrap();
    assert_eq!(again.changed, 0, "the export holds exactly the round");
    assert_eq!(fingerprint(&app).await, before);

    let fresh = TestApp::spawn().await;
    let elsewhere = import(&fresh, &bytes).await.unwrap();
    assert_eq!(elsewhere.summary, done.summary);
    assert_eq!(app.audit_count("survey.exported").await, 1);
}

#[tokio::test]
async fn a_locked_round_refuses_every_write_from_pages_import_and_database() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let id = open_2019(&app).await;
    let own = app.unit_id(tuanjian::demo::SECRETARY_UNIT).await;
    let committee = app.signed_in("committee").await;
    let bytes = {
        let response = committee.get(&format!("/surveys/{id}/export")).await;
        response.bytes().await.unwrap().to_vec()
    };
    let response = committee
        .post_form(&format!("/surveys/{id}/lock"), &[])
        .await;
    let (_, body) = committee.follow(response).await;
    assert!(body.contains("已结束并锁定"));
    let before = fingerprint(&app).await;
    let audit_before: i64 =
        sqlx::query_scalar("select count(*) from audit_event where action not like 'login%'")
            .fetch_one(&app.db)
            .await
            .unwrap();

    let response = committee
        .post_form(
            &format!("/surveys/{id}"),
            &[
                ("title", "改名"),
                ("as_of", "2019-06-02"),
                ("opens_on", "2019-06-01"),
                ("closes_on", "2019-06-30"),
            ],
        )
        .await;
    let (_, body) = committee.follow(response).await;
    assert!(body.contains("本轮摸排已锁定"));
    let response = committee
        .post_form(&format!("/surveys/{id}/remind"), &[])
        .await;
    let (_, body) = committee.follow(response).await;
    assert!(body.contains("本轮摸排已锁定"));
    let response = committee
        .post_form(&format!("/surveys/{id}/lock"), &[])
        .await;
    let (_, body) = committee.follow(response).await;
    assert!(body.contains("本轮摸排已锁定"));

    let secretary = app.signed_in("secretary").await;
    let (_, page) = secretary.get_text(&format!("/units/{own}/report")).await;
    assert!(page.contains("当前没有开放填报的摸排轮次"));
    let response = secretary
        .post_form(
            &format!("/units/{own}/report"),
            &[("staff", "1"), ("youth", "1"), ("members", "1")],
        )
        .await;
    let (_, page) = secretary.follow(response).await;
    assert!(page.contains("当前没有开放填报的摸排轮次"));

    let result = import(&app, &bytes).await;
    assert!(matches!(
        result,
        Err(tuanjian::import::ImportError::Locked(_))
    ));
    let direct = sqlx::query("delete from survey_entry where survey_id = $1")
        .bind(id)
        .execute(&app.db)
        .await;
    assert!(direct.is_err(), "the database refuses too");
    for sql in [
        "update survey set locked = false where survey_id = $1",
        "delete from survey where survey_id = $1",
    ] {
        let refused = sqlx::query(sql).bind(id).execute(&app.db).await;
        assert!(refused.is_err(), "{sql}");
    }

    assert_eq!(fingerprint(&app).await, before);
    let audit_after: i64 =
        sqlx::query_scalar("select count(*) from audit_event where action not like 'login%'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        audit_after, audit_before,
        "nothing was written, not even an audit row"
    );
}

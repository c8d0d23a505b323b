//! The dashboard page and `GET /api/v1/survey/summary` for each role.

use crate::helpers::TestApp;
use crate::survey::import;
use crate::workbooks::SAMPLE_XLSX;

const KEYS: [&str; 12] = [
    "as_of",
    "enterprises_operating",
    "enterprises_total",
    "departments",
    "communities",
    "members",
    "youth",
    "enterprises_with_members",
    "enterprises_with_organization",
    "departments_communities_approved",
    "departments_communities_pending",
    "eligible_without_organization",
];

#[tokio::test]
async fn the_summary_api_answers_committee_and_leader_with_exactly_the_agreed_keys() {
    let app = TestApp::spawn().await;
    let done = import(&app, SAMPLE_XLSX).await.unwrap();
    for username in ["committee", "leader"] {
        let client = app.signed_in(username).await;
        for path in [
            "/api/v1/survey/summary".to_string(),
            format!("/api/v1/survey/summary?survey={}", done.survey_id),
        ] {
            let response = client.get(&path).await;
            assert_eq!(response.status(), 200, "{username} {path}");
            let json: serde_json::Value = response.json().await.unwrap();
            let keys: Vec<&str> = json
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            let mut expected = KEYS.to_vec();
            expected.sort();
            let mut keys = keys;
            keys.sort();
            assert_eq!(keys, expected);
            assert_eq!(json["as_of"], "2018-06-01");
            assert_eq!(json["members"], 1779);
            assert_eq!(json["eligible_without_organization"], 12);
        }
    }
    for (username, status) in [("secretary", 403), ("secretary2", 403), ("admin", 403)] {
        let client = app.signed_in(username).await;
        assert_eq!(
            client.get("/api/v1/survey/summary").await.status(),
            status,
            "{username}"
        );
    }
    assert_eq!(
        app.client().get("/api/v1/survey/summary").await.status(),
        401
    );
    let committee = app.signed_in("committee").await;
    assert_eq!(
        committee
            .get("/api/v1/survey/summary?survey=999999")
            .await
            .status(),
        404
    );
    assert_eq!(
        committee
            .get("/api/v1/survey/summary?survey=abc")
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn with_no_round_the_dashboard_says_so_and_the_api_answers_404() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let (status, body) = committee.get_text("/dashboard").await;
    assert_eq!(status, 200);
    assert!(body.contains("尚无摸排数据"));
    assert_eq!(committee.get("/api/v1/survey/summary").await.status(), 404);
}

fn figure(body: &str, key: &str) -> String {
    let start = body
        .find(&format!("data-key=\"{key}\""))
        .unwrap_or_else(|| panic!("{key}"));
    let value = &body[start..];
    let open = value.find("figure-value\">").unwrap() + "figure-value\">".len();
    value[open..open + value[open..].find('<').unwrap()].to_string()
}

#[tokio::test]
async fn the_dashboard_shows_each_figure_the_ratios_and_the_days_to_the_deadline() {
    let app = TestApp::spawn().await;
    let done = import(&app, SAMPLE_XLSX).await.unwrap();
    let leader = app.signed_in("leader").await;
    let (status, body) = leader.get_text("/dashboard").await;
    assert_eq!(status, 200);
    for (key, _, value) in done.summary.figures() {
        assert_eq!(figure(&body, key), value.to_string(), "{key}");
    }
    assert_eq!(figure(&body, "member_ratio"), "14.5%");
    assert!(
        !body.contains("data-testid=\"deadline\""),
        "no deadline set"
    );

    let today = app.clock.today();
    sqlx::query("update survey set formation_deadline = $1")
        .bind(today + chrono::Days::new(10))
        .execute(&app.db)
        .await
        .unwrap();
    let (_, body) = leader.get_text("/dashboard").await;
    assert!(body.contains("还有 <strong>10</strong> 天"));
    app.clock.advance(chrono::Duration::days(13));
    let leader = app.signed_in("leader").await;
    let (_, body) = leader
        .get_text(&format!("/dashboard?survey={}", done.survey_id))
        .await;
    assert!(body.contains("已过 <strong>3</strong> 天"));
    assert_eq!(leader.get("/dashboard?survey=424242").await.status(), 404);
}

//! The JSON API's contract: the keys of every endpoint's answer (DESIGN.md §6), pinned here
//! so that renaming a field of a response struct fails a test instead of a client.

use serde_json::Value;

use crate::helpers::TestApp;
use crate::survey::import;
use crate::workbooks::SAMPLE_XLSX;

/// The sample survey, the demo rosters and one draft application: something in every list.
async fn populated() -> TestApp {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let state = tuanjian::state::AppState::new(
        app.db.clone(),
        app.clock.clone(),
        tuanjian::config::Settings::local(),
        crate::helpers::test_keys(),
    );
    tuanjian::demo::roster(&state).await.unwrap();
    let unit = app.unit_id(tuanjian::demo::SECRETARY2_UNIT).await;
    let response = app
        .signed_in("secretary2")
        .await
        .post_form(
            "/applications",
            &[
                ("unit", &unit.to_string()),
                ("proposed_name", "生态环境局团支部"),
                ("proposed_kind", "团支部"),
                ("member_count", "9"),
                ("youth_count", "37"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303, "drafting an application");
    app
}

fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .unwrap_or_else(|| panic!("an object: {value}"))
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

fn sorted(expected: &[&str]) -> Vec<String> {
    let mut keys: Vec<String> = expected.iter().map(|k| k.to_string()).collect();
    keys.sort();
    keys
}

const UNIT: [&str; 8] = [
    "id",
    "name",
    "kind",
    "status",
    "credit_code",
    "youth",
    "members",
    "has_organization",
];
const SURVEY: [&str; 9] = [
    "id",
    "title",
    "as_of",
    "opens_on",
    "closes_on",
    "formation_deadline",
    "locked",
    "entries",
    "reported",
];
const ORGANIZATION: [&str; 10] = [
    "id",
    "parent_id",
    "kind",
    "name",
    "unit_id",
    "members",
    "secretary",
    "established_on",
    "approval_number",
    "term_ends_on",
];
const APPLICATION: [&str; 11] = [
    "id",
    "unit_id",
    "unit_name",
    "state",
    "proposed_name",
    "proposed_kind",
    "member_count",
    "youth_count",
    "submitted_at",
    "approval_number",
    "approved_on",
];
const REMINDER: [&str; 8] = [
    "unit_id",
    "name",
    "kind",
    "members",
    "youth",
    "reminders",
    "last_reminded",
    "formation_deadline",
];
const MEMBER: [&str; 11] = [
    "id",
    "organization_id",
    "name",
    "sex",
    "ethnicity",
    "resident_id",
    "phone",
    "joined_on",
    "league_post",
    "state",
    "erased_at",
];
const SUMMARY: [&str; 12] = [
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
async fn every_list_answers_items_with_the_documented_keys_and_a_cursor() {
    let app = populated().await;
    let committee = app.signed_in("committee").await;
    let lists: [(&str, &[&str]); 6] = [
        ("/api/v1/units", &UNIT),
        ("/api/v1/surveys", &SURVEY),
        ("/api/v1/organizations", &ORGANIZATION),
        ("/api/v1/applications", &APPLICATION),
        ("/api/v1/reminders", &REMINDER),
        ("/api/v1/members", &MEMBER),
    ];
    for (path, expected) in lists {
        let response = committee.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let page: Value = response.json().await.unwrap();
        assert_eq!(keys(&page), ["items", "next"], "{path}");
        assert!(page["next"].is_null() || page["next"].is_string(), "{path}");
        let items = page["items"].as_array().unwrap();
        assert!(!items.is_empty(), "{path} has something to show");
        for item in items {
            assert_eq!(keys(item), sorted(expected), "{path}");
        }
    }
}

#[tokio::test]
async fn single_answers_and_errors_keep_their_keys() {
    let app = populated().await;
    let committee = app.signed_in("committee").await;
    let unit = app.unit_id(tuanjian::demo::SECRETARY2_UNIT).await;
    let one: Value = committee
        .get(&format!("/api/v1/units/{unit}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        keys(&one),
        sorted(&["id", "name", "kind", "status", "credit_code"])
    );
    let summary: Value = committee
        .get("/api/v1/survey/summary")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(keys(&summary), sorted(&SUMMARY));
    let secretary = app.signed_in("secretary").await;
    let me: Value = secretary.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(keys(&me), sorted(&["username", "display_name", "roles"]));
    assert_eq!(me["roles"][0]["role"], "secretary");
    assert_eq!(keys(&me["roles"][0]), sorted(&["role", "unit_id"]));

    let response = committee.get("/api/v1/applications?state=bogus").await;
    assert_eq!(response.status(), 400);
    let error: Value = response.json().await.unwrap();
    assert_eq!(keys(&error), ["error"]);
    let response = committee.get("/api/v1/nowhere").await;
    assert_eq!(response.status(), 404);
    assert_eq!(keys(&response.json::<Value>().await.unwrap()), ["error"]);
}

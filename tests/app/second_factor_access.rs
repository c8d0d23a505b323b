//! The access matrix in the second factor's states: a half-signed-in session (the right
//! password, no code yet) reaches only the code form and signing out; an account that must
//! enrol reaches only enrolment and signing out; an enrolled account, fully signed in,
//! reaches what its role may, as in `access.rs`.

use tuanjian::config::Settings;
use tuanjian::domain::role::Role;

use crate::access::{fill, get_routes, post_routes};
use crate::helpers::{TestApp, csrf_in};
use crate::second_factor::{code_now, enrol, give_code, next_step, password_only};

const ROLES: [&str; 5] = ["committee", "leader", "secretary", "secretary2", "admin"];

/// Fields that would change something if a refused request got through.
const FIELDS: [(&str, &str); 3] = [
    ("role", "admin"),
    ("new_password", "another-long-password"),
    ("current_password", crate::helpers::PASSWORD),
];

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_half_signed_in_session_reaches_only_the_code_form_and_signing_out() {
    let app = TestApp::spawn().await;
    for username in ROLES {
        enrol(&app, &app.signed_in(username).await).await;
        let half = password_only(&app, username).await;
        for (route, _) in get_routes() {
            let path = fill(&app, route).await;
            let response = half.get(&path).await;
            let status = response.status().as_u16();
            if route == "/login/code" {
                assert_eq!(status, 200, "{username} GET {path}");
            } else if path.starts_with("/api/") {
                assert_eq!(status, 401, "{username} GET {path}");
            } else {
                assert_eq!(status, 303, "{username} GET {path}");
                assert_eq!(location(&response), "/login/code", "{username} GET {path}");
            }
        }
        let (_, form) = half.get_text("/login/code").await;
        let token = csrf_in(&form).expect("the code form's token");
        for (route, _) in post_routes() {
            if route == "/login/code" || route == "/logout" {
                continue;
            }
            let path = fill(&app, route).await;
            let mut fields = FIELDS.to_vec();
            fields.push(("csrf_token", &token));
            let response = half.post_raw(&path, &fields).await;
            let status = response.status().as_u16();
            if path.starts_with("/api/") {
                assert_eq!(status, 401, "{username} POST {path}");
            } else {
                assert_eq!(status, 303, "{username} POST {path}");
                assert_eq!(location(&response), "/login/code", "{username} POST {path}");
            }
        }
        // Signing out ends the waiting session.
        let response = half.post_raw("/logout", &[("csrf_token", &token)]).await;
        assert_eq!(response.status(), 303, "{username} signs out");
        assert!(location(&half.get("/login/code").await).starts_with("/login?"));
    }
    // Nothing was changed by the refused requests.
    for action in [
        "account.disabled",
        "account.role_added",
        "account.password_reset",
        "account.password_changed",
        "account.second_factor_disabled",
        "account.second_factor_reset",
        "account.recovery_codes_regenerated",
        "unit.closed",
        "survey.locked",
        "application.approved",
    ] {
        assert_eq!(app.audit_count(action).await, 0, "{action}");
    }
}

#[tokio::test]
async fn an_enrolled_account_signed_in_with_its_code_reaches_what_its_role_may() {
    let app = TestApp::spawn().await;
    for username in ROLES {
        let (secret, _) = enrol(&app, &app.signed_in(username).await).await;
        let client = password_only(&app, username).await;
        assert_eq!(
            give_code(&client, &code_now(&app, &secret)).await.status(),
            303
        );
        next_step(&app);
        for (route, allowed) in get_routes() {
            let path = fill(&app, route).await;
            let response = client.get(&path).await;
            let status = response.status().as_u16();
            if allowed.contains(&username) {
                assert!(
                    status == 200 || status == 303,
                    "{username} GET {path}: {status}"
                );
                let to = location(&response);
                assert!(
                    to != "/login/code"
                        && to != "/account/second-factor"
                        && !to.starts_with("/login?"),
                    "{username} GET {path} → {to}"
                );
            } else {
                assert!(
                    status == 403 || status == 404,
                    "{username} GET {path}: {status}"
                );
            }
        }
    }
}

#[tokio::test]
async fn an_account_that_must_enrol_reaches_only_enrolment_and_signing_out() {
    let mut settings = Settings::local();
    settings.second_factor_required = vec![Role::Admin, Role::Committee, Role::Leader];
    let app = TestApp::spawn_with(settings).await;
    for username in ROLES {
        let client = app.signed_in(username).await;
        let must = !username.starts_with("secretary");
        for (route, allowed) in get_routes() {
            let path = fill(&app, route).await;
            let response = client.get(&path).await;
            let status = response.status().as_u16();
            if !must {
                if allowed.contains(&username) {
                    assert_ne!(
                        location(&response),
                        "/account/second-factor",
                        "{username} GET {path}"
                    );
                }
                continue;
            }
            if route == "/account/second-factor" {
                assert_eq!(status, 200, "{username} GET {path}");
            } else if path.starts_with("/api/") {
                assert_eq!(status, 403, "{username} GET {path}");
            } else {
                assert_eq!(status, 303, "{username} GET {path}");
                assert_eq!(
                    location(&response),
                    "/account/second-factor",
                    "{username} GET {path}"
                );
            }
        }
        if !must {
            continue;
        }
        let (_, page) = client.get_text("/account/second-factor").await;
        let token = csrf_in(&page).expect("the enrolment page's token");
        for (route, _) in post_routes() {
            if route == "/account/second-factor" || route == "/logout" {
                continue;
            }
            let path = fill(&app, route).await;
            let mut fields = FIELDS.to_vec();
            fields.push(("csrf_token", &token));
            let response = client.post_raw(&path, &fields).await;
            let status = response.status().as_u16();
            if path.starts_with("/api/") {
                assert_eq!(status, 403, "{username} POST {path}");
            } else {
                assert_eq!(status, 303, "{username} POST {path}");
                assert_eq!(
                    location(&response),
                    "/account/second-factor",
                    "{username} POST {path}"
                );
            }
        }
    }
    assert_eq!(app.audit_count("account.password_changed").await, 0);
    assert_eq!(app.audit_count("account.role_added").await, 0);
}

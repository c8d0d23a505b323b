//! Signing in and out: success per role, one message for every failure, the lockout and
//! its expiry, the per-address rate limit, and a new session id at each sign-in.

use chrono::Duration;

use crate::helpers::{PASSWORD, TestApp};

const FAILED: &str = "用户名或密码错误";

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tj_session=") && !v.contains("Max-Age=0"))
        .map(|v| v.split(';').next().unwrap().to_string())
}

#[tokio::test]
async fn each_demo_role_signs_in_and_lands_on_its_home() {
    let app = TestApp::spawn().await;
    let expected = [
        ("committee", "/dashboard"),
        ("leader", "/dashboard"),
        ("secretary", "/my-unit"),
        ("secretary2", "/my-unit"),
        ("admin", "/admin/accounts"),
    ];
    for (username, home) in expected {
        let client = app.signed_in(username).await;
        let response = client.get("/").await;
        assert_eq!(response.status(), 303, "{username}");
        assert_eq!(location(&response), home, "{username}");
        let landing = match username {
            "secretary" | "secretary2" => {
                let unit = if username == "secretary" {
                    tuanjian::demo::SECRETARY_UNIT
                } else {
                    tuanjian::demo::SECRETARY2_UNIT
                };
                let to_unit = client.get(home).await;
                let own = format!("/units/{}", app.unit_id(unit).await);
                assert_eq!(location(&to_unit), own, "{username}");
                own
            }
            _ => home.to_string(),
        };
        let (status, body) = client.get_text(&landing).await;
        assert_eq!(status, 200, "{username} at {landing}");
        assert!(body.contains("data-testid=\"current-user\""), "{username}");
    }
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer_and_no_session() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let wrong = client.sign_in("leader", "not-the-password").await;
    assert_eq!(wrong.status(), 401);
    assert!(session_cookie(&wrong).is_none());
    let wrong_body = wrong.text().await.unwrap();
    let unknown = client.sign_in("nobody-here", PASSWORD).await;
    assert_eq!(unknown.status(), 401);
    let unknown_body = unknown.text().await.unwrap();
    assert!(wrong_body.contains(FAILED));
    assert!(unknown_body.contains(FAILED));
    let message = |body: &str| {
        let start = body.find("id=\"login-error\"").unwrap();
        body[start..start + 200].to_string()
    };
    assert_eq!(message(&wrong_body), message(&unknown_body));
    let (status, _) = client.get_text("/dashboard").await;
    assert_eq!(status, 303, "still anonymous");
}

#[tokio::test]
async fn five_failures_lock_the_account_for_fifteen_minutes() {
    let app = TestApp::spawn().await;
    let client = app.client();
    for _ in 0..5 {
        assert_eq!(
            client.sign_in("leader", "wrong-password-1").await.status(),
            401
        );
    }
    assert_eq!(app.audit_count("account.locked").await, 1);

    // Locked: even the right password fails, with the same message.
    let locked = client.sign_in("leader", PASSWORD).await;
    assert_eq!(locked.status(), 401);
    assert!(locked.text().await.unwrap().contains(FAILED));

    app.clock.advance(Duration::minutes(14));
    assert_eq!(client.sign_in("leader", PASSWORD).await.status(), 401);

    app.clock.advance(Duration::minutes(2));
    let after = client.sign_in("leader", PASSWORD).await;
    assert_eq!(after.status(), 303, "the lock has expired");
    let failed: i32 =
        sqlx::query_scalar("select failed_logins from account where username = 'leader'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(failed, 0);
}

#[tokio::test]
async fn four_failures_then_a_success_reset_the_count() {
    let app = TestApp::spawn().await;
    let client = app.client();
    for _ in 0..4 {
        client.sign_in("leader", "wrong-password-1").await;
    }
    assert_eq!(client.sign_in("leader", PASSWORD).await.status(), 303);
    let other = app.client();
    for _ in 0..4 {
        other.sign_in("leader", "wrong-password-1").await;
    }
    assert_eq!(app.audit_count("account.locked").await, 0);
    assert_eq!(other.sign_in("leader", PASSWORD).await.status(), 303);
}

#[tokio::test]
async fn one_address_is_limited_to_twenty_attempts_a_minute() {
    let app = TestApp::spawn().await;
    let client = app.client();
    // Spread over several accounts so that no lock interferes.
    for i in 0..20 {
        let user = ["committee", "leader", "admin", "secretary", "secretary2"][i % 5];
        let status = client.sign_in(user, "wrong-password-x").await.status();
        assert_eq!(status, 401, "attempt {i}");
    }
    let limited = client.sign_in("committee", "wrong-password-x").await;
    assert_eq!(limited.status(), 429);
    assert!(limited.text().await.unwrap().contains("登录尝试过于频繁"));
    // Even the right password is refused while limited.
    assert_eq!(client.sign_in("committee", PASSWORD).await.status(), 429);
    assert!(app.audit_count("login.rate_limited").await >= 2);

    app.clock.advance(Duration::seconds(61));
    assert_eq!(client.sign_in("committee", PASSWORD).await.status(), 303);
}

#[tokio::test]
async fn an_office_signing_in_from_one_address_is_not_limited_by_its_successes() {
    let app = TestApp::spawn().await;
    let client = app.client();
    // More successful sign-ins than the limit, then failures up to just below it.
    for i in 0..21 {
        let user = ["committee", "leader", "admin", "secretary", "secretary2"][i % 5];
        assert_eq!(client.sign_in(user, PASSWORD).await.status(), 303, "{i}");
    }
    for i in 0..19 {
        let user = ["committee", "leader", "admin", "secretary", "secretary2"][i % 5];
        let status = client.sign_in(user, "wrong-password-x").await.status();
        assert_eq!(status, 401, "failure {i}");
    }
    assert_eq!(client.sign_in("leader", PASSWORD).await.status(), 303);
    assert_eq!(app.audit_count("login.rate_limited").await, 0);
}

#[tokio::test]
async fn signing_in_issues_a_new_session_id_and_ends_the_previous_one() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let first = client.sign_in("leader", PASSWORD).await;
    let first_cookie = session_cookie(&first).expect("a session cookie");
    let second = client.sign_in("committee", PASSWORD).await;
    let second_cookie = session_cookie(&second).expect("a session cookie");
    assert_ne!(first_cookie, second_cookie);

    let sessions: i64 = sqlx::query_scalar("select count(*) from session")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(sessions, 1, "the first session was ended");

    // Replaying the first cookie gets nowhere.
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}/dashboard", app.base))
        .header("cookie", first_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 303);
}

#[tokio::test]
async fn signing_out_ends_the_session_for_good() {
    let app = TestApp::spawn().await;
    let client = app.signed_in("committee").await;
    assert_eq!(client.get("/dashboard").await.status(), 200);
    let out = client.post_form("/logout", &[]).await;
    assert_eq!(out.status(), 303);
    assert_eq!(location(&out), "/login");
    let (status, body) = client.follow(out).await;
    assert_eq!(status, 200);
    assert!(body.contains("您已安全退出"));
    let sessions: i64 = sqlx::query_scalar("select count(*) from session")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
    assert_eq!(client.get("/dashboard").await.status(), 303);
}

#[tokio::test]
async fn after_sign_in_the_user_returns_to_the_page_they_asked_for() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let asked = client.get("/admin/audit?action=login").await;
    let login = location(&asked);
    assert_eq!(login, "/login?next=/admin/audit%3Faction%3Dlogin");
    let (_, body) = client.get_text(&login).await;
    assert!(body.contains("value=\"/admin/audit?action=login\""));
    let token = crate::helpers::csrf_in(&body).unwrap();
    let response = client
        .post_raw(
            "/login",
            &[
                ("username", "admin"),
                ("password", PASSWORD),
                ("next", "/admin/audit?action=login"),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(location(&response), "/admin/audit?action=login");

    let evil = app.client();
    let (_, body) = evil.get_text("/login").await;
    let token = crate::helpers::csrf_in(&body).unwrap();
    let response = evil
        .post_raw(
            "/login",
            &[
                ("username", "admin"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(location(&response), "/");
}

#[tokio::test]
async fn a_next_address_that_would_leave_the_site_goes_home_instead() {
    let app = TestApp::spawn().await;
    let leader = app.signed_in("leader").await;
    // Security review F7: browsers drop the tab and follow `//evil.example`; a line break
    // made the Location header fail with a 500.
    for next in [
        "%2F%09%2Fevil.example%2Fagain",
        "%2F%0d%0aSet-Cookie:%20x=1",
        "%2F%5Cevil.example",
        "%2F%2Fevil.example",
    ] {
        let response = leader.get(&format!("/login?next={next}")).await;
        assert_eq!(response.status(), 303, "{next}");
        assert_eq!(location(&response), "/", "{next}");
    }
    let response = leader.get("/login?next=%2Fdashboard").await;
    assert_eq!(location(&response), "/dashboard");
}

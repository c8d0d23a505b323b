//! Session lifetime: 30 minutes idle, 12 hours absolute, ended by password change and by
//! disabling; cookie attributes for loopback and for HTTPS.

use chrono::Duration;
use tuanjian::config::Settings;

use crate::helpers::{PASSWORD, TestApp, csrf_in};

#[tokio::test]
async fn an_idle_session_expires_after_thirty_minutes() {
    let app = TestApp::spawn().await;
    let client = app.signed_in("leader").await;
    app.clock.advance(Duration::minutes(29));
    assert_eq!(client.get("/dashboard").await.status(), 200);
    app.clock.advance(Duration::minutes(31));
    let response = client.get("/dashboard").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/login?next=/dashboard");
    let sessions: i64 = sqlx::query_scalar("select count(*) from session")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(sessions, 0, "the expired session is removed");
}

#[tokio::test]
async fn an_active_session_still_ends_after_twelve_hours() {
    let app = TestApp::spawn().await;
    let client = app.signed_in("leader").await;
    // Active every 25 minutes: never idle for 30.
    for step in 0..28 {
        app.clock.advance(Duration::minutes(25));
        let status = client.get("/dashboard").await.status();
        assert_eq!(status, 200, "after {} minutes", (step + 1) * 25);
    }
    // 28 × 25 min = 11 h 40 min; two more steps pass 12 hours.
    app.clock.advance(Duration::minutes(25));
    assert_eq!(client.get("/dashboard").await.status(), 303);
}

#[tokio::test]
async fn changing_the_password_ends_every_other_session() {
    let app = TestApp::spawn().await;
    let laptop = app.signed_in("committee").await;
    let phone = app.signed_in("committee").await;
    let response = laptop
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a-much-better-secret-42"),
                ("confirm_password", "a-much-better-secret-42"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/");
    let (status, body) = laptop.get_text("/dashboard").await;
    assert_eq!(status, 200, "this browser stays in");
    assert!(body.contains("密码已修改"));
    assert_eq!(
        phone.get("/dashboard").await.status(),
        303,
        "the other is signed out"
    );
    assert_eq!(
        app.client().sign_in("committee", PASSWORD).await.status(),
        401
    );
    assert_eq!(
        app.client()
            .sign_in("committee", "a-much-better-secret-42")
            .await
            .status(),
        303
    );
}

#[tokio::test]
async fn a_weak_or_mistyped_new_password_is_refused_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let client = app.signed_in("committee").await;
    let cases = [
        (PASSWORD, "short-pw", "short-pw", "至少需要12个字符"),
        (PASSWORD, "qwerty123456", "qwerty123456", "过于常见"),
        (
            PASSWORD,
            "committee-2018-pw",
            "committee-2018-pw",
            "不能包含用户名",
        ),
        (
            PASSWORD,
            "a-much-better-secret-42",
            "a-much-better-secret-43",
            "不一致",
        ),
        (
            "wrong-current-pw",
            "a-much-better-secret-42",
            "a-much-better-secret-42",
            "当前密码不正确",
        ),
    ];
    for (current, new, confirm, message) in cases {
        let response = client
            .post_form(
                "/account/password",
                &[
                    ("current_password", current),
                    ("new_password", new),
                    ("confirm_password", confirm),
                ],
            )
            .await;
        assert_eq!(response.status(), 422, "{new}");
        assert!(
            response.text().await.unwrap().contains(message),
            "{message}"
        );
    }
    assert_eq!(app.audit_count("account.password_changed").await, 0);
    assert_eq!(
        app.client().sign_in("committee", PASSWORD).await.status(),
        303
    );
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions() {
    let app = TestApp::spawn().await;
    let secretary = app.signed_in("secretary").await;
    assert_eq!(secretary.get("/my-unit").await.status(), 303);
    let id = app.account_id("secretary").await;
    let admin = app.signed_in("admin").await;
    let response = admin
        .post_form(&format!("/admin/accounts/{id}/disable"), &[])
        .await;
    assert_eq!(response.status(), 303);
    let after = secretary.get("/my-unit").await;
    assert_eq!(after.headers()["location"], "/login?next=/my-unit");
    assert_eq!(
        app.client().sign_in("secretary", PASSWORD).await.status(),
        401
    );
}

#[tokio::test]
async fn on_loopback_cookies_are_plain_but_http_only_and_lax() {
    let app = TestApp::spawn().await;
    let response = app.client().sign_in("leader", PASSWORD).await;
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("tj_session="));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    assert!(!cookie.contains("Secure"));
}

#[tokio::test]
async fn behind_https_cookies_are_host_prefixed_and_secure() {
    let settings = Settings::for_serving(
        "0.0.0.0:8080".parse().unwrap(),
        Some("https://tuanjian.example.org"),
        false,
    );
    let app = TestApp::spawn_with(settings).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = http
        .get(format!("{}/login", app.base))
        .send()
        .await
        .unwrap();
    let csrf_cookie = page.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(csrf_cookie.starts_with("__Host-tj_csrf="));
    assert!(csrf_cookie.contains("; Secure") && csrf_cookie.contains("Path=/"));
    let hsts = page.headers()["strict-transport-security"]
        .to_str()
        .unwrap();
    assert!(hsts.starts_with("max-age="));
    let token = csrf_in(&page.text().await.unwrap()).unwrap();
    let response = http
        .post(format!("{}/login", app.base))
        .header("cookie", csrf_cookie.split(';').next().unwrap())
        .header("origin", "https://tuanjian.example.org")
        .form(&[
            ("username", "leader"),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("__Host-tj_session="));
    assert!(
        cookie.contains("; Secure")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
    );
}

#[tokio::test]
async fn the_hourly_purge_removes_sessions_nobody_presents_again_and_old_sign_in_attempts() {
    let app = TestApp::spawn().await;
    let _idle = app.signed_in("leader").await;
    app.clock.advance(Duration::minutes(20));
    let active = app.signed_in("committee").await;
    app.clock.advance(Duration::minutes(15));
    let count = |table: &'static str| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(&format!("select count(*) from {table}"))
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    assert_eq!(count("session").await, 2);
    let attempts = count("login_attempt").await;
    assert!(attempts >= 2, "{attempts} attempts recorded");

    let purged = tuanjian::auth::session::purge_expired(&app.db, app.clock.now())
        .await
        .unwrap();
    assert_eq!(purged.sessions, 1, "only the leader's idle session");
    assert_eq!(purged.attempts, 0, "the attempts are minutes old");
    assert_eq!(active.get("/dashboard").await.status(), 200);

    app.clock.advance(Duration::days(2));
    let purged = tuanjian::auth::session::purge_expired(&app.db, app.clock.now())
        .await
        .unwrap();
    assert_eq!((purged.sessions, purged.attempts), (1, attempts as u64));
    assert_eq!(count("session").await, 0);
    assert_eq!(count("login_attempt").await, 0);
}

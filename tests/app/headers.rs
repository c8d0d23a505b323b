//! The security headers on every route, signed in or not, errors included.

use tuanjian::config::Settings;

use crate::access::fill;
use crate::helpers::TestApp;

const PATHS: [&str; 28] = [
    "/",
    "/login",
    "/dashboard",
    "/my-unit",
    "/units/{own}",
    "/account/password",
    "/admin/accounts",
    "/admin/accounts/new",
    "/admin/accounts/{leader}",
    "/admin/audit",
    "/api/v1/me",
    "/healthz",
    "/readyz",
    "/no/such/page",
    "/units",
    "/units/new",
    "/units/{own}/report",
    "/surveys",
    "/surveys/{round}",
    "/surveys/upload",
    "/inbox",
    "/api/v1/units",
    "/applications",
    "/applications/{app}",
    "/reminders",
    "/organizations",
    "/api/v1/applications",
    "/members",
];

fn check(path: &str, response: &reqwest::Response) {
    let h = response.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'"), "{path}");
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{path}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{path}");
    assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
    assert_eq!(h["referrer-policy"], "same-origin", "{path}");
    assert_eq!(h["x-frame-options"], "DENY", "{path}");
    assert!(h.contains_key("x-request-id"), "{path}");
    if !path.starts_with("/static/") {
        assert_eq!(h["cache-control"], "no-store", "{path}");
    }
}

#[tokio::test]
async fn every_route_carries_the_security_headers_for_every_role() {
    let app = TestApp::spawn().await;
    let mut clients = vec![("anonymous", app.client())];
    for user in ["committee", "leader", "secretary", "secretary2", "admin"] {
        clients.push((user, app.signed_in(user).await));
    }
    for (who, client) in &clients {
        for route in PATHS {
            let path = fill(&app, route).await;
            let response = client.get(&path).await;
            check(&format!("{who} {path}"), &response);
            assert!(!response.headers().contains_key("strict-transport-security"));
        }
        let path = fill(&app, "/admin/accounts/{leader}/disable").await;
        let refused = client.post_raw(&path, &[]).await;
        check(&format!("{who} POST {path}"), &refused);
    }
}

#[tokio::test]
async fn static_files_are_served_with_the_headers_and_revalidated() {
    let app = TestApp::spawn().await;
    let client = app.client();
    for path in [
        "/static/css/app.css",
        "/static/js/app.js",
        "/static/vendor/htmx/htmx-2.0.11.min.js",
        "/static/vendor/echarts/echarts-6.1.0.common.min.js",
        "/static/js/charts.js",
    ] {
        let response = client.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        check(path, &response);
        assert_eq!(response.headers()["cache-control"], "no-cache");
        let etag = response.headers()["etag"].clone();
        let again = client
            .http
            .get(client.url(path))
            .header("if-none-match", etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path}");
    }
    assert_eq!(client.get("/static/../Cargo.toml").await.status(), 404);
    assert_eq!(client.get("/static/nothing.js").await.status(), 404);
}

#[tokio::test]
async fn hsts_is_sent_when_served_over_https() {
    let settings = Settings::for_serving(
        "127.0.0.1:8080".parse().unwrap(),
        Some("https://tj.example.org"),
        false,
    );
    let app = TestApp::spawn_with(settings).await;
    let response = app.client().get("/login").await;
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}

#[tokio::test]
async fn static_files_are_served_without_touching_the_session() {
    let app = TestApp::spawn().await;
    let client = app.signed_in("leader").await;
    let before: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("select last_seen_at from session")
            .fetch_one(&app.db)
            .await
            .unwrap();
    app.clock.advance(chrono::Duration::minutes(5));
    assert_eq!(client.get("/static/css/app.css").await.status(), 200);
    let after: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("select last_seen_at from session")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        before, after,
        "a static file neither reads nor touches the session"
    );
    assert_eq!(client.get("/dashboard").await.status(), 200);
    let touched: chrono::DateTime<chrono::Utc> =
        sqlx::query_scalar("select last_seen_at from session")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(touched > before, "a page does");
}

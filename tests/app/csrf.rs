//! CSRF: every state-changing route refuses a request without a valid token or from a
//! foreign origin with 403 and changes nothing; no GET changes state.

use crate::access::fill;
use crate::helpers::{PASSWORD, TestApp};

const STATE_CHANGING: [&str; 37] = [
    "/login",
    "/logout",
    "/account/password",
    "/admin/accounts",
    "/admin/accounts/{leader}/roles",
    "/admin/accounts/{leader}/roles/{grant}/delete",
    "/admin/accounts/{leader}/password",
    "/admin/accounts/{leader}/disable",
    "/admin/accounts/{leader}/enable",
    "/units",
    "/units/{own}",
    "/units/{own}/close",
    "/units/{own}/report",
    "/surveys",
    "/surveys/{round}",
    "/surveys/{round}/lock",
    "/surveys/{round}/remind",
    "/surveys/upload",
    "/inbox/read",
    "/applications",
    "/applications/{app}",
    "/applications/{app}/submit",
    "/applications/{app}/return",
    "/applications/{app}/approve",
    "/applications/{app}/reject",
    "/reminders/remind",
    "/organizations/{org}/term",
    "/organizations/{org}/cadres",
    "/organizations/{org}/units",
    "/organizations/{org}/members",
    "/members/{member}/delete",
    "/members/{member}/transfer",
    "/transfers/{member}",
    "/organizations/{branch}/evaluation",
    "/organizations/{branch}/registration",
    "/organizations/{branch}/members/transfer-in",
    "/awards/{award}/steps",
];

async fn fingerprint(app: &TestApp) -> (i64, i64, i64, String, String) {
    let audit: i64 = sqlx::query_scalar("select count(*) from audit_event")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let sessions: i64 = sqlx::query_scalar("select count(*) from session")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let grants: i64 = sqlx::query_scalar("select count(*) from account_role")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let accounts: String = sqlx::query_scalar(
        "select string_agg(username || disabled::text || password_hash, ',' order by username) from account",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    (
        audit,
        sessions,
        grants,
        accounts,
        crate::survey::fingerprint(app).await,
    )
}

fn hostile_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("username", "admin"),
        ("password", PASSWORD),
        ("display_name", "x"),
        ("role", "admin"),
        ("unit", ""),
        ("current_password", PASSWORD),
        ("new_password", "attacker-chosen-pw-1"),
        ("confirm_password", "attacker-chosen-pw-1"),
    ]
}

/// Someone who may use the route, so that only the token is missing: the token is
/// checked after the role.
fn allowed_user(route: &str) -> &'static str {
    crate::access::post_routes()
        .into_iter()
        .find(|(path, _)| *path == route)
        .map_or("committee", |(_, allowed)| allowed[0])
}

#[tokio::test]
async fn state_changes_without_a_token_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let mut clients = std::collections::HashMap::new();
    for route in STATE_CHANGING {
        let username = allowed_user(route);
        if !clients.contains_key(username) {
            clients.insert(username, app.signed_in(username).await);
        }
    }
    crate::access::fill(&app, "").await;
    let before = fingerprint(&app).await;
    for route in STATE_CHANGING {
        let admin = &clients[allowed_user(route)];
        let path = fill(&app, route).await;
        let response = admin.post_raw(&path, &hostile_fields()).await;
        assert_eq!(response.status(), 403, "POST {path} without a token");
        assert!(response.text().await.unwrap().contains("请求已失效"));

        let mut wrong = hostile_fields();
        wrong.push(("csrf_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        let response = admin.post_raw(&path, &wrong).await;
        assert_eq!(response.status(), 403, "POST {path} with a wrong token");
    }
    assert_eq!(fingerprint(&app).await, before);
}

#[tokio::test]
async fn state_changes_from_a_foreign_origin_are_refused_even_with_the_token() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("committee").await;
    let token = admin.csrf().await;
    crate::access::fill(&app, "").await;
    let before = fingerprint(&app).await;
    for route in STATE_CHANGING {
        let path = fill(&app, route).await;
        let mut fields = hostile_fields();
        fields.push(("csrf_token", &token));
        for (header, value) in [
            ("origin", "http://evil.example"),
            ("sec-fetch-site", "cross-site"),
        ] {
            let response = admin
                .http
                .post(admin.url(&path))
                .header(header, value)
                .form(&fields)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 403, "POST {path} with {header}: {value}");
        }
    }
    assert_eq!(fingerprint(&app).await, before);
}

#[tokio::test]
async fn a_token_is_accepted_in_the_header_as_htmx_sends_it() {
    let app = TestApp::spawn().await;
    let client = app.signed_in("committee").await;
    let token = client.csrf().await;
    let response = client
        .http
        .post(client.url("/logout"))
        .header("x-csrf-token", token)
        .header("origin", &app.base)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(app.audit_count("logout").await, 1);
}

#[tokio::test]
async fn another_sessions_token_does_not_work() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let other = app.signed_in("admin").await;
    let foreign = other.csrf().await;
    assert_ne!(foreign, admin.csrf().await);
    let path = fill(&app, "/admin/accounts/{leader}/disable").await;
    let response = admin.post_raw(&path, &[("csrf_token", &foreign)]).await;
    assert_eq!(response.status(), 403);
    assert_eq!(app.audit_count("account.disabled").await, 0);
}

#[tokio::test]
async fn no_get_changes_state() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    crate::access::fill(&app, "").await;
    let before = fingerprint(&app).await;
    for route in STATE_CHANGING {
        let has_page = [
            "/login",
            "/account/password",
            "/admin/accounts",
            "/units",
            "/units/{own}",
            "/units/{own}/report",
            "/surveys",
            "/surveys/{round}",
            "/surveys/upload",
            "/applications",
            "/applications/{app}",
            "/organizations/{org}/members",
            "/organizations/{branch}/evaluation",
            "/organizations/{branch}/members/transfer-in",
        ];
        if has_page.contains(&route) {
            continue; // these paths also have a page to show
        }
        let path = fill(&app, route).await;
        let status = admin.get(&path).await.status();
        assert_eq!(status, 405, "GET {path}");
    }
    for path in [
        "/login",
        "/account/password",
        "/admin/accounts",
        "/admin/audit",
        "/dashboard",
        "/",
    ] {
        admin.get(path).await;
    }
    assert_eq!(fingerprint(&app).await, before);
}

use futures_util::StreamExt;

/// A request body that sends its first bytes and then never ends.
fn stalled_body() -> reqwest::Body {
    let first = futures_util::stream::once(async {
        Ok::<_, std::io::Error>(bytes_of(
            "--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n",
        ))
    });
    reqwest::Body::wrap_stream(first.chain(futures_util::stream::pending()))
}

fn bytes_of(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

#[tokio::test]
async fn an_upload_from_someone_who_may_not_make_it_is_refused_before_its_body_is_read() {
    let app = TestApp::spawn().await;
    let anonymous = app.client();
    let token = anonymous.csrf().await;
    let leader = app.signed_in("leader").await;
    let leader_token = leader.csrf().await;
    for (client, token, expected) in [(&anonymous, token, 303), (&leader, leader_token, 403)] {
        let request = client
            .http
            .post(client.url("/surveys/upload"))
            .header("content-type", "multipart/form-data; boundary=x")
            .header("x-csrf-token", token)
            .body(stalled_body())
            .send();
        let response = tokio::time::timeout(std::time::Duration::from_secs(10), request)
            .await
            .expect("answered without waiting for the body")
            .unwrap();
        assert_eq!(response.status(), expected);
    }
}

#[tokio::test]
async fn a_multipart_form_is_checked_by_its_first_field_as_it_streams() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let token = committee.csrf().await;
    let file = vec![b'x'; 200 * 1024];
    for (fields, expected) in [
        // Past the check, the upload page answers for the unreadable file itself.
        (vec![("csrf_token", token.as_str())], 200),
        (
            vec![("csrf_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")],
            403,
        ),
        (vec![], 403),
    ] {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name, value.to_string());
        }
        let form = form.part(
            "file",
            reqwest::multipart::Part::bytes(file.clone()).file_name("x.xlsx"),
        );
        let response = committee
            .http
            .post(committee.url("/surveys/upload"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), expected);
    }
}

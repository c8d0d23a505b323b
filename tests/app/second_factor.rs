//! The second factor (TOTP) through the pages: enrolment, the code after the password,
//! replay, recovery codes used once, the lockout, an administrator's reset, the roles that
//! must enrol, and the inputs refused with a Chinese message and nothing written.

use chrono::Duration;
use tuanjian::auth::totp;
use tuanjian::config::Settings;
use tuanjian::domain::role::Role;

use crate::helpers::{Client, PASSWORD, TestApp};

fn between<'a>(page: &'a str, before: &str, after: &str) -> Option<&'a str> {
    let start = page.find(before)? + before.len();
    let end = page[start..].find(after)? + start;
    Some(&page[start..end])
}

/// The secret the enrolment page shows.
pub fn secret_on(page: &str) -> Vec<u8> {
    let text = between(page, "id=\"second-factor-secret\">", "<").expect("the secret shown");
    totp::secret_from_base32(text).expect("a base32 secret")
}

fn sealed_on(page: &str) -> String {
    between(page, "name=\"sealed\" value=\"", "\"")
        .expect("the sealed enrolment")
        .to_string()
}

/// The recovery codes a page lists.
fn codes_on(page: &str) -> Vec<String> {
    let list = between(page, "id=\"recovery-codes\">", "</ol>").expect("the recovery codes");
    list.split("<code>")
        .skip(1)
        .map(|c| c.split("</code>").next().unwrap().to_string())
        .collect()
}

pub fn code_now(app: &TestApp, secret: &[u8]) -> String {
    totp::code_at(secret, totp::step_of(app.clock.now()))
}

/// A code of no step near now.
fn wrong_code(app: &TestApp, secret: &[u8]) -> String {
    totp::code_at(secret, totp::step_of(app.clock.now()) + 40)
}

/// On to the next time step, so that a new code is no replay of the last one.
pub fn next_step(app: &TestApp) {
    app.clock.advance(Duration::seconds(30));
}

/// Enrols the client's account through the page: its secret and recovery codes.
pub async fn enrol(app: &TestApp, client: &Client) -> (Vec<u8>, Vec<String>) {
    let (status, page) = client.get_text("/account/second-factor").await;
    assert_eq!(status, 200);
    let secret = secret_on(&page);
    let code = code_now(app, &secret);
    let response = client
        .post_form(
            "/account/second-factor",
            &[("code", &code), ("sealed", &sealed_on(&page))],
        )
        .await;
    assert_eq!(response.status(), 200, "enrolling");
    client.forget_csrf();
    let codes = codes_on(&response.text().await.unwrap());
    next_step(app);
    (secret, codes)
}

/// A client that gave the right password of an enrolled account: it waits for the code.
pub async fn password_only(app: &TestApp, username: &str) -> Client {
    let client = app.client();
    let response = client.sign_in(username, PASSWORD).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/login/code", "{username}");
    client
}

/// Gives the code form `code`; the session changes when it is right.
pub async fn give_code(client: &Client, code: &str) -> reqwest::Response {
    let response = client.post_form("/login/code", &[("code", code)]).await;
    client.forget_csrf();
    response
}

async fn enrolled_at(app: &TestApp, username: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    sqlx::query_scalar("select totp_enrolled_at from account where username = $1")
        .bind(username)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn count(app: &TestApp, sql: &str, username: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(username)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

const RECOVERY_CODES: &str = "select count(*) from recovery_code join account using (account_id)
                                where username = $1";
const PENDING_SESSIONS: &str = "select count(*) from session join account using (account_id)
                                  where username = $1 and second_factor_pending";

#[tokio::test]
async fn enrolment_asks_a_code_and_shows_ten_recovery_codes_once_and_refuses_bad_input() {
    let app = TestApp::spawn().await;
    let client = app.signed_in("committee").await;
    let other_device = app.signed_in("committee").await;
    let (status, page) = client.get_text("/account/second-factor").await;
    assert_eq!(status, 200);
    assert!(page.contains("src=\"data:image/svg+xml;base64,"));
    let secret = secret_on(&page);
    let sealed = sealed_on(&page);
    let wrong = wrong_code(&app, &secret);
    for (code, message) in [
        ("", totp::EMPTY_MESSAGE),
        ("abcdef", totp::CODE_SHAPE_MESSAGE),
        ("12345", totp::CODE_SHAPE_MESSAGE),
        (wrong.as_str(), "验证码不正确"),
    ] {
        let response = client
            .post_form(
                "/account/second-factor",
                &[("code", code), ("sealed", &sealed)],
            )
            .await;
        assert_eq!(response.status(), 422, "{code:?}");
        let body = response.text().await.unwrap();
        assert!(body.contains(message), "{code:?}: {message}");
        assert_eq!(secret_on(&body), secret, "the same secret offered again");
    }
    // A sealed secret that was not sealed here is refused.
    let code = code_now(&app, &secret);
    let response = client
        .post_form(
            "/account/second-factor",
            &[("code", &code), ("sealed", "1.AAAA")],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("设置已过期"));
    assert_eq!(enrolled_at(&app, "committee").await, None);
    assert_eq!(count(&app, RECOVERY_CODES, "committee").await, 0);
    assert_eq!(app.audit_count("account.second_factor_enrolled").await, 0);

    let response = client
        .post_form(
            "/account/second-factor",
            &[("code", &code), ("sealed", &sealed)],
        )
        .await;
    assert_eq!(response.status(), 200);
    client.forget_csrf();
    let codes = codes_on(&response.text().await.unwrap());
    assert_eq!(codes.len(), 10);
    assert!(
        codes
            .iter()
            .all(|c| c.len() == 19 && c.matches('-').count() == 3)
    );
    let distinct: std::collections::BTreeSet<_> = codes.iter().collect();
    assert_eq!(distinct.len(), 10);
    assert!(enrolled_at(&app, "committee").await.is_some());
    assert_eq!(app.audit_count("account.second_factor_enrolled").await, 1);

    // Stored: the secret encrypted, the codes hashed.
    let base32 = totp::secret_base32(&secret);
    let (cipher, hashes): (Vec<u8>, Vec<String>) = sqlx::query_as(
        "select a.totp_secret_cipher, array_agg(r.code_hash)
           from account a join recovery_code r using (account_id)
          where a.username = 'committee' group by a.account_id",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(!String::from_utf8_lossy(&cipher).contains(&base32));
    assert_eq!(hashes.len(), 10);
    assert!(hashes.iter().all(|h| h.len() == 64 && !codes.contains(h)));

    // Shown once: the page now tells the state, neither the secret nor the codes.
    let (status, page) = client.get_text("/account/second-factor").await;
    assert_eq!(status, 200);
    assert!(page.contains("已启用") && page.contains("10 个"));
    assert!(!page.contains(&base32[..8]) && !page.contains(&codes[0]));
    // The sessions opened by the password alone were ended.
    assert_eq!(other_device.get("/dashboard").await.status(), 303);
    assert_eq!(client.get("/dashboard").await.status(), 200);
}

#[tokio::test]
async fn after_the_password_only_the_code_signs_in_and_renews_the_session() {
    let app = TestApp::spawn().await;
    let (secret, _) = enrol(&app, &app.signed_in("committee").await).await;
    let successes = app.audit_count("login.success").await;

    let client = password_only(&app, "committee").await;
    assert_eq!(app.audit_count("login.success").await, successes);
    let waiting: String = sqlx::query_scalar(
        "select session_hash from session join account using (account_id)
          where username = 'committee' and second_factor_pending",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let response = client.get("/dashboard").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/login/code");
    assert_eq!(client.get("/api/v1/me").await.status(), 401);
    let (status, page) = client.get_text("/login/code?next=/members").await;
    assert_eq!(status, 200);
    assert!(page.contains("value=\"/members\"") && page.contains("验证码"));
    assert!(!page.contains("工作台"), "no menu before the code");

    let response = client
        .post_form(
            "/login/code",
            &[("code", &code_now(&app, &secret)), ("next", "/members")],
        )
        .await;
    client.forget_csrf();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/members");
    assert_eq!(client.get("/dashboard").await.status(), 200);
    assert_eq!(count(&app, PENDING_SESSIONS, "committee").await, 0);
    let still: i64 = sqlx::query_scalar("select count(*) from session where session_hash = $1")
        .bind(&waiting)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(still, 0, "the waiting session's token no longer works");
    let method: String = sqlx::query_scalar(
        "select after->>'second_factor' from audit_event where action = 'login.success'
          order by audit_event_id desc limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(method, "totp");
    // Signed in, the code form has nothing to ask.
    let response = client.get("/login/code").await;
    assert_eq!(response.headers()["location"], "/");
}

#[tokio::test]
async fn a_session_waits_five_minutes_for_its_code_and_no_longer() {
    let app = TestApp::spawn().await;
    let (secret, _) = enrol(&app, &app.signed_in("committee").await).await;
    let client = password_only(&app, "committee").await;
    app.clock.advance(Duration::seconds(4 * 60 + 50));
    let (status, page) = client.get_text("/login/code").await;
    assert_eq!(status, 200, "still within five minutes");
    assert!(page.contains("验证码"));
    app.clock.advance(Duration::seconds(20));
    let response = client.get("/login/code").await;
    assert_eq!(
        response.status(),
        303,
        "over five minutes: the session is gone"
    );
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login"),
        "{:?}",
        response.headers()["location"]
    );
    assert_ne!(response.headers()["location"], "/login/code");
    assert_eq!(count(&app, PENDING_SESSIONS, "committee").await, 0);
    let late = give_code(&client, &code_now(&app, &secret)).await;
    assert_ne!(late.status(), 200);
    assert_eq!(
        client.get("/dashboard").await.status(),
        303,
        "not signed in"
    );
}

#[tokio::test]
async fn a_code_once_used_is_refused_and_the_next_ones_work() {
    let app = TestApp::spawn().await;
    let (secret, _) = enrol(&app, &app.signed_in("leader").await).await;
    let code = code_now(&app, &secret);
    let first = password_only(&app, "leader").await;
    assert_eq!(give_code(&first, &code).await.status(), 303);

    let second = password_only(&app, "leader").await;
    let response = give_code(&second, &code).await;
    assert_eq!(response.status(), 401);
    assert!(response.text().await.unwrap().contains("该验证码已使用过"));
    let replays: i64 = sqlx::query_scalar(
        "select count(*) from audit_event
          where action = 'login.failure' and after->>'reason' = 'replayed code'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(replays, 1);
    // Nor is the code of the step before, within the drift.
    next_step(&app);
    let response = give_code(&second, &code).await;
    assert_eq!(response.status(), 401);
    assert_eq!(
        give_code(&second, &code_now(&app, &secret)).await.status(),
        303
    );
}

#[tokio::test]
async fn a_recovery_code_signs_in_once() {
    let app = TestApp::spawn().await;
    let (_, codes) = enrol(&app, &app.signed_in("admin").await).await;
    let first = password_only(&app, "admin").await;
    let typed = codes[0].to_uppercase().replace('-', " ");
    assert_eq!(give_code(&first, &typed).await.status(), 303);
    assert_eq!(first.get("/admin/accounts").await.status(), 200);
    assert_eq!(app.audit_count("account.recovery_code_used").await, 1);

    let second = password_only(&app, "admin").await;
    let response = give_code(&second, &codes[0]).await;
    assert_eq!(response.status(), 401);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("恢复码不正确或已使用过")
    );
    assert_eq!(give_code(&second, &codes[1]).await.status(), 303);
    let used: i64 =
        sqlx::query_scalar("select count(*) from recovery_code where used_at is not null")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(used, 2);
}

#[tokio::test]
async fn five_wrong_codes_lock_the_account_even_across_password_sign_ins() {
    let app = TestApp::spawn().await;
    let (secret, _) = enrol(&app, &app.signed_in("committee").await).await;
    let wrong = wrong_code(&app, &secret);
    let first = password_only(&app, "committee").await;
    for _ in 0..3 {
        let response = give_code(&first, &wrong).await;
        assert_eq!(response.status(), 401);
        assert!(response.text().await.unwrap().contains("验证码不正确"));
    }
    // The right password again does not wipe the count.
    let second = password_only(&app, "committee").await;
    assert_eq!(give_code(&second, &wrong).await.status(), 401);
    let response = give_code(&second, &wrong).await;
    assert_eq!(response.status(), 303);
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );
    assert_eq!(app.audit_count("account.locked").await, 1);
    let failures: i64 = sqlx::query_scalar(
        "select count(*) from audit_event
          where action = 'login.failure' and after->>'reason' = 'wrong code'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(failures, 5);
    // The session ended; the right code no longer helps, nor the right password.
    let response = second.get("/login/code").await;
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login?")
    );
    let (status, body) = {
        let client = app.client();
        let response = client.sign_in("committee", PASSWORD).await;
        (response.status(), response.text().await.unwrap())
    };
    assert_eq!(status, 401);
    assert!(body.contains("账户已锁定"), "{body}");
}

#[tokio::test]
async fn the_code_form_refuses_what_is_not_a_code_and_counts_nothing() {
    let app = TestApp::spawn().await;
    enrol(&app, &app.signed_in("secretary").await).await;
    let client = password_only(&app, "secretary").await;
    let failures = app.audit_count("login.failure").await;
    for (typed, message) in [
        ("", totp::EMPTY_MESSAGE),
        ("   ", totp::EMPTY_MESSAGE),
        ("abcdef", totp::ENTRY_SHAPE_MESSAGE),
        ("12345", totp::CODE_SHAPE_MESSAGE),
        ("１２３４５６", totp::ENTRY_SHAPE_MESSAGE),
    ] {
        let response = give_code(&client, typed).await;
        assert_eq!(response.status(), 422, "{typed:?}");
        let body = response.text().await.unwrap();
        assert!(body.contains(message), "{typed:?}");
    }
    assert_eq!(app.audit_count("login.failure").await, failures);
    assert_eq!(
        count(
            &app,
            "select failed_logins::bigint from account where username = $1",
            "secretary"
        )
        .await,
        0
    );
    assert_eq!(count(&app, PENDING_SESSIONS, "secretary").await, 1);
    assert_eq!(client.get("/my-unit").await.status(), 303);
}

#[tokio::test]
async fn an_administrator_resets_a_second_factor_and_ends_the_persons_sessions() {
    let app = TestApp::spawn().await;
    let leader = app.signed_in("leader").await;
    enrol(&app, &leader).await;
    let id = app.account_id("leader").await;
    let admin = app.signed_in("admin").await;
    let page = format!("/admin/accounts/{id}");
    let (_, body) = admin.get_text(&page).await;
    assert!(body.contains("已启用") && body.contains("重置两步验证"));

    let reset = format!("/admin/accounts/{id}/second-factor/reset");
    let response = admin.post_form(&reset, &[]).await;
    assert_eq!(response.status(), 303);
    let (_, body) = admin.follow(response).await;
    assert!(body.contains("两步验证已重置"));
    assert!(body.contains("未启用"));
    assert_eq!(app.audit_count("account.second_factor_reset").await, 1);
    assert_eq!(count(&app, RECOVERY_CODES, "leader").await, 0);
    assert_eq!(enrolled_at(&app, "leader").await, None);
    assert_eq!(leader.get("/dashboard").await.status(), 303, "signed out");

    // The password alone signs in again.
    let response = app.client().sign_in("leader", PASSWORD).await;
    assert_eq!(response.headers()["location"], "/");
    // Nothing left to reset.
    let response = admin.post_form(&reset, &[]).await;
    let (_, body) = admin.follow(response).await;
    assert!(body.contains("该账户未启用两步验证"));
    assert_eq!(app.audit_count("account.second_factor_reset").await, 1);
}

fn requiring(roles: &[Role]) -> Settings {
    let mut settings = Settings::local();
    settings.second_factor_required = roles.to_vec();
    settings
}

#[tokio::test]
async fn a_role_that_must_use_a_second_factor_reaches_nothing_before_enrolling() {
    let app = TestApp::spawn_with(requiring(&[Role::Admin, Role::Committee, Role::Leader])).await;
    let committee = app.signed_in("committee").await;
    let response = committee.get("/dashboard").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/account/second-factor");
    let response = committee.get("/api/v1/me").await;
    assert_eq!(response.status(), 403);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("两步验证"));
    let (status, page) = committee.get_text("/account/second-factor").await;
    assert_eq!(status, 200);
    assert!(page.contains("您的角色须启用两步验证"));
    let response = committee
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "another-long-password"),
                ("confirm_password", "another-long-password"),
            ],
        )
        .await;
    assert_eq!(response.headers()["location"], "/account/second-factor");
    assert_eq!(app.audit_count("account.password_changed").await, 0);

    // A secretary may choose.
    let secretary = app.signed_in("secretary").await;
    assert_eq!(secretary.get("/inbox").await.status(), 200);

    let (secret, _) = enrol(&app, &committee).await;
    assert_eq!(committee.get("/dashboard").await.status(), 200);
    // Turning it off sends them straight back to enrolment.
    let response = committee
        .post_form(
            "/account/second-factor/disable",
            &[("current_password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        committee.get("/dashboard").await.headers()["location"],
        "/account/second-factor"
    );
    assert!(!secret.is_empty());
}

#[tokio::test]
async fn new_recovery_codes_need_a_code_and_turning_off_needs_the_password() {
    let app = TestApp::spawn().await;
    let client = app.signed_in("secretary").await;
    let (secret, old_codes) = enrol(&app, &client).await;
    for (typed, message) in [
        ("", totp::EMPTY_MESSAGE),
        ("abc", totp::CODE_SHAPE_MESSAGE),
        (wrong_code(&app, &secret).as_str(), "验证码不正确"),
    ] {
        let response = client
            .post_form("/account/second-factor/recovery-codes", &[("code", typed)])
            .await;
        assert_eq!(response.status(), 422, "{typed:?}");
        assert!(
            response.text().await.unwrap().contains(message),
            "{typed:?}"
        );
    }
    assert_eq!(
        app.audit_count("account.recovery_codes_regenerated").await,
        0
    );
    let response = client
        .post_form(
            "/account/second-factor/recovery-codes",
            &[("code", &code_now(&app, &secret))],
        )
        .await;
    assert_eq!(response.status(), 200);
    let new_codes = codes_on(&response.text().await.unwrap());
    assert_eq!(new_codes.len(), 10);
    assert_eq!(
        app.audit_count("account.recovery_codes_regenerated").await,
        1
    );
    let other = password_only(&app, "secretary").await;
    assert_eq!(give_code(&other, &old_codes[0]).await.status(), 401);
    assert_eq!(give_code(&other, &new_codes[0]).await.status(), 303);

    for (typed, message) in [
        ("", "请输入当前密码"),
        ("wrong-password-1", "当前密码不正确"),
    ] {
        let response = client
            .post_form(
                "/account/second-factor/disable",
                &[("current_password", typed)],
            )
            .await;
        assert_eq!(response.status(), 422);
        assert!(response.text().await.unwrap().contains(message));
    }
    assert!(enrolled_at(&app, "secretary").await.is_some());
    let response = client
        .post_form(
            "/account/second-factor/disable",
            &[("current_password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.audit_count("account.second_factor_disabled").await, 1);
    assert_eq!(count(&app, RECOVERY_CODES, "secretary").await, 0);
    let response = app.client().sign_in("secretary", PASSWORD).await;
    assert_eq!(response.headers()["location"], "/");
}

#[tokio::test]
async fn rotating_the_keys_re_encrypts_the_secrets() {
    let app = TestApp::spawn().await;
    let (secret, _) = enrol(&app, &app.signed_in("leader").await).await;
    let (text, version) = tuanjian::crypto::Keys::add_version(crate::helpers::TEST_KEYS).unwrap();
    let keys = tuanjian::crypto::Keys::parse(&text).unwrap();
    let reencrypt = || tuanjian::db::second_factor::reencrypt(&app.db, &keys);
    assert_eq!(reencrypt().await.unwrap(), 1);
    assert_eq!(reencrypt().await.unwrap(), 0);
    let id = tuanjian::domain::ids::AccountId(app.account_id("leader").await);
    let stored = tuanjian::db::second_factor::get(&app.db, id).await.unwrap();
    assert_eq!(stored.secret_version, Some(version));
    let text = keys
        .decrypt(version, &stored.secret_cipher.unwrap())
        .unwrap();
    assert_eq!(totp::secret_from_base32(&text).unwrap(), secret);
}

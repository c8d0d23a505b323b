//! Accounts after an administrator steps in (issue 14 item 10): a password an administrator
//! set is changed at the next sign-in before anything else, an administrator unlocks a
//! locked account (audited), and only whoever gives the right password learns that the
//! account is locked and until when, in the zone's local time.

use chrono::{TimeZone, Utc};

use crate::helpers::{Client, PASSWORD, TestApp};

const RESET: &str = "reset-by-admin-2018";
const OWN: &str = "spring-river-own-2018";

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

/// The text of the sign-in page's message.
fn login_error(body: &str) -> String {
    let start = body.find("id=\"login-error\">").expect("a sign-in message") + 17;
    body[start..start + body[start..].find('<').unwrap()].to_string()
}

async fn must_change(app: &TestApp, username: &str) -> bool {
    sqlx::query_scalar("select must_change_password from account where username = $1")
        .bind(username)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn lock(client: &Client) {
    for _ in 0..5 {
        let response = client.sign_in("leader", "wrong-password-1").await;
        assert_eq!(response.status(), 401);
    }
}

#[tokio::test]
async fn a_password_an_admin_set_must_be_changed_before_any_other_page() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let leader_id = app.account_id("leader").await;
    let response = admin
        .post_form(
            &format!("/admin/accounts/{leader_id}/password"),
            &[("new_password", RESET)],
        )
        .await;
    let (_, body) = admin.follow(response).await;
    assert!(body.contains("本人下次登录时须修改密码"), "{body}");
    assert!(must_change(&app, "leader").await);

    // The sign-in leads to the password form, whatever page was asked for.
    let leader = app.client();
    let (_, login) = leader.get_text("/login?next=/dashboard").await;
    assert!(login.contains("value=\"/dashboard\""));
    let response = leader.sign_in("leader", RESET).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/account/password");
    let (status, body) = leader.get_text("/account/password").await;
    assert_eq!(status, 200);
    assert!(body.contains("请先修改密码"), "{body}");

    // Every other page, form and API answer sends the user back there.
    for path in ["/", "/dashboard", "/surveys", "/inbox", "/admin/accounts"] {
        let response = leader.get(path).await;
        assert_eq!(response.status(), 303, "{path}");
        assert_eq!(location(&response), "/account/password", "{path}");
    }
    let response = leader.post_form("/inbox/read", &[]).await;
    assert_eq!(location(&response), "/account/password");
    let response = leader.get("/api/v1/me").await;
    assert_eq!(response.status(), 403);
    let json: serde_json::Value = response.json().await.unwrap();
    assert!(json["error"].as_str().unwrap().contains("修改密码"));
    assert_eq!(leader.get("/static/css/app.css").await.status(), 200);
    assert_eq!(leader.get("/healthz").await.status(), 200);

    // Keeping the administrator's password is not a change.
    let response = leader
        .post_form(
            "/account/password",
            &[
                ("current_password", RESET),
                ("new_password", RESET),
                ("confirm_password", RESET),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(leader.get("/dashboard").await.status(), 303);

    let response = leader
        .post_form(
            "/account/password",
            &[
                ("current_password", RESET),
                ("new_password", OWN),
                ("confirm_password", OWN),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert!(!must_change(&app, "leader").await);
    assert_eq!(leader.get("/dashboard").await.status(), 200);
    assert_eq!(leader.get("/api/v1/me").await.status(), 200);

    // The next sign-in goes where it was asked to.
    let again = app.client();
    let response = again.sign_in("leader", OWN).await;
    assert_eq!(location(&response), "/");
    assert_eq!(again.get("/dashboard").await.status(), 200);
}

#[tokio::test]
async fn signing_out_stays_possible_before_the_password_is_changed() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let leader_id = app.account_id("leader").await;
    admin
        .post_form(
            &format!("/admin/accounts/{leader_id}/password"),
            &[("new_password", RESET)],
        )
        .await;
    let leader = app.client();
    assert_eq!(leader.sign_in("leader", RESET).await.status(), 303);
    let response = leader.post_form("/logout", &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/login");
    assert_eq!(app.audit_count("logout").await, 1);
    assert!(must_change(&app, "leader").await, "still to be changed");
}

#[tokio::test]
async fn an_admin_unlocks_a_locked_account_and_the_unlock_is_audited() {
    let app = TestApp::spawn().await;
    lock(&app.client()).await;
    let leader_id = app.account_id("leader").await;
    let admin = app.signed_in("admin").await;
    let (_, page) = admin
        .get_text(&format!("/admin/accounts/{leader_id}"))
        .await;
    assert!(page.contains("解除锁定"));
    assert!(page.contains(&format!(
        "action=\"/admin/accounts/{leader_id}/unlock\" data-confirm=\"确定解除账户 leader 的锁定吗？"
    )));

    let response = admin
        .post_form(&format!("/admin/accounts/{leader_id}/unlock"), &[])
        .await;
    assert_eq!(response.status(), 303);
    let (_, body) = admin.follow(response).await;
    assert!(body.contains("账户已解除锁定。"), "{body}");
    assert!(!body.contains("id=\"unlock\""), "no button once unlocked");
    let (locked_until, failed): (Option<chrono::DateTime<Utc>>, i32) =
        sqlx::query_as("select locked_until, failed_logins from account where account_id = $1")
            .bind(leader_id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((locked_until, failed), (None, 0));
    assert_eq!(app.audit_count("account.unlocked").await, 1);
    let (actor, before): (String, serde_json::Value) = sqlx::query_as(
        "select username, before from audit_event where action = 'account.unlocked'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(actor, "admin");
    assert!(before["locked_until"].is_string(), "{before}");
    assert_eq!(app.client().sign_in("leader", PASSWORD).await.status(), 303);

    // An account that is not locked has nothing to unlock: nothing is written.
    let response = admin
        .post_form(&format!("/admin/accounts/{leader_id}/unlock"), &[])
        .await;
    let (_, body) = admin.follow(response).await;
    assert!(body.contains("该账户未被锁定"));
    assert_eq!(app.audit_count("account.unlocked").await, 1);
    let response = admin.post_form("/admin/accounts/999999/unlock", &[]).await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn only_the_right_password_learns_that_the_account_is_locked_and_until_when() {
    let app = TestApp::spawn().await;
    // 14:00 in Beijing is 06:00 UTC: the lock ends at 14:15 local time.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 30, 6, 0, 0).unwrap());
    let client = app.client();
    lock(&client).await;

    let right = client.sign_in("leader", PASSWORD).await;
    assert_eq!(right.status(), 401, "still refused");
    let told = login_error(&right.text().await.unwrap());
    assert!(
        told.contains("账户已锁定，至 14:15（北京时间）后可再次登录"),
        "{told}"
    );
    assert!(!told.contains("06:15"), "{told}");

    // A guesser on the locked account gets what any wrong password gets.
    let wrong = client.sign_in("leader", "still-guessing-1").await;
    assert_eq!(wrong.status(), 401);
    let guessed = login_error(&wrong.text().await.unwrap());
    let unknown = client.sign_in("nobody-here", "still-guessing-1").await;
    assert_eq!(guessed, login_error(&unknown.text().await.unwrap()));
    assert!(!guessed.contains("已锁定") && !guessed.contains("14:15"));

    // A disabled account says nothing about its lock either.
    sqlx::query("update account set disabled = true where username = 'leader'")
        .execute(&app.db)
        .await
        .unwrap();
    let disabled = client.sign_in("leader", PASSWORD).await;
    assert_eq!(login_error(&disabled.text().await.unwrap()), guessed);
}

#[tokio::test]
async fn a_lock_ending_after_midnight_is_shown_with_its_local_date() {
    let app = TestApp::spawn().await;
    // 23:50 in Beijing on 30 November: the lock ends at 00:05 on 1 December.
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 30, 15, 50, 0).unwrap());
    let client = app.client();
    lock(&client).await;
    let right = client.sign_in("leader", PASSWORD).await;
    let told = login_error(&right.text().await.unwrap());
    assert!(told.contains("至 12月1日 00:05（北京时间）"), "{told}");
}

#[tokio::test]
async fn an_account_an_admin_creates_must_change_its_password_at_the_first_sign_in() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let response = admin
        .post_form(
            "/admin/accounts",
            &[
                ("username", "wang.qi"),
                ("display_name", "王七"),
                ("role", "leader"),
                ("unit", ""),
                ("password", RESET),
            ],
        )
        .await;
    let (_, body) = admin.follow(response).await;
    assert!(body.contains("账户 wang.qi 已创建"), "{body}");
    assert!(must_change(&app, "wang.qi").await);

    let newcomer = app.client();
    let response = newcomer.sign_in("wang.qi", RESET).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/account/password");
    // The demo accounts, whose passwords their owners know, are not asked.
    assert!(!must_change(&app, "leader").await);
}

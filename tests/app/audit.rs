//! The audit log: a row for every sign-in attempt, sign-out, lockout and write, with who,
//! what, which record, before/after, when and from where; and it cannot be rewritten.

use serde_json::Value;

use crate::helpers::{PASSWORD, TestApp};

#[derive(Debug, sqlx::FromRow)]
struct Row {
    username: String,
    action: String,
    entity: String,
    entity_id: String,
    before: Option<Value>,
    after: Option<Value>,
    address: String,
}

async fn last(app: &TestApp, action: &str) -> Row {
    sqlx::query_as(
        "select username, action, entity, entity_id, before, after, address
           from audit_event where action = $1 order by audit_event_id desc limit 1",
    )
    .bind(action)
    .fetch_one(&app.db)
    .await
    .unwrap_or_else(|_| panic!("an audit event {action}"))
}

#[tokio::test]
async fn every_sign_in_attempt_and_sign_out_is_recorded_with_its_address() {
    let app = TestApp::spawn().await;
    let client = app.client();
    client.sign_in("leader", "wrong-password-1").await;
    client.sign_in("ghost", "wrong-password-1").await;
    client.sign_in("leader", PASSWORD).await;
    client.post_form("/logout", &[]).await;

    let failure = last(&app, "login.failure").await;
    assert_eq!(failure.username, "ghost");
    assert_eq!(failure.after.unwrap()["reason"], "unknown user");
    assert_eq!(app.audit_count("login.failure").await, 2);
    let success = last(&app, "login.success").await;
    let leader = app.account_id("leader").await;
    assert_eq!(
        (success.username.as_str(), success.entity_id),
        ("leader", leader.to_string())
    );
    assert_eq!(success.address, "127.0.0.1");
    let logout = last(&app, "logout").await;
    assert_eq!(logout.username, "leader");
}

#[tokio::test]
async fn every_account_write_is_recorded_with_before_and_after() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let leader = app.account_id("leader").await;
    let base = format!("/admin/accounts/{leader}");

    admin
        .post_form(
            "/admin/accounts",
            &[
                ("username", "wangwu"),
                ("display_name", "王五"),
                ("role", "secretary"),
                ("unit", tuanjian::demo::SECRETARY_UNIT),
                ("password", "first-secret-4-wu"),
            ],
        )
        .await;
    let created = last(&app, "account.created").await;
    assert_eq!(created.username, "admin");
    assert_eq!(created.after.as_ref().unwrap()["username"], "wangwu");
    assert_eq!(created.after.unwrap()["role"], "secretary");

    admin
        .post_form(
            &format!("{base}/roles"),
            &[("role", "committee"), ("unit", "")],
        )
        .await;
    assert_eq!(
        last(&app, "account.role_added").await.after.unwrap()["role"],
        "committee"
    );

    let grant: i64 = sqlx::query_scalar(
        "select account_role_id from account_role where account_id = $1 and role = 'committee'",
    )
    .bind(leader)
    .fetch_one(&app.db)
    .await
    .unwrap();
    admin
        .post_form(&format!("{base}/roles/{grant}/delete"), &[])
        .await;
    assert_eq!(
        last(&app, "account.role_removed").await.before.unwrap()["role"],
        "committee"
    );

    admin
        .post_form(
            &format!("{base}/password"),
            &[("new_password", "another-new-secret-1")],
        )
        .await;
    let reset = last(&app, "account.password_reset").await;
    assert_eq!(
        (reset.entity.as_str(), reset.entity_id),
        ("account", leader.to_string())
    );
    assert!(
        !format!("{:?}", reset.after).contains("another-new-secret-1"),
        "no password in the log"
    );

    admin.post_form(&format!("{base}/disable"), &[]).await;
    let disabled = last(&app, "account.disabled").await;
    assert_eq!(disabled.before.unwrap()["disabled"], false);
    assert_eq!(disabled.after.unwrap()["disabled"], true);

    admin.post_form(&format!("{base}/enable"), &[]).await;
    let enabled = last(&app, "account.enabled").await;
    assert_eq!(enabled.before.unwrap()["disabled"], true);
    assert_eq!(enabled.action, "account.enabled");
}

#[tokio::test]
async fn the_application_cannot_update_delete_or_truncate_the_audit_log() {
    let app = TestApp::spawn().await;
    app.client().sign_in("leader", PASSWORD).await;
    let count: i64 = sqlx::query_scalar("select count(*) from audit_event")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(count > 0);
    for sql in [
        "update audit_event set username = 'someone else'",
        "delete from audit_event",
        "truncate audit_event",
    ] {
        let error = sqlx::query(sql).execute(&app.db).await.expect_err(sql);
        assert!(error.to_string().contains("append-only"), "{sql}: {error}");
    }
    let after: i64 = sqlx::query_scalar("select count(*) from audit_event")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(after, count);
}

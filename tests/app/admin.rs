//! The admin pages: create accounts with a role and scope, refuse bad input with clear
//! messages and no write, disable and enable, reset passwords, and read the audit log.

use crate::helpers::{PASSWORD, TestApp};

async fn account_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from account")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_admin_creates_a_secretary_who_then_sees_only_their_unit() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let response = admin
        .post_form(
            "/admin/accounts",
            &[
                ("username", " Zhao.Liu "),
                ("display_name", "赵六"),
                ("role", "secretary"),
                ("unit", tuanjian::demo::SECRETARY2_UNIT),
                ("password", "zhaoliu-secret-2018"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let (status, body) = admin.follow(response).await;
    assert_eq!(status, 200);
    assert!(body.contains("账户 zhao.liu 已创建"));
    assert!(body.contains(tuanjian::demo::SECRETARY2_UNIT));

    let client = app.client();
    assert_eq!(
        client
            .sign_in("zhao.liu", "zhaoliu-secret-2018")
            .await
            .status(),
        303
    );
    // The password the admin chose is replaced first (issue 14), then the work begins.
    let response = client
        .post_form(
            "/account/password",
            &[
                ("current_password", "zhaoliu-secret-2018"),
                ("new_password", "zhaoliu-own-choice-2018"),
                ("confirm_password", "zhaoliu-own-choice-2018"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let own = app.unit_id(tuanjian::demo::SECRETARY2_UNIT).await;
    let other = app.unit_id(tuanjian::demo::SECRETARY_UNIT).await;
    assert_eq!(client.get(&format!("/units/{own}")).await.status(), 200);
    assert_eq!(client.get(&format!("/units/{other}")).await.status(), 404);
    assert_eq!(client.get("/dashboard").await.status(), 403);
}

#[tokio::test]
async fn bad_account_forms_get_clear_messages_and_write_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let before = account_count(&app).await;
    let cases: [(&str, &str, &str, &str, &str); 7] = [
        (
            "x",
            "secretary",
            tuanjian::demo::SECRETARY_UNIT,
            "good-long-secret-1",
            "用户名须为2至32位",
        ),
        (
            "张三",
            "leader",
            "",
            "good-long-secret-1",
            "用户名须为2至32位",
        ),
        ("leader", "leader", "", "good-long-secret-1", "已被使用"),
        (
            "newbie",
            "secretary",
            "",
            "good-long-secret-1",
            "必须指定所属单位",
        ),
        (
            "newbie",
            "secretary",
            "不存在的单位",
            "good-long-secret-1",
            "找不到名为“不存在的单位”的单位",
        ),
        ("newbie", "leader", "", "short", "至少需要12个字符"),
        (
            "newbie",
            "superuser",
            "",
            "good-long-secret-1",
            "请选择有效的角色",
        ),
    ];
    for (username, role, unit, password, message) in cases {
        let response = admin
            .post_form(
                "/admin/accounts",
                &[
                    ("username", username),
                    ("display_name", ""),
                    ("role", role),
                    ("unit", unit),
                    ("password", password),
                ],
            )
            .await;
        assert_eq!(response.status(), 422, "{username}/{role}");
        let body = response.text().await.unwrap();
        assert!(
            body.contains(message),
            "{message} for {username}/{role}/{unit}"
        );
        assert!(
            !body.contains(password) || password.len() < 6,
            "the password is not echoed"
        );
    }
    assert_eq!(account_count(&app).await, before);
    assert_eq!(
        app.audit_count("account.created").await,
        5,
        "only the demo's"
    );
}

#[tokio::test]
async fn an_admin_disables_and_re_enables_an_account_but_not_their_own() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let leader = app.account_id("leader").await;
    let response = admin
        .post_form(&format!("/admin/accounts/{leader}/disable"), &[])
        .await;
    let (_, body) = admin.follow(response).await;
    assert!(body.contains("账户已停用"));
    assert_eq!(app.client().sign_in("leader", PASSWORD).await.status(), 401);
    let response = admin
        .post_form(&format!("/admin/accounts/{leader}/enable"), &[])
        .await;
    let (_, body) = admin.follow(response).await;
    assert!(body.contains("账户已重新启用"));
    assert_eq!(app.client().sign_in("leader", PASSWORD).await.status(), 303);

    let me = app.account_id("admin").await;
    let response = admin
        .post_form(&format!("/admin/accounts/{me}/disable"), &[])
        .await;
    let (_, body) = admin.follow(response).await;
    assert!(body.contains("不能停用自己的账户"));
    assert_eq!(app.audit_count("account.disabled").await, 1);
}

#[tokio::test]
async fn a_reset_password_replaces_the_old_one_and_weak_ones_are_refused() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let leader_session = app.signed_in("leader").await;
    let leader = app.account_id("leader").await;
    let path = format!("/admin/accounts/{leader}/password");
    let response = admin
        .post_form(&path, &[("new_password", "password1234")])
        .await;
    let (_, body) = admin.follow(response).await;
    assert!(body.contains("过于常见"));
    assert_eq!(app.audit_count("account.password_reset").await, 0);

    let response = admin
        .post_form(&path, &[("new_password", "another-new-secret-1")])
        .await;
    let (_, body) = admin.follow(response).await;
    assert!(body.contains("密码已重置"));
    assert_eq!(
        leader_session.get("/dashboard").await.status(),
        303,
        "signed out"
    );
    assert_eq!(app.client().sign_in("leader", PASSWORD).await.status(), 401);
    assert_eq!(
        app.client()
            .sign_in("leader", "another-new-secret-1")
            .await
            .status(),
        303
    );
}

#[tokio::test]
async fn roles_are_added_with_scope_and_bad_grants_are_refused() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let leader = app.account_id("leader").await;
    let path = format!("/admin/accounts/{leader}/roles");
    for (role, unit, message) in [
        ("secretary", "", "必须指定所属单位"),
        (
            "committee",
            tuanjian::demo::SECRETARY_UNIT,
            "只有书记/联络员需要指定所属单位",
        ),
        ("leader", "", "该账户已有此角色"),
        ("king", "", "请选择有效的角色"),
    ] {
        let response = admin
            .post_form(&path, &[("role", role), ("unit", unit)])
            .await;
        let (_, body) = admin.follow(response).await;
        assert!(body.contains(message), "{role}: {message}");
    }
    assert_eq!(app.audit_count("account.role_added").await, 0);
    let response = admin
        .post_form(
            &path,
            &[
                ("role", "secretary"),
                ("unit", tuanjian::demo::SECRETARY_UNIT),
            ],
        )
        .await;
    let (_, body) = admin.follow(response).await;
    assert!(body.contains("角色已添加"));
    assert!(body.contains("团支部书记/单位联络员（开发区社会事业局）"));
}

#[tokio::test]
async fn the_last_admin_role_cannot_be_removed() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let me = app.account_id("admin").await;
    let grant: i64 =
        sqlx::query_scalar("select account_role_id from account_role where account_id = $1")
            .bind(me)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let response = admin
        .post_form(&format!("/admin/accounts/{me}/roles/{grant}/delete"), &[])
        .await;
    let (_, body) = admin.follow(response).await;
    assert!(body.contains("不能移除最后一个系统管理员"));
    assert_eq!(app.audit_count("account.role_removed").await, 0);
}

#[tokio::test]
async fn the_accounts_list_searches_and_pages() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in("admin").await;
    let hash: String = sqlx::query_scalar("select password_hash from account limit 1")
        .fetch_one(&app.db)
        .await
        .unwrap();
    sqlx::query(
        "insert into account (username, password_hash) select 'user' || lpad(n::text, 3, '0'), $1 from generate_series(1, 120) n",
    )
    .bind(&hash)
    .execute(&app.db)
    .await
    .unwrap();
    let mut seen = Vec::new();
    let mut path = "/admin/accounts".to_string();
    loop {
        let (status, body) = admin.get_text(&path).await;
        assert_eq!(status, 200);
        for part in body.split("<td><a href=\"/admin/accounts/").skip(1) {
            let name = part.split('>').nth(1).unwrap().split('<').next().unwrap();
            seen.push(name.to_string());
        }
        match body.split("href=\"/admin/accounts?q=&after=").nth(1) {
            Some(rest) => {
                let after = rest.split('"').next().unwrap();
                path = format!("/admin/accounts?q=&after={after}");
            }
            None => break,
        }
    }
    assert_eq!(seen.len(), 125, "every account once");
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 125);

    let (_, body) = admin.get_text("/admin/accounts?q=secret").await;
    assert!(body.contains(">secretary<") && body.contains(">secretary2<"));
    assert!(!body.contains(">leader<"));
}

#[tokio::test]
async fn the_audit_page_filters_by_user_action_and_date_and_pages() {
    let app = TestApp::spawn().await;
    for _ in 0..3 {
        app.client().sign_in("leader", "wrong-password-1").await;
    }
    let admin = app.signed_in("admin").await;
    let (status, body) = admin
        .get_text("/admin/audit?username=leader&action=login.failure")
        .await;
    assert_eq!(status, 200);
    assert_eq!(body.matches("<code>login.failure</code>").count(), 3);
    assert!(!body.contains("<code>login.success</code>"));

    let (_, body) = admin
        .get_text("/admin/audit?from=2000-01-01&to=2000-01-02")
        .await;
    assert!(body.contains("没有符合条件的记录"));
    let (_, body) = admin.get_text("/admin/audit?from=yesterday").await;
    assert!(body.contains("日期格式应为"));

    let hash: String = sqlx::query_scalar("select password_hash from account limit 1")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(!hash.is_empty());
    sqlx::query(
        "insert into audit_event (occurred_at, username, action) select now(), 'bulk', 'test.bulk' from generate_series(1, 60)",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let (_, first) = admin.get_text("/admin/audit?action=test.bulk").await;
    assert_eq!(first.matches("<code>test.bulk</code>").count(), 50);
    let next = first
        .split("<a href=\"")
        .find(|s| s.contains("after="))
        .and_then(|s| s.split('"').next())
        .expect("a next page link")
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    let (_, second) = admin.get_text(&next).await;
    assert_eq!(second.matches("<code>test.bulk</code>").count(), 10);
}

#[tokio::test]
async fn administrators_see_who_changed_which_record_but_not_the_values() {
    let app = TestApp::spawn().await;
    crate::survey::import_sample(&app).await;
    let committee = app.signed_in("committee").await;
    let unit = app.unit_id("开发区自然资源局").await;
    let response = committee
        .post_form(
            &format!("/units/{unit}"),
            &[
                ("name", "开发区自然资源局"),
                ("kind", "department"),
                ("contact_person", "保密的联系人"),
                ("contact_phone", "13800138000"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let admin = app.signed_in("admin").await;
    let (status, body) = admin.get_text("/admin/audit?action=unit.updated").await;
    assert_eq!(status, 200);
    assert!(body.contains("<code>unit.updated</code>"));
    assert!(body.contains("contact_person"), "the field's name: {body}");
    assert!(!body.contains("保密的联系人") && !body.contains("13800138000"));
    let stored: i64 = sqlx::query_scalar(
        "select count(*) from audit_event where action = 'unit.updated' and after::text like '%保密的联系人%'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(stored, 1, "the log itself keeps the values");
}

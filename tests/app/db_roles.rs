//! The application's database role (security review F5, issue 18 item 2): the server
//! connects as a role that owns nothing and cannot rewrite the audit log, whether the
//! cluster is managed or the server is configured with an owner and an application URL.

use sqlx::PgPool;
use tuanjian::pg::{Database, Urls, roles};

use crate::cluster::url_of;
use crate::helpers::{TestApp, fresh_databases};

async fn refused(db: &PgPool, sql: &str) -> String {
    match sqlx::raw_sql(sql).execute(db).await {
        Ok(done) => panic!("the application's role ran `{sql}`: {done:?}"),
        Err(e) => e.to_string(),
    }
}

#[tokio::test]
async fn the_applications_role_cannot_rewrite_or_unprotect_the_audit_log() {
    let app = TestApp::spawn().await;
    app.signed_in("committee").await;
    let db = &app.state.db;
    let before: i64 = sqlx::query_scalar("select count(*) from audit_event")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(before > 0, "signing in wrote an audit event");

    for sql in [
        "delete from audit_event",
        "update audit_event set username = 'forged'",
        "truncate audit_event",
        "alter table audit_event disable trigger audit_event_no_update",
        "alter table audit_event disable trigger audit_event_chain",
        "alter table audit_event add column note text",
        "drop trigger audit_event_no_update on audit_event",
        "update audit_chain_head set last_hash = sha256('x')",
        "delete from audit_archive",
        "create table smuggled (n int)",
        "create function smuggled() returns int language sql as 'select 1'",
    ] {
        let error = refused(db, sql).await;
        assert!(
            error.contains("permission denied") || error.contains("must be owner"),
            "`{sql}` failed for another reason: {error}"
        );
    }
    let error = refused(db, "set session_replication_role = replica").await;
    assert!(error.contains("permission denied"), "{error}");

    let after: i64 = sqlx::query_scalar("select count(*) from audit_event")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(after, before, "nothing was removed");
    let (superuser, owned, can_create): (bool, i64, bool) = sqlx::query_as(
        "select rolsuper,
                (select count(*) from pg_class where relowner = r.oid),
                has_schema_privilege('public', 'create') or rolcreatedb or rolcreaterole
           from pg_roles r where rolname = current_user",
    )
    .fetch_one(db)
    .await
    .unwrap();
    assert_eq!((superuser, owned, can_create), (false, 0, false));
    assert_eq!(roles::excess_privilege(db).await.unwrap(), None);
    assert!(roles::excess_privilege(&app.db).await.unwrap().is_some());
}

#[tokio::test]
async fn with_an_owner_url_the_pool_connects_as_the_application_url_and_migrates_as_the_owner() {
    let (owner, app) = fresh_databases().await;
    let (owner_url, app_url) = (url_of(&owner), url_of(&app));
    let dir = std::env::temp_dir();
    let database = Database::open(
        &dir,
        Urls {
            app: Some(&app_url),
            owner: Some(&owner_url),
        },
    )
    .await
    .unwrap();
    let user: String = sqlx::query_scalar("select current_user::text")
        .fetch_one(&database.pool)
        .await
        .unwrap();
    assert_eq!(user, roles::APP_ROLE);
    database.close().await;

    // The application's URL alone serves a database its owner has migrated.
    let alone = Database::open(
        &dir,
        Urls {
            app: Some(&app_url),
            owner: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(roles::excess_privilege(&alone.pool).await.unwrap(), None);
    alone.close().await;

    let same = Database::open(
        &dir,
        Urls {
            app: Some(&owner_url),
            owner: Some(&owner_url),
        },
    )
    .await;
    assert!(same.is_err(), "one role for both is refused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_managed_cluster_creates_the_applications_role_and_serves_through_it() {
    let dir = std::env::temp_dir().join(format!("tuanjian-roles-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let database = Database::open(&dir, Urls::default()).await.unwrap();
    let checked = async {
        let (user, superuser): (String, bool) = sqlx::query_as(
            "select current_user::text, rolsuper from pg_roles where rolname = current_user",
        )
        .fetch_one(&database.pool)
        .await?;
        let refused = sqlx::query("delete from audit_event")
            .execute(&database.pool)
            .await
            .is_err();
        let owner = database.owner_pool().await?;
        let owner_is_super: bool =
            sqlx::query_scalar("select rolsuper from pg_roles where rolname = current_user")
                .fetch_one(&owner)
                .await?;
        owner.close().await;
        anyhow::Ok((user, superuser, refused, owner_is_super))
    }
    .await;
    database.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        checked.unwrap(),
        (roles::APP_ROLE.to_string(), false, true, true)
    );
}

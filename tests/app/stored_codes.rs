//! Stored codes read back strictly: a value the enum does not know is an error, not a
//! default (an unknown application state used to read as a draft).

use tuanjian::domain::role::Scope;

use crate::helpers::TestApp;
use crate::survey::import;
use crate::workbooks::SAMPLE_XLSX;

#[tokio::test]
async fn an_unknown_application_state_is_an_error_not_a_draft() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let unit: i64 = sqlx::query_scalar(
        "select unit_id from unit u
          where not exists (select 1 from formation_application a where a.unit_id = u.unit_id)
          order by unit_id limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let id: i64 = sqlx::query_scalar(
        "insert into formation_application (unit_id, state, proposed_name, proposed_kind, member_count, youth_count)
         values ($1, 'draft', '测试团支部', '团支部', 9, 37) returning formation_application_id",
    )
    .bind(unit)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let read = tuanjian::db::application::get(
        &app.db,
        tuanjian::domain::ids::ApplicationId(id),
        &Scope::Zone,
    )
    .await;
    assert_eq!(read.unwrap().unwrap().state.code(), "draft");

    // A value no version of the schema allows: only without the check can it get in.
    sqlx::query(
        "alter table formation_application drop constraint formation_application_state_check",
    )
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "update formation_application set state = 'archived' where formation_application_id = $1",
    )
    .bind(id)
    .execute(&app.db)
    .await
    .unwrap();

    let read = tuanjian::db::application::get(
        &app.db,
        tuanjian::domain::ids::ApplicationId(id),
        &Scope::Zone,
    )
    .await;
    let error = read.expect_err("an unknown state must not be read as a state");
    assert!(error.to_string().contains("archived"), "{error}");
    let committee = app.signed_in("committee").await;
    let (status, page) = committee.get_text(&format!("/applications/{id}")).await;
    assert_eq!(status, 500);
    assert!(!page.contains("草稿"));
}

//! Names stored before the one name normaliser are rewritten through it once (issue 15
//! item 5): searches and a new round's workbook then find them, and a unit whose
//! normalised name another unit has is marked for the committee instead of merged.

use crate::helpers::TestApp;
use crate::members::{new_member, secretary_org, store};
use crate::survey::import;
use crate::typed_cells::form_urlencoded;
use crate::workbooks::SAMPLE_XLSX;
use tuanjian::services::names::{Rewritten, normalize_stored};

#[tokio::test]
async fn names_stored_before_the_rule_are_rewritten_once_and_then_found() {
    // Arrange: as an older version stored them, a community with a space in its name, a
    // pasted copy of another with a zero-width space (the same unit, typed twice), and a
    // member with the katakana middle dot.
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    sqlx::query("update unit set name = '五彩湾 社区' where name = '五彩湾社区'")
        .execute(&app.db)
        .await
        .unwrap();
    let copy: i64 = sqlx::query_scalar(
        "insert into unit (kind, name) values ('community', '大井社区' || chr(8203)) returning unit_id",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let org = secretary_org(&app).await;
    let born = chrono::NaiveDate::from_ymd_opt(2001, 6, 1).unwrap();
    store(&app, &[new_member(org, "艾力吐尔逊".into(), born, 74)]).await;
    sqlx::query("update member set name = '艾力・吐尔逊' where name = '艾力吐尔逊'")
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query("delete from maintenance_task")
        .execute(&app.db)
        .await
        .unwrap();
    let committee = app.signed_in("committee").await;
    let query = form_urlencoded("五彩湾社区");
    let (_, before) = committee.get_text(&format!("/units?q={query}")).await;
    assert!(
        before.contains("共 <strong>0</strong>"),
        "found before the rewrite"
    );
    let audited = app.audit_count("unit.updated").await;

    // Act: the rewrite, twice.
    let done = normalize_stored(&app.db, app.clock.now()).await.unwrap();
    let again = normalize_stored(&app.db, app.clock.now()).await.unwrap();

    // Assert: renamed once, the copy marked with its id, every change audited.
    let marked = format!("大井社区（重名待核，编号{copy}）");
    assert_eq!(
        done,
        Some(Rewritten {
            units: 1,
            duplicates: vec![marked.clone()],
            members: 1,
        })
    );
    assert_eq!(again, None);
    assert_eq!(app.audit_count("unit.updated").await, audited + 2);
    let names: Vec<String> = sqlx::query_scalar(
        "select name from unit
          where kind = 'community' and (name like '大井%' or name like '五彩湾%') order by name",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(names, ["五彩湾社区", "大井社区", &marked]);
    let (_, found) = committee.get_text(&format!("/units?q={query}")).await;
    assert!(found.contains("共 <strong>1</strong>"), "{found}");
    assert!(found.contains(">五彩湾社区</a>"), "{found}");
    let (_, found) = committee
        .get_text(&format!("/members?q={}", form_urlencoded("艾力·吐尔逊")))
        .await;
    assert!(found.contains("艾力·吐尔逊"), "{found}");
}

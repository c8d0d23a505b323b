//! 青年文明号 in scope: a secretary registers for their own unit and reads only its posts;
//! the demo's posts filter by state, level and unit and export as a workbook in scope; the
//! yearly report's figures for a period come from the steps' dates.

use chrono::NaiveDate;
use tuanjian::demo::SECRETARY_UNIT;

use crate::awards::{count, fields, register, state_of};
use crate::helpers::TestApp;

#[tokio::test]
async fn a_secretary_registers_for_their_own_unit_and_reads_only_its_posts() {
    let app = TestApp::spawn().await;
    let secretary = app.signed_in("secretary").await;
    let page = register(
        &secretary,
        &fields("社会保障科", "office", SECRETARY_UNIT, "2019-05-06"),
    )
    .await;
    let (status, body) = secretary.get_text(&page).await;
    assert_eq!(status, 200);
    assert!(body.contains("“社会保障科”已创建备案。"));
    assert!(
        !body.contains(r#"id="steps""#),
        "the steps are the committee's"
    );
    let response = secretary
        .post_form(
            &format!("{page}/steps"),
            &[("step", "start"), ("dated_on", "2019-05-20")],
        )
        .await;
    assert_eq!(response.status(), 403);
    let (_, list) = secretary.get_text("/awards").await;
    assert!(list.contains("社会保障科"));

    let other = app.signed_in("secretary2").await;
    assert_eq!(other.get(&page).await.status(), 404);
    let (_, list) = other.get_text("/awards").await;
    assert!(!list.contains("社会保障科"));
    assert!(list.contains("共 <strong>0</strong> 个"));

    let leader = app.signed_in("leader").await;
    let (status, body) = leader.get_text(&page).await;
    assert_eq!(status, 200);
    assert!(!body.contains(r#"id="steps""#));
    assert_eq!(
        leader
            .post_form(
                "/awards",
                &fields("社会保障科", "office", SECRETARY_UNIT, "2019-05-06")
            )
            .await
            .status(),
        403
    );
    assert_eq!(
        app.signed_in("admin").await.get("/awards").await.status(),
        403
    );
    assert_eq!(state_of(&app, &page).await, "registered");
}

/// A workbook's first sheet as text.
fn texts(bytes: &[u8]) -> Vec<Vec<String>> {
    use crate::workbooks::Cell;
    crate::workbooks::grid(bytes)
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|cell| match cell {
                    Cell::Empty => String::new(),
                    Cell::Number(n) => n.to_string(),
                    Cell::Text(t) => t,
                })
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn the_demos_posts_filter_and_export_in_scope_and_the_report_counts_a_period() {
    let app = TestApp::spawn().await;
    tuanjian::demo::load(&app.state).await.unwrap();
    tuanjian::demo::load(&app.state).await.unwrap();
    let posts = count(&app, "award").await;
    assert_eq!(posts, 3, "the demo's three posts, once");
    let leader = app.signed_in("leader").await;
    let (_, list) = leader.get_text("/awards").await;
    assert!(list.contains(&format!("共 <strong>{posts}</strong> 个")));
    let rows = crate::drill_walk::rows_of(&list, "awards");
    assert_eq!(rows.len() as i64, posts);
    let (_, recognized) = leader.get_text("/awards?state=recognized").await;
    let rows = crate::drill_walk::rows_of(&recognized, "awards");
    assert_eq!(rows.len(), 1);
    assert!(rows[0][0].contains("生产运行部电仪工段"), "{rows:?}");
    assert!(rows[0][4].contains("开发区级"));
    let (_, zone) = leader.get_text("/awards?level=zone").await;
    assert!(zone.contains("共 <strong>1</strong> 个"));
    let own = app.unit_id(SECRETARY_UNIT).await;
    let (_, by_unit) = leader.get_text(&format!("/awards?unit={own}")).await;
    let rows = crate::drill_walk::rows_of(&by_unit, "awards");
    assert_eq!(rows.len(), 1);
    assert!(rows[0][0].contains("社会保障科"));

    let response = leader.get("/awards/export?state=recognized").await;
    assert_eq!(response.status(), 200);
    let sheet = texts(&response.bytes().await.unwrap());
    assert!(sheet[0][0].starts_with("青年文明号创建及认定情况表"));
    assert_eq!(sheet[1][..4], ["序号", "集体名称", "类型", "所属单位"]);
    assert_eq!(sheet.len(), 3);
    assert_eq!(sheet[2][7], "开发区级");
    assert_eq!(sheet[2][8], "开团工委〔2019〕8号");
    assert_eq!(app.audit_count("award.exported").await, 1);
    let secretary = app.signed_in("secretary").await;
    let sheet = texts(&secretary.get("/awards/export").await.bytes().await.unwrap());
    assert_eq!(sheet.len(), 3, "the secretary's own unit's post only");
    assert_eq!(sheet[2][1], "社会保障科");
    let other = app.signed_in("secretary2").await;
    let sheet = texts(&other.get("/awards/export").await.bytes().await.unwrap());
    assert_eq!(sheet.len(), 2);

    // The yearly report's figures, from the steps' dates.
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let year = tuanjian::db::award::period(&app.db, day(2019, 1, 1), day(2019, 12, 31))
        .await
        .unwrap();
    assert_eq!(year.recognized.len(), 1);
    assert_eq!(year.recognized[0].name, "生产运行部电仪工段");
    assert_eq!(year.recognized[0].dated_on, day(2019, 10, 8));
    assert_eq!(
        (year.registered, year.reviewed, year.in_creation),
        (3, 0, 2)
    );
    let half = tuanjian::db::award::period(&app.db, day(2019, 1, 1), day(2019, 6, 30))
        .await
        .unwrap();
    assert!(half.recognized.is_empty());
    assert_eq!(half.in_creation, 3);
    let later = tuanjian::db::award::period(&app.db, day(2021, 1, 1), day(2021, 12, 31))
        .await
        .unwrap();
    assert_eq!(
        (later.registered, later.reviewed, later.in_creation),
        (0, 1, 2)
    );
}

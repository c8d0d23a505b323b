//! Bounds on what is stored (issue 14, item 11): control characters in any text, round
//! dates outside this century and over-long unit names from workbooks are refused or
//! removed with a clear message, never a server error.

use tuanjian::domain::workbook::ImportError;

use crate::helpers::TestApp;
use crate::survey::import;
use crate::workbooks::{Cell, SAMPLE_XLSX, grid, xlsx};

#[tokio::test]
async fn control_characters_leave_form_fields_and_filters_instead_of_failing() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let response = committee
        .post_form(
            "/units",
            &[("name", "新\0单\u{b}位\u{7f}"), ("kind", "department")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let stored: bool =
        sqlx::query_scalar("select exists (select 1 from unit where name = '新单位')")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(stored, "the name is stored without its control characters");
    // Line breaks are text, not stray controls.
    let response = committee
        .post_form(
            "/units",
            &[
                ("name", "另\0一单位"),
                ("kind", "department"),
                ("industry", "制造\r\n业"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);

    for path in [
        "/units?q=%00&kind=%00",
        "/members?q=a%00b&organization=%00",
        "/applications?state=%00",
    ] {
        let (status, _) = committee.get_text(path).await;
        assert_eq!(status, 200, "{path}");
    }
    let admin = app.signed_in("admin").await;
    let (status, _) = admin.get_text("/admin/audit?username=%00&action=%00").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_round_dated_outside_this_century_is_refused_and_not_written() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    for (field, value) in [("as_of", "9999-12-31"), ("closes_on", "1900-01-01")] {
        let mut fields = vec![
            ("title", "误填的轮次"),
            ("as_of", "2026-06-01"),
            ("opens_on", "2026-06-01"),
            ("closes_on", "2026-06-30"),
        ];
        fields.retain(|(k, _)| *k != field);
        fields.push((field, value));
        let response = committee.post_form("/surveys", &fields).await;
        assert_eq!(response.status(), 422, "{field}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("应在2000年至2099年之间"),
            "{field}"
        );
    }
    let rounds: i64 = sqlx::query_scalar("select count(*) from survey")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(rounds, 0);
}

#[tokio::test]
async fn a_workbook_unit_name_follows_the_forms_length_rule() {
    let app = TestApp::spawn().await;
    let count = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from unit")
            .fetch_one(&app.db)
            .await
            .unwrap()
    };
    let before = count().await;
    let mut rows = grid(SAMPLE_XLSX);
    let long = "长".repeat(101);
    // The first data row's name: the row after the header that holds 单位名称.
    let header = rows
        .iter()
        .position(|row| {
            row.iter()
                .any(|c| matches!(c, Cell::Text(t) if t.contains("单位名称")))
        })
        .unwrap();
    let column = rows[header]
        .iter()
        .position(|c| matches!(c, Cell::Text(t) if t.contains("单位名称")))
        .unwrap();
    let line = (header + 2..rows.len())
        .find(|r| matches!(rows[*r].get(column), Some(Cell::Text(t)) if !t.is_empty()))
        .unwrap();
    rows[line][column] = Cell::Text(long);
    match import(&app, &xlsx(&rows)).await {
        Err(ImportError::Faults(faults)) => {
            assert!(
                faults
                    .iter()
                    .any(|f| f.reason.contains("不能超过100个字符")),
                "{faults:?}"
            );
        }
        other => panic!("expected faults, got {other:?}"),
    }
    assert_eq!(count().await, before);
}

//! Cells as people type them (issue 15, items 4 and 5): months stored by Excel as numbers,
//! resident IDs behind a typed apostrophe, other dots between the parts of a minority name,
//! and unit names pasted with invisible characters or a space, all read as the one name.

use chrono::NaiveDate;
use reqwest::multipart::{Form, Part};
use rust_xlsxwriter::Workbook;
use tuanjian::services::survey_import::{import_survey, preview_survey};

use crate::helpers::{Client, TestApp};
use crate::members::{id_born, secretary_org};
use crate::roster_import::upload;
use crate::survey::{actor, import};
use crate::workbooks::{Cell, SAMPLE_XLSX, grid, xlsx};

/// A roster of one member per row: name, resident ID as typed, and 入团年月 as a number
/// in a cell of the General format.
fn roster(rows: &[(&str, String, f64)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, title) in ["姓名", "性别", "民族", "身份证号码", "入团年月"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *title).unwrap();
    }
    for (r, (name, id, joined)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, *name).unwrap();
        sheet.write_string(r, 1, "女").unwrap();
        sheet.write_string(r, 2, "维吾尔族").unwrap();
        sheet.write_string(r, 3, id).unwrap();
        sheet.write_number(r, 4, *joined).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_serial_month_an_apostrophe_and_a_full_stop_in_a_name_are_read_as_meant() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = secretary_org(&app).await;
    let secretary = app.signed_in("secretary").await;
    let id = id_born((2000, 3, 8), 72);
    // 42125 is 2015-05-01 as an Excel serial; the apostrophe kept the ID as text.
    let bytes = roster(&[("迪丽娜尔.阿不都", format!("'{id}"), 42125.0)]);
    let response = upload(&secretary, org, bytes).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let (_, page) = secretary.follow(response).await;
    assert!(page.contains("已从名册导入 1 名团员"), "{page}");
    assert!(page.contains("第2行的姓名中用作分隔的"), "{page}");
    let (name, joined): (String, NaiveDate) =
        sqlx::query_as("select name, joined_on from member where organization_id = $1")
            .bind(org)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(name, "迪丽娜尔·阿不都");
    assert_eq!(joined, NaiveDate::from_ymd_opt(2015, 5, 1).unwrap());
}

#[tokio::test]
async fn a_month_typed_as_2015_10_in_a_general_cell_is_refused_as_ambiguous() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = secretary_org(&app).await;
    let secretary = app.signed_in("secretary").await;
    // Typed 2015.10, stored by Excel as the number 2015.1.
    let bytes = roster(&[("古丽米拉", id_born((2000, 3, 8), 73), 2015.1)]);
    let response = upload(&secretary, org, bytes).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("有歧义"), "{page}");
    assert!(page.contains("2015年10月"), "{page}");
    assert!(!page.contains("请填写"), "one fault for the cell: {page}");
    let members: i64 = sqlx::query_scalar("select count(*) from member")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(members, 0);
}

#[tokio::test]
async fn the_member_search_finds_a_name_whichever_dot_is_typed() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = secretary_org(&app).await;
    let secretary = app.signed_in("secretary").await;
    let bytes = roster(&[("艾力・吐尔逊", id_born((2001, 6, 1), 74), 2016.05)]);
    assert_eq!(upload(&secretary, org, bytes).await.status(), 303);
    let committee = app.signed_in("committee").await;
    for typed in [
        "艾力・吐尔逊",
        "艾力·吐尔逊",
        "艾力.吐尔逊",
        "艾力 • 吐尔逊",
    ] {
        let query = form_urlencoded(typed);
        let (status, page) = committee.get_text(&format!("/members?q={query}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("艾力·吐尔逊"), "{typed}: {page}");
    }
}

pub fn form_urlencoded(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// The sample with one unit's name replaced in every cell that holds it.
fn renamed(sample: &mut [Vec<Cell>], from: &str, to: &str) {
    let mut found = false;
    for cell in sample.iter_mut().flatten() {
        if *cell == Cell::Text(from.into()) {
            *cell = Cell::Text(to.into());
            found = true;
        }
    }
    assert!(found, "{from} is in the sample");
}

async fn units_of_kind(app: &TestApp, kind: &str) -> i64 {
    sqlx::query_scalar("select count(*) from unit where kind = $1")
        .bind(kind)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_new_round_with_pasted_names_keeps_the_existing_units_and_their_history() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    assert_eq!(units_of_kind(&app, "community").await, 6);
    let mut sample = grid(SAMPLE_XLSX);
    renamed(&mut sample, "大井社区", "大井社区\u{200b}");
    renamed(&mut sample, "五彩湾社区", "五彩湾 社区");
    let next_round = NaiveDate::from_ymd_opt(2019, 6, 1);
    let done = import_survey(
        &app.db,
        xlsx(&sample),
        next_round,
        &actor(),
        app.clock.now(),
    )
    .await
    .unwrap();
    assert_eq!(done.summary.communities, 6);
    assert_eq!(units_of_kind(&app, "community").await, 6);
    for name in ["大井社区", "五彩湾社区"] {
        let rounds: i64 = sqlx::query_scalar(
            "select count(*) from survey_entry e join unit u using (unit_id) where u.name = $1",
        )
        .bind(name)
        .fetch_one(&app.db)
        .await
        .unwrap();
        assert_eq!(rounds, 2, "{name} keeps its history");
    }
}

async fn upload_survey(client: &Client, bytes: Vec<u8>) -> String {
    let form = Form::new()
        .text("csrf_token", client.csrf().await)
        .part("file", Part::bytes(bytes).file_name("survey.xlsx"));
    let response = client
        .http
        .post(client.url("/surveys/upload"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    response.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn a_near_spelling_of_an_existing_unit_is_listed_in_the_preview() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let mut sample = grid(SAMPLE_XLSX);
    renamed(&mut sample, "老君庙社区", "老君庙社区居委会");
    renamed(&mut sample, "大井社区", "开发区大井社区");
    let bytes = xlsx(&sample);
    let preview = preview_survey(&app.db, bytes.clone(), None, None, app.clock.now())
        .await
        .unwrap();
    let similar: Vec<(String, String)> = preview
        .stats
        .similar
        .iter()
        .map(|s| (s.name.clone(), s.existing.clone()))
        .collect();
    assert_eq!(
        similar,
        [
            ("老君庙社区居委会".to_string(), "老君庙社区".to_string()),
            ("开发区大井社区".to_string(), "大井社区".to_string()),
        ]
    );
    let committee = app.signed_in("committee").await;
    let location = upload_survey(&committee, bytes).await;
    let (_, page) = committee.get_text(&location).await;
    assert!(page.contains("可能与已有单位重复"), "{page}");
    assert!(page.contains("可能与“老君庙社区”是同一单位"), "{page}");
    assert!(page.contains("可能与“大井社区”是同一单位"), "{page}");
}

//! Workbooks the app writes: every export escapes text a spreadsheet could take for a
//! formula, and the roster template and the survey export import back as written.

use calamine::{Data, Reader, SheetVisible, open_workbook_auto_from_rs};
use rust_xlsxwriter::Workbook;

use crate::helpers::TestApp;
use crate::members::{id_born, new_member, secretary_org, store};
use crate::roster_import::{members_in, upload};
use crate::survey::import;
use crate::workbooks::{Cell, SAMPLE_XLSX, grid};

const FORMULA: &str = "=HYPERLINK(\"x\")";

/// The texts of the first sheet's cells that mention HYPERLINK.
fn hyperlinks(bytes: &[u8]) -> Vec<String> {
    grid(bytes)
        .into_iter()
        .flatten()
        .filter_map(|cell| match cell {
            Cell::Text(t) if t.contains("HYPERLINK") => Some(t),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_name_that_looks_like_a_formula_is_escaped_in_every_export() {
    let app = TestApp::spawn().await;
    let done = import(&app, SAMPLE_XLSX).await.unwrap();
    // A unit on the reminder list, and the secretary's organisation (in the survey export
    // too) with one member.
    sqlx::query(
        "update unit set name = $1 where unit_id = (
           select u.unit_id from survey_entry e join unit u using (unit_id)
            where e.survey_id = $2 and e.members >= 3 and not u.has_organization
              and not u.application_pending
            order by u.name limit 1)",
    )
    .bind(FORMULA)
    .bind(done.survey_id)
    .execute(&app.db)
    .await
    .unwrap();
    let org = secretary_org(&app).await;
    sqlx::query("update organization set name = $1 where organization_id = $2")
        .bind(FORMULA)
        .bind(org)
        .execute(&app.db)
        .await
        .unwrap();
    let born = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    store(&app, &[new_member(org, "王小明".into(), born, 1)]).await;
    let committee = app.signed_in("committee").await;
    let escaped = format!("'{FORMULA}");

    let survey = format!("/surveys/{}/export", done.survey_id);
    for path in ["/reminders/export", &survey, "/members/export"] {
        let response = committee.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let bytes = response.bytes().await.unwrap();
        let found = hyperlinks(&bytes);
        assert!(!found.is_empty(), "{path}");
        assert!(found.iter().all(|t| *t == escaped), "{path}: {found:?}");
    }

    // The import drops the escape again: the exported round names the unit as it was.
    let bytes = committee.get(&survey).await.bytes().await.unwrap();
    let fresh = TestApp::spawn().await;
    import(&fresh, &bytes).await.unwrap();
    let named: i64 = sqlx::query_scalar("select count(*) from unit where name = $1")
        .bind(FORMULA)
        .fetch_one(&fresh.db)
        .await
        .unwrap();
    assert_eq!(named, 1);
}

/// The template downloaded for `org`, as (name, hidden, cells by absolute place) per sheet.
type Sheets = Vec<(String, bool, Vec<((u32, u32), Data)>)>;

fn sheets_of(bytes: &[u8]) -> Sheets {
    let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let metadata = book.sheets_metadata().to_vec();
    metadata
        .into_iter()
        .map(|sheet| {
            let range = book.worksheet_range(&sheet.name).unwrap();
            let (top, left) = range.start().unwrap_or((0, 0));
            let cells = range
                .cells()
                .filter(|(_, _, value)| !matches!(value, Data::Empty))
                .map(|(r, c, value)| ((top + r as u32, left + c as u32), value.clone()))
                .collect();
            (sheet.name, sheet.visible != SheetVisible::Visible, cells)
        })
        .collect()
}

/// The sheets written back cell for cell, as a spreadsheet program saves a filled-in file.
fn rebuild(sheets: &Sheets) -> Vec<u8> {
    let mut book = Workbook::new();
    for (name, hidden, cells) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        sheet.set_hidden(*hidden);
        for ((r, c), value) in cells {
            let c = *c as u16;
            match value {
                Data::Int(i) => sheet.write_number(*r, c, *i as f64),
                Data::Float(f) => sheet.write_number(*r, c, *f),
                other => sheet.write_string(*r, c, other.to_string()),
            }
            .unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn the_roster_template_filled_in_imports_as_it_is() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = secretary_org(&app).await;
    let secretary = app.signed_in("secretary").await;
    let response = secretary
        .get(&format!("/organizations/{org}/members/template"))
        .await;
    assert_eq!(response.status(), 200);
    let mut sheets = sheets_of(&response.bytes().await.unwrap());

    // The roster sheet holds the header alone; the instructions are on their own sheet.
    let names: Vec<&str> = sheets.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(names, ["团员名册", "代码表", "填写说明"]);
    let roster = &mut sheets[0];
    assert!(!roster.1);
    assert!(roster.2.iter().all(|((r, _), _)| *r == 0), "{:?}", roster.2);
    assert_eq!(roster.2.len(), 9);
    let column = |title: &str| {
        roster
            .2
            .iter()
            .find(|(_, v)| matches!(v, Data::String(s) if s == title))
            .map(|((_, c), _)| *c)
            .unwrap_or_else(|| panic!("no column {title}"))
    };
    let places: Vec<u32> = ["姓名", "身份证号码", "入团年月", "民族", "政治面貌"]
        .into_iter()
        .map(column)
        .collect();
    let notes = &sheets[2].2;
    assert!(notes[0].1.to_string().contains("社会事业局团支部团员名册"));

    // Two members, typed the way the dropdowns offer the codes.
    let (a, b) = (id_born((2001, 4, 2), 31), id_born((1999, 12, 30), 42));
    for (r, (name, id, joined)) in [("王小明", &a, "2016-05"), ("李梅", &b, "2015年6月")]
        .into_iter()
        .enumerate()
    {
        let row = 1 + r as u32;
        for (c, value) in
            places
                .iter()
                .zip([name, id.as_str(), joined, "汉族", "中国共产主义青年团团员"])
        {
            sheets[0].2.push(((row, *c), Data::String(value.into())));
        }
    }
    let response = upload(&secretary, org, rebuild(&sheets)).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let (_, page) = secretary.follow(response).await;
    assert!(page.contains("已从名册导入 2 名团员"), "{page}");
    assert_eq!(members_in(&app, org).await, 2);
}

#[tokio::test]
async fn a_roster_from_another_system_with_a_two_level_header_imports_without_retyping() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = secretary_org(&app).await;
    let secretary = app.signed_in("secretary").await;
    let (a, b) = (id_born((2001, 4, 2), 31), id_born((1999, 12, 30), 42));
    let rows: [&[&str]; 9] = [
        &["某公司团支部团员花名册"],
        &[
            "序号",
            "基本情况",
            "",
            "",
            "",
            "",
            "团籍情况",
            "",
            "",
            "",
            "联系方式",
            "备注",
        ],
        &[
            "",
            "姓名",
            "性别",
            "民族",
            "出生日期",
            "身份证号码",
            "入团时间",
            "政治面貌",
            "团内职务",
            "学历",
            "手机号码",
            "",
        ],
        &[
            "1",
            "王小明",
            "男",
            "汉族",
            "2001-04-02",
            &a,
            "2016年5月",
            "共青团员",
            "团支部书记",
            "大学本科",
            "13800001111",
            "新入职",
        ],
        &[
            "2",
            "李 梅",
            "女",
            "汉族",
            "1999-12-30",
            &b,
            "2015-06",
            "共青团员",
            "",
            "",
            "",
            "",
        ],
        &["合计", "2人"],
        &["3"],
        &[],
        &["填表人：赵六", "", "", "", "", "", "审核人：钱七"],
    ];
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            if !value.is_empty() {
                sheet.write_string(r as u32, c as u16, *value).unwrap();
            }
        }
    }
    sheet
        .merge_range(1, 1, 1, 5, "基本情况", &rust_xlsxwriter::Format::new())
        .unwrap();
    sheet
        .merge_range(1, 6, 1, 9, "团籍情况", &rust_xlsxwriter::Format::new())
        .unwrap();
    sheet
        .merge_range(1, 0, 2, 0, "序号", &rust_xlsxwriter::Format::new())
        .unwrap();
    let response = upload(&secretary, org, book.save_to_buffer().unwrap()).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let (_, page) = secretary.follow(response).await;
    assert!(page.contains("已从名册导入 2 名团员"), "{page}");
    let (post, joined): (Option<String>, chrono::NaiveDate) =
        sqlx::query_as("select league_post, joined_on from member where name = '王小明'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(post.as_deref(), Some("团支部书记"));
    assert_eq!(joined, chrono::NaiveDate::from_ymd_opt(2016, 5, 1).unwrap());
    assert_eq!(members_in(&app, org).await, 2);
}

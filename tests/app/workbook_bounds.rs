//! Workbooks as offices send them, and as attackers might (issue 15): a sheet that reaches
//! XFD1048576 is refused by every path with the cell named (it used to abort the server),
//! and a template whose first sheet is a hidden list of dropdown values is read from its
//! first visible sheet with the header.

use reqwest::multipart::{Form, Part};
use rust_xlsxwriter::Workbook;

use crate::helpers::{Client, TestApp};
use crate::members::{id_born, secretary_org};
use crate::survey::{fingerprint, import};
use crate::workbooks::SAMPLE_XLSX;

/// One value in A1 and one in the last cell a sheet has.
fn far_cell() -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "姓名").unwrap();
    sheet.write_string(1_048_575, 16_383, "远").unwrap();
    book.save_to_buffer().unwrap()
}

/// Posts `bytes` as the form's file to `path`, and the page the answer leads to.
async fn upload(client: &Client, path: &str, bytes: Vec<u8>) -> (u16, String) {
    let form = Form::new()
        .text("csrf_token", client.csrf().await)
        .part("file", Part::bytes(bytes).file_name("上传.xlsx"));
    let response = client
        .http
        .post(client.url(path))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    if response.status().is_redirection() {
        let to = response.headers()["location"].to_str().unwrap().to_string();
        let (status, page) = client.get_text(&to).await;
        return (status, page);
    }
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn a_sheet_reaching_the_last_cell_is_refused_by_every_path_and_names_the_cell() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = secretary_org(&app).await;
    let before = fingerprint(&app).await;

    let secretary = app.signed_in("secretary").await;
    let path = format!("/organizations/{org}/members/import");
    let (status, page) = upload(&secretary, &path, far_cell()).await;
    assert!(status < 500, "{status}");
    assert!(
        page.contains("使用范围过大") && page.contains("XFD1048576"),
        "{page}"
    );

    let committee = app.signed_in("committee").await;
    let (status, page) = upload(&committee, "/surveys/upload", far_cell()).await;
    assert!(status < 500, "{status}");
    assert!(
        page.contains("使用范围过大") && page.contains("XFD1048576"),
        "{page}"
    );
    assert_eq!(fingerprint(&app).await, before);

    // The command line says so too, and exits 1 instead of aborting (134).
    let file = std::env::temp_dir().join(format!("far-cell-{}.xlsx", std::process::id()));
    std::fs::write(&file, far_cell()).unwrap();
    let url = crate::cluster::url_of(&app.db);
    let out = tokio::task::spawn_blocking(move || {
        crate::cluster::binary()
            .env("DATABASE_URL", url)
            .args(["survey", "import"])
            .arg(&file)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("XFD1048576"), "{said}");
}

#[tokio::test]
async fn a_roster_behind_a_hidden_sheet_of_dropdown_values_is_read_from_the_visible_sheet() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = secretary_org(&app).await;
    let mut book = Workbook::new();
    let lists = book.add_worksheet().set_name("下拉选项").unwrap();
    for (r, value) in ["男", "女", "汉族", "维吾尔族"].iter().enumerate() {
        lists.write_string(r as u32, 0, *value).unwrap();
    }
    lists.set_hidden(true);
    let roster = book.add_worksheet().set_name("团员名册").unwrap();
    let header = crate::roster_import::HEADER;
    let id = id_born((2001, 4, 5), 21);
    let row = [
        "王小明",
        "男",
        "汉族",
        &id,
        "",
        "2016-05",
        "",
        "共青团员",
        "",
    ];
    for (c, (title, value)) in header.iter().zip(row).enumerate() {
        roster.write_string(0, c as u16, *title).unwrap();
        roster.write_string(1, c as u16, value).unwrap();
    }
    roster.set_active(true);
    let bytes = book.save_to_buffer().unwrap();

    let secretary = app.signed_in("secretary").await;
    let path = format!("/organizations/{org}/members/import");
    let (status, page) = upload(&secretary, &path, bytes).await;
    assert!(status < 500, "{status}");
    assert!(!page.contains("找不到表头"), "{page}");
    let added: i64 = sqlx::query_scalar("select count(*) from member where name = '王小明'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(added, 1, "{page}");
}

#[tokio::test]
async fn a_page_lists_the_first_200_faults_and_counts_them_all() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = secretary_org(&app).await;
    let names: Vec<String> = (0..300).map(|i| format!("错{i}")).collect();
    let rows: Vec<[&str; 9]> = names
        .iter()
        .map(|name| {
            [
                name.as_str(),
                "男",
                "汉族",
                "12345",
                "",
                "2016-05",
                "",
                "共青团员",
                "",
            ]
        })
        .collect();
    let secretary = app.signed_in("secretary").await;
    let path = format!("/organizations/{org}/members/import");
    let (status, page) = upload(&secretary, &path, crate::roster_import::roster(&rows)).await;
    assert!(status < 500, "{status}");
    let count = page.split("发现 ").nth(1).and_then(|s| s.split(' ').next());
    let count: usize = count.and_then(|n| n.parse().ok()).expect("the fault count");
    assert!(count >= 300, "{count}");
    assert!(page.contains("下面列出前 200 处"));
    let table = page.split("data-testid=\"faults\"").nth(1).unwrap();
    assert_eq!(table.matches("<tr><td class=\"num\">").count(), 200);
}

/// The sample's sheet twice: "上半年" as it is, and "下半年" as of 1 December.
pub(crate) fn two_rounds_in_one_workbook() -> Vec<u8> {
    use crate::workbooks::{Cell, grid};
    let first = grid(SAMPLE_XLSX);
    let second: Vec<Vec<Cell>> = first
        .iter()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Cell::Text(t) => Cell::Text(t.replace("2018年6月1日", "2018年12月1日")),
                    other => other.clone(),
                })
                .collect()
        })
        .collect();
    assert_ne!(first, second, "the sample names its date as 2018年6月1日");
    let mut book = Workbook::new();
    for (name, rows) in [("上半年", &first), ("下半年", &second)] {
        crate::workbooks::write_grid(book.add_worksheet().set_name(name).unwrap(), rows);
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_workbook_with_two_survey_sheets_lets_the_committee_choose_which_to_import() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let form = Form::new().text("csrf_token", committee.csrf().await).part(
        "file",
        Part::bytes(two_rounds_in_one_workbook()).file_name("两轮.xlsx"),
    );
    let response = committee
        .http
        .post(committee.url("/surveys/upload"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let preview = response.headers()["location"].to_str().unwrap().to_string();

    let (_, page) = committee.get_text(&preview).await;
    assert!(page.contains("检查通过：工作表“上半年”"), "{page}");
    assert!(page.contains("本工作簿中有 2 个工作表含摸排表头"), "{page}");
    let link = format!("{preview}?sheet=%E4%B8%8B%E5%8D%8A%E5%B9%B4");
    assert!(page.contains(&format!("href=\"{link}\"")), "{page}");

    let (status, page) = committee.get_text(&link).await;
    assert_eq!(status, 200);
    assert!(page.contains("检查通过：工作表“下半年”") && page.contains("2018-12-01"));
    assert!(page.contains("name=\"sheet\" value=\"下半年\""));
    let response = committee
        .post_form(&format!("{preview}/commit"), &[("sheet", "下半年")])
        .await;
    assert_eq!(response.status(), 303);
    let rounds: Vec<chrono::NaiveDate> = sqlx::query_scalar("select as_of from survey")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(
        rounds,
        [chrono::NaiveDate::from_ymd_opt(2018, 12, 1).unwrap()]
    );
}

/// A roster workbook with a sheet per branch: 一支部 (甲一) and 二支部 (乙二).
pub(crate) fn two_branch_roster() -> Vec<u8> {
    let mut book = Workbook::new();
    for (n, (name, member)) in [("一支部", "甲一"), ("二支部", "乙二")].iter().enumerate()
    {
        let sheet = book.add_worksheet().set_name(*name).unwrap();
        let id = id_born((2001, 4, 5), 21 + 2 * n as u16);
        let row = [
            *member,
            "男",
            "汉族",
            &id,
            "",
            "2016-05",
            "",
            "共青团员",
            "",
        ];
        for (c, (title, value)) in crate::roster_import::HEADER.iter().zip(row).enumerate() {
            sheet.write_string(0, c as u16, *title).unwrap();
            sheet.write_string(1, c as u16, value).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_roster_with_two_branch_sheets_asks_which_to_import_and_imports_that_one() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = secretary_org(&app).await;
    let bytes = two_branch_roster();
    let secretary = app.signed_in("secretary").await;
    let path = format!("/organizations/{org}/members/import");
    let send = |sheet: Option<&'static str>| {
        let (bytes, secretary, path) = (bytes.clone(), &secretary, &path);
        async move {
            let mut form = Form::new().text("csrf_token", secretary.csrf().await);
            if let Some(sheet) = sheet {
                form = form.text("sheet", sheet);
            }
            let form = form.part("file", Part::bytes(bytes).file_name("两个支部.xlsx"));
            secretary
                .http
                .post(secretary.url(path))
                .multipart(form)
                .send()
                .await
                .unwrap()
        }
    };

    let response = send(None).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("工作簿中有 2 个工作表含名册表头（一支部、二支部）"),
        "{page}"
    );
    assert!(page.contains("<option value=\"二支部\">"));
    let members = || async {
        sqlx::query_scalar::<_, String>("select name from member order by name")
            .fetch_all(&app.db)
            .await
            .unwrap()
    };
    assert!(members().await.is_empty());

    let response = send(Some("二支部")).await;
    let (_, page) = secretary.follow(response).await;
    assert!(page.contains("读取的工作表：二支部"), "{page}");
    assert_eq!(members().await, ["乙二"]);
}

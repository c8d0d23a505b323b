//! Importing a sign-in sheet (签到表) into an activity's participants (issue 16 item 2):
//! roster members found by name, other youth by phone, hours from 时长 or from the sign-in
//! and sign-out times, all or nothing with every fault by row and column, and the scope.

use reqwest::multipart::{Form, Part};

use crate::helpers::{Client, TestApp};
use crate::members::{new_member, secretary_org, store};
use crate::survey::import;
use crate::workbooks::{Cell, SAMPLE_XLSX, xlsx};

const HEADER: [&str; 6] = ["姓名", "手机号", "单位", "签到时间", "签退时间", "时长"];

fn t(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.into())
    }
}

/// A sheet with a title row above the header, and `rows` below it.
fn sheet(rows: Vec<Vec<Cell>>) -> Vec<u8> {
    let mut grid = vec![
        vec![t("青年环保行签到表")],
        HEADER.iter().map(|h| t(h)).collect(),
    ];
    grid.extend(rows);
    xlsx(&grid)
}

/// The secretary's branch with the member 名册甲, and its volunteer activity of
/// 09:00–18:30 Beijing time (9.5 hours), recorded by the secretary.
async fn branch_activity(app: &TestApp, secretary: &Client) -> String {
    import(app, SAMPLE_XLSX).await.unwrap();
    let branch = secretary_org(app).await;
    let born = chrono::NaiveDate::from_ymd_opt(2000, 2, 3).unwrap();
    store(app, &[new_member(branch, "名册甲".into(), born, 11)]).await;
    let response = secretary
        .post_form(
            "/activities",
            &[
                ("organization_id", &branch.to_string()),
                ("kind", "volunteer"),
                ("title", "青年环保行，助力环塔赛"),
                ("starts_at", "2018-06-09T09:00"),
                ("ends_at", "2018-06-09T18:30"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    response.headers()["location"].to_str().unwrap().to_string()
}

async fn upload(client: &Client, page: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = Form::new()
        .text("csrf_token", client.csrf().await)
        .part("file", Part::bytes(bytes).file_name("签到表.xlsx"));
    client
        .http
        .post(client.url(&format!("{page}/participants/import")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// Everyone taking part: (name, member or not, hours in tenths), in the order added.
async fn taking_part(app: &TestApp) -> Vec<(String, bool, Option<i32>)> {
    sqlx::query_as(
        "select coalesce(m.name, p.person_name), p.member_id is not null, p.hours_tenths
           from participation p left join member m using (member_id)
          order by p.participation_id",
    )
    .fetch_all(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_clean_sheet_adds_the_member_and_the_youth_with_their_hours() {
    let app = TestApp::spawn().await;
    let secretary = app.signed_in("secretary").await;
    let page = branch_activity(&app, &secretary).await;
    let rows = vec![
        // 09:00 to 11:45 is 2.75 hours, rounded down to 2.7.
        vec![t("名册甲"), t("13800000001"), t(""), t("09:00"), t("11:45")],
        // Excel times: 09:00 to 12:00.
        vec![
            t("李 青"),
            t("13900000002"),
            t("某某中学"),
            Cell::Number(0.375),
            Cell::Number(0.5),
        ],
        vec![
            t("王青"),
            Cell::Number(13700000003.0),
            t("某某公司"),
            t(""),
            t(""),
            t("2.5"),
        ],
    ];
    let response = upload(&secretary, &page, sheet(rows.clone())).await;
    assert_eq!(response.status(), 303);
    let (_, body) = secretary.follow(response).await;
    assert!(
        body.contains("新增团员 1 人、青年 2 人，更新已登记人员 0 人"),
        "{body}"
    );
    assert!(body.contains("139****0002"));
    assert!(!body.contains("13900000002"));
    assert_eq!(
        taking_part(&app).await,
        [
            ("名册甲".to_string(), true, Some(27)),
            ("李青".to_string(), false, Some(30)),
            ("王青".to_string(), false, Some(25)),
        ]
    );
    assert_eq!(app.audit_count("activity.participants_imported").await, 1);
    let audit: String = sqlx::query_scalar(
        "select after::text from audit_event where action = 'activity.participants_imported'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(!audit.contains("13900000002"), "{audit}");

    // The same people again, with other hours: no second row, their hours set.
    let mut again = rows;
    again[2][5] = t("3");
    let response = upload(&secretary, &page, sheet(again)).await;
    assert_eq!(response.status(), 303);
    let (_, body) = secretary.follow(response).await;
    assert!(body.contains("更新已登记人员 3 人"), "{body}");
    let now = taking_part(&app).await;
    assert_eq!(now.len(), 3);
    assert_eq!(now[2].2, Some(30));
}

#[tokio::test]
async fn a_faulty_sheet_names_every_fault_by_row_and_column_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let secretary = app.signed_in("secretary").await;
    let page = branch_activity(&app, &secretary).await;
    let rows = vec![
        vec![t("李青"), t("13900000002"), t(""), t(""), t(""), t("2")],
        vec![t(""), t("13900000004"), t(""), t(""), t(""), t("2")],
        vec![t("赵青"), t("12345"), t(""), t(""), t(""), t("2")],
        vec![t("钱青"), t("13900000005"), t(""), t("10:00"), t("09:00")],
        vec![t("孙青"), t("13900000006"), t(""), t(""), t(""), t("12")],
        vec![t("周青"), t("13900000002"), t(""), t(""), t(""), t("1")],
    ];
    let response = upload(&secretary, &page, sheet(rows)).await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    assert!(body.contains("发现 5 处错误"), "{body}");
    for fault in [
        "第4行 姓名：",
        "第5行 手机号：不是有效的11位手机号码",
        "第6行 签退时间：签退时间早于签到时间",
        "第7行 时长：服务时长不能超过活动时长（9.5小时）",
        "第8行 手机号：与第3行的手机号重复",
    ] {
        assert!(body.contains(fault), "{fault} in {body}");
    }
    assert!(taking_part(&app).await.is_empty());
    assert_eq!(app.audit_count("activity.participants_imported").await, 0);

    // No file, or a file that is no sign-in sheet: refused with the reason.
    let response = upload(&secretary, &page, xlsx(&[vec![t("单位"), t("人数")]])).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("找不到表头"));
}

#[tokio::test]
async fn only_the_organisers_reporters_may_import() {
    let app = TestApp::spawn().await;
    let secretary = app.signed_in("secretary").await;
    let page = branch_activity(&app, &secretary).await;
    let rows = || {
        sheet(vec![vec![
            t("李青"),
            t("13900000002"),
            t(""),
            t(""),
            t(""),
            t("2"),
        ]])
    };

    let anonymous = app.client();
    let response = upload(&anonymous, &page, rows()).await;
    assert!(response.status().is_redirection() || response.status() == 403);
    if response.status().is_redirection() {
        let to = response.headers()["location"].to_str().unwrap();
        assert!(to.starts_with("/login"), "{to}");
    }
    let leader = app.signed_in("leader").await;
    assert_eq!(upload(&leader, &page, rows()).await.status(), 403);
    let other = app.signed_in("secretary2").await;
    assert_eq!(upload(&other, &page, rows()).await.status(), 404);
    assert!(taking_part(&app).await.is_empty());

    // The activity page offers the form to those who may use it.
    let (_, body) = secretary.get_text(&page).await;
    assert!(body.contains("导入签到表"), "{body}");
}

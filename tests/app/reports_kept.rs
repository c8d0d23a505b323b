//! Reports the staff keep: a draft's words around the figures, the editor marking the
//! figures that changed since the last save, bad input refused with nothing written, and
//! a finalised report that no later change of the data alters (issue 17 item 4).

use serde_json::Value;

use crate::helpers::{Client, TestApp};
use crate::participation::flashed;
use crate::survey::import_sample;

/// The committee's draft of 2018H1 (opened from the report page); its path.
async fn draft(committee: &Client) -> String {
    let response = committee
        .post_form("/reports", &[("period", "2018H1"), ("survey", "")])
        .await;
    assert_eq!(response.status(), 303);
    let to = response.headers()["location"].to_str().unwrap().to_string();
    assert!(to.ends_with("/edit"), "{to}");
    to.trim_end_matches("/edit").to_string()
}

async fn api(client: &Client) -> Value {
    let response = client
        .get("/api/v1/reports/work-summary?period=2018H1")
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn change_the_figures(app: &TestApp) {
    sqlx::query(
        "update survey_entry set members = members + 100, youth = youth + 100, staff = staff + 100
          where unit_id = (select unit_id from unit where name = '开发区自然资源局')",
    )
    .execute(&app.db)
    .await
    .unwrap();
}

#[tokio::test]
async fn the_staffs_words_stay_around_the_figures_and_the_editor_marks_what_changed() {
    let app = TestApp::spawn().await;
    import_sample(&app).await;
    let committee = app.signed_in("committee").await;
    let report = draft(&committee).await;
    assert_eq!(
        draft(&committee).await,
        report,
        "one draft per period and round"
    );
    assert_eq!(app.audit_count("work_report.drafted").await, 1);

    let (status, editor) = committee.get_text(&format!("{report}/edit")).await;
    assert_eq!(status, 200);
    assert!(editor.contains("共摸底团员人数1779人"));
    assert!(!editor.contains("data-testid=\"changed\""));
    let saved = flashed(
        &committee,
        &report,
        &[
            ("title", "开发区团工委工作总结及工作计划汇报"),
            (
                "opening",
                "2018年，团工委在州团委和开发区党工委坚强领导下开展工作。",
            ),
            ("heading:organization", "夯实工作基础，健全开发区基层团组织"),
            ("words:organization", "基层团组织是团的基本细胞。"),
            ("closing", "请各位领导批评指正。"),
        ],
    )
    .await;
    assert!(saved.contains("报告已保存"), "{saved}");
    assert!(saved.contains("（一）夯实工作基础，健全开发区基层团组织。"));
    assert!(saved.contains("建团申请待批复。基层团组织是团的基本细胞。"));
    let published = api(&app.signed_in("leader").await).await;
    assert_eq!(published["title"], "开发区团工委工作总结及工作计划汇报");
    let first = published["sections"][0]["items"][0]["text"]
        .as_str()
        .unwrap();
    assert!(first.ends_with("基层团组织是团的基本细胞。"), "{first}");

    // The data change: the figures follow, and the editor says which item changed.
    change_the_figures(&app).await;
    let (_, editor) = committee.get_text(&format!("{report}/edit")).await;
    assert!(
        editor.contains("共摸底团员人数1879人"),
        "the figures follow the data"
    );
    assert!(
        editor.contains("有 <strong>1</strong> 项的数字发生了变化"),
        "{editor}"
    );
    assert!(editor.contains("数据已变化，上次保存时为：截止6月1日"));
    assert!(editor.contains("团员人数1779人"));
    assert!(
        editor.contains("基层团组织是团的基本细胞。"),
        "the words are kept"
    );

    // Bad input: every fault named, nothing written.
    let audits = app.audit_count("work_report.saved").await;
    let long = "长".repeat(101);
    let response = committee
        .post_form(
            &report,
            &[
                ("title", long.as_str()),
                ("words:organization", "新的文字"),
                ("words:nosuchitem", "x"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("标题不能超过100个字"), "{page}");
    assert!(page.contains("报告中没有这一项，请刷新页面后重试"));
    assert!(
        page.contains("新的文字"),
        "what was typed stays in the form"
    );
    assert_eq!(app.audit_count("work_report.saved").await, audits);
    let words: Value = sqlx::query_scalar("select words from work_report")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(words["organization"]["text"], "基层团组织是团的基本细胞。");
}

#[tokio::test]
async fn a_finalised_report_does_not_change_when_the_data_do() {
    let app = TestApp::spawn().await;
    let round = import_sample(&app).await;
    let committee = app.signed_in("committee").await;
    let report = draft(&committee).await;
    flashed(
        &committee,
        &report,
        &[("words:organization", "已全部督促。")],
    )
    .await;
    let (_, page) = committee.get_text(&report).await;
    assert!(page.contains("data-confirm=\"报送后报告将定稿"));
    let done = flashed(&committee, &format!("{report}/finalise"), &[]).await;
    assert!(done.contains("报告已报送"), "{done}");
    assert_eq!(app.audit_count("work_report.finalised").await, 1);
    let leader = app.signed_in("leader").await;
    let before = api(&leader).await;
    let (_, shown_before) = leader.get_text(&report).await;

    change_the_figures(&app).await;
    let org = app.committee_org().await;
    committee
        .post_form(
            "/activities",
            &[
                ("organization_id", &org),
                ("kind", "volunteer"),
                ("title", "定稿后补录的志愿活动"),
                ("starts_at", "2018-05-20T09:00"),
                ("ends_at", "2018-05-20T12:00"),
            ],
        )
        .await;
    assert_eq!(api(&leader).await, before, "the API answers the snapshot");
    let (_, shown) = leader.get_text(&report).await;
    assert_eq!(shown, shown_before);
    assert!(
        shown.contains(">1779</a>人"),
        "the snapshot keeps its figures and links"
    );
    let live = leader
        .get_text(&format!(
            "/reports/work-summary?period=2018H1&survey={round}"
        ))
        .await
        .1;
    assert!(
        live.contains("定稿后补录的志愿活动"),
        "another round's view is live"
    );

    // No change goes through, not even straight in the database.
    let refused = flashed(&committee, &report, &[("words:organization", "改")]).await;
    assert!(refused.contains("该报告已报送，不能再修改"), "{refused}");
    let direct = sqlx::query("update work_report set opening = '改'")
        .execute(&app.db)
        .await;
    assert!(
        direct.is_err(),
        "the database refuses to change a final report"
    );

    // A new draft starts from its words.
    let response = committee.post_form(&format!("{report}/copy"), &[]).await;
    assert_eq!(response.status(), 303);
    let to = response.headers()["location"].to_str().unwrap().to_string();
    assert_ne!(to, format!("{report}/edit"));
    let (_, editor) = committee.get_text(&to).await;
    assert!(editor.contains("已全部督促。"));
    assert!(
        editor.contains("共摸底团员人数1879人"),
        "the new draft reads today's data"
    );
}

#[tokio::test]
async fn leaders_read_kept_reports_but_only_the_committee_writes_them() {
    let app = TestApp::spawn().await;
    import_sample(&app).await;
    let committee = app.signed_in("committee").await;
    let report = draft(&committee).await;
    let leader = app.signed_in("leader").await;
    let (status, page) = leader.get_text(&report).await;
    assert_eq!(status, 200);
    assert!(!page.contains("编辑文字") && !page.contains("报送</button>"));
    for path in [
        report.clone(),
        format!("{report}/finalise"),
        format!("{report}/copy"),
    ] {
        let response = leader
            .post_form(&path, &[("words:organization", "x")])
            .await;
        assert_eq!(response.status(), 403, "{path}");
    }
    assert_eq!(leader.get(&format!("{report}/edit")).await.status(), 403);
    assert_eq!(committee.get("/reports/999999").await.status(), 404);
    let (_, list) = leader.get_text("/reports").await;
    assert!(list.contains("2018年上半年") && list.contains("草稿"));
    let bad = flashed(&committee, "/reports", &[("period", "2018H5")]).await;
    assert!(bad.contains("请选择报告的期间"), "{bad}");
}

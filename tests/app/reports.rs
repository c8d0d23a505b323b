//! The work summary and plan written from the data (issue 17 item 4): section 一(一) carries
//! the round's figures in the seed's sentence, for the sample workbook and for another one;
//! the period's activities appear and others do not; leaders and the committee read it,
//! the API answers DESIGN.md §6's keys, bad parameters get a clear 400.

use chrono::NaiveDate;
use serde_json::Value;
use tuanjian::services::survey_import::import_survey;

use crate::helpers::TestApp;
use crate::survey::{actor, import_sample};
use crate::workbooks::{self, Cell, SAMPLE_XLSX};

/// The report of `query` through the API, as the leader reads it.
async fn summary(app: &TestApp, query: &str) -> Value {
    let leader = app.signed_in("leader").await;
    let response = leader
        .get(&format!("/api/v1/reports/work-summary?{query}"))
        .await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.unwrap()
}

fn item(report: &Value, section: usize, item: usize) -> String {
    let item = &report["sections"][section]["items"][item];
    format!(
        "{}{}。{}",
        item["number"].as_str().unwrap(),
        item["heading"].as_str().unwrap(),
        item["text"].as_str().unwrap()
    )
}

fn text(t: &str) -> Cell {
    Cell::Text(t.into())
}

/// A small round of six units as of 2018-12-31, in the sample's layout (its four header
/// rows), with the figures the test knows: 2 operating enterprises of 3, 2 departments and
/// 1 community, 17 members, 60 youth, 2 enterprises with members and 1 with an
/// organisation, 1 department approved and 1 applying.
fn second_workbook() -> Vec<u8> {
    let mut grid: Vec<Vec<Cell>> = workbooks::grid(SAMPLE_XLSX).into_iter().take(4).collect();
    grid[1] = vec![text(
        "填报单位：开发区团工委（盖章）            统计截止日期：2018年12月31日",
    )];
    let row = |n: f64,
               name: &str,
               kind: &str,
               status: &str,
               staff: f64,
               youth: f64,
               members: f64,
               org: &str,
               approval: &str| {
        vec![
            Cell::Number(n),
            text(name),
            text(kind),
            Cell::Empty,
            if status.is_empty() {
                Cell::Empty
            } else {
                text(status)
            },
            Cell::Number(staff),
            Cell::Number(youth),
            Cell::Number(members),
            text(if org.is_empty() { "否" } else { "是" }),
            if org.is_empty() {
                Cell::Empty
            } else {
                text(org)
            },
            if org.is_empty() {
                Cell::Empty
            } else {
                text("团支部")
            },
            if approval.is_empty() {
                Cell::Empty
            } else {
                text(approval)
            },
            if org.is_empty() {
                Cell::Empty
            } else {
                text("2018-11-20")
            },
        ]
    };
    grid.extend([
        row(
            1.0,
            "开发区甲局",
            "部门",
            "",
            20.0,
            10.0,
            5.0,
            "甲局团支部",
            "已批复",
        ),
        row(2.0, "开发区乙局", "部门", "", 20.0, 8.0, 4.0, "", "已申请"),
        row(3.0, "丙社区", "社区", "", 10.0, 3.0, 0.0, "", ""),
        row(
            4.0,
            "丁能源有限公司",
            "企业",
            "运行",
            50.0,
            20.0,
            6.0,
            "丁能源团支部",
            "已批复",
        ),
        row(
            5.0,
            "戊化工有限公司",
            "企业",
            "运行",
            40.0,
            15.0,
            0.0,
            "",
            "",
        ),
        row(
            6.0,
            "己建材有限公司",
            "企业",
            "在建",
            10.0,
            4.0,
            2.0,
            "",
            "",
        ),
    ]);
    workbooks::xlsx(&grid)
}

#[tokio::test]
async fn section_one_writes_each_rounds_figures_into_the_seeds_sentence() {
    let app = TestApp::spawn().await;
    let first = import_sample(&app).await;
    sqlx::query("update survey set formation_deadline = '2018-08-31' where survey_id = $1")
        .bind(first)
        .execute(&app.db)
        .await
        .unwrap();
    let h1 = summary(&app, "period=2018H1").await;
    assert_eq!(h1["period"], "2018H1");
    assert_eq!(h1["survey_as_of"], "2018-06-01");
    assert_eq!(h1["sections"][0]["number"], "一");
    assert_eq!(h1["sections"][0]["heading"], "2018年上半年工作开展情况");
    assert_eq!(h1["sections"][1]["heading"], "2019年工作安排");
    assert_eq!(
        item(&h1, 0, 0),
        "（一）夯实工作基础，健全基层团组织。截止6月1日，共计摸排实体运行企业399家，\
         部门22个（16个部门、6个社区）。共摸底团员人数1779人，青年人数12231人；\
         其中有团员的企业26家，已组建团组织的24家；已获取批复的部门及社区有11个，\
         另有4个部门及社区的建团申请待批复。\
         确保8月底前所有具备建立团支部条件的部门、社区及企业完成团支部的建立。"
    );

    // A second, different round: the second half year reads it by default, the first
    // half still the sample's, and naming a round reads that one.
    let second = import_survey(&app.db, second_workbook(), None, &actor(), app.clock.now())
        .await
        .unwrap();
    assert_eq!(second.as_of, NaiveDate::from_ymd_opt(2018, 12, 31).unwrap());
    let expected = "（一）夯实工作基础，健全基层团组织。截止12月31日，共计摸排实体运行企业2家，\
         部门3个（2个部门、1个社区）。共摸底团员人数17人，青年人数60人；\
         其中有团员的企业2家，已组建团组织的1家；已获取批复的部门及社区有1个，\
         另有1个部门及社区的建团申请待批复。";
    let h2 = summary(&app, "period=2018H2").await;
    assert_eq!(item(&h2, 0, 0), expected);
    assert_eq!(h2["sections"][0]["heading"], "2018年下半年工作开展情况");
    assert!(item(&summary(&app, "period=2018H1").await, 0, 0).contains("399家"));
    let named = summary(&app, &format!("period=2018&survey={}", second.survey_id.0)).await;
    assert_eq!(item(&named, 0, 0), expected);
    assert_eq!(named["survey_as_of"], "2018-12-31");
    let named = summary(&app, &format!("period=2018&survey={first}")).await;
    assert!(item(&named, 0, 0).contains("截止6月1日"));

    // The page links each figure to the units behind it.
    let committee = app.signed_in("committee").await;
    let (status, page) = committee
        .get_text("/reports/work-summary?period=2018H1")
        .await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!(
        "<a class=\"fig\" href=\"/units?kind=enterprise&#38;status=运行&#38;in_round=true&#38;survey={first}\">399</a>"
    )), "{page}");
    assert!(page.contains("2018年上半年工作开展情况"));
}

/// Records an activity through the form as the committee; its id.
async fn record(app: &TestApp, title: &str, kind: &str, day: &str) -> i64 {
    let committee = app.signed_in("committee").await;
    let org = app.committee_org().await;
    let response = committee
        .post_form(
            "/activities",
            &[
                ("organization_id", &org),
                ("kind", kind),
                ("title", title),
                ("starts_at", &format!("{day}T09:00")),
                ("ends_at", &format!("{day}T12:00")),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    location.trim_start_matches("/activities/").parse().unwrap()
}

#[tokio::test]
async fn the_periods_activities_appear_with_their_dates_and_others_do_not() {
    let app = TestApp::spawn().await;
    import_sample(&app).await;
    let rally = record(&app, "青年环保行，助力环塔赛", "volunteer", "2018-06-09").await;
    record(
        &app,
        "“美丽中国，青年先行者”环保宣传片大赛",
        "contest",
        "2018-06-28",
    )
    .await;
    record(&app, "秋季植树活动", "volunteer", "2018-09-15").await;
    let cancelled = record(&app, "取消的联谊会", "other", "2018-05-01").await;
    sqlx::query("update activity set state = 'cancelled' where activity_id = $1")
        .bind(cancelled)
        .execute(&app.db)
        .await
        .unwrap();
    sqlx::query(
        "insert into activity_unit (activity_id, unit_id, role)
         select $1, unit_id, 'participant' from unit order by unit_id limit 5",
    )
    .bind(rally)
    .execute(&app.db)
    .await
    .unwrap();

    let h1 = summary(&app, "period=2018H1").await;
    assert_eq!(
        item(&h1, 0, 1),
        "（二）加强志愿者服务，开展志愿服务活动。6月9日，开发区团工委组织开展\
         “青年环保行，助力环塔赛”，5家单位参加。"
    );
    assert_eq!(
        item(&h1, 0, 2),
        "（三）积极搭建平台，展现青年风采。6月28日，开发区团工委组织开展\
         “美丽中国，青年先行者”环保宣传片大赛。"
    );
    let all = h1.to_string();
    assert!(!all.contains("秋季植树活动"), "outside the period");
    assert!(!all.contains("取消的联谊会"), "cancelled");
    let h2 = summary(&app, "period=2018H2").await;
    assert!(item(&h2, 0, 1).contains("9月15日，开发区团工委组织开展“秋季植树活动”"));
    assert!(!h2.to_string().contains("环塔赛"));
}

#[tokio::test]
async fn secretaries_and_administrators_cannot_read_reports_and_bad_parameters_are_named() {
    let app = TestApp::spawn().await;
    import_sample(&app).await;
    for username in ["secretary", "secretary2", "admin"] {
        let client = app.signed_in(username).await;
        for path in [
            "/reports",
            "/reports/work-summary?period=2018H1",
            "/api/v1/reports/work-summary?period=2018H1",
        ] {
            assert_eq!(client.get(path).await.status(), 403, "{username} {path}");
        }
    }
    let leader = app.signed_in("leader").await;
    for (query, message) in [
        ("period=2018H3", "period 应为年份或半年"),
        ("period=1999", "period 应为年份或半年"),
        ("period=2018&survey=abc", "survey 应为摸排轮次的编号"),
    ] {
        let response = leader
            .get(&format!("/api/v1/reports/work-summary?{query}"))
            .await;
        assert_eq!(response.status(), 400, "{query}");
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains(message), "{body}");
    }
    let response = leader
        .get("/api/v1/reports/work-summary?period=2018&survey=999999")
        .await;
    assert_eq!(response.status(), 404);
    let (status, page) = leader.get_text("/reports").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("2018年上半年"),
        "periods from the first round's year"
    );
}

/// The test database's address, for the command line.
fn database_url(app: &TestApp) -> String {
    let options = app.db.connect_options();
    let host = options.get_socket().map_or_else(
        || options.get_host().to_string(),
        |s| s.display().to_string(),
    );
    format!(
        "postgres://{}@localhost:{}/{}?host={host}",
        options.get_username(),
        options.get_port(),
        options.get_database().unwrap_or("postgres"),
    )
}

#[tokio::test]
async fn the_command_line_writes_the_same_report_as_text() {
    let app = TestApp::spawn().await;
    import_sample(&app).await;
    let dir = std::env::temp_dir().join(format!("tuanjian-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |args: &[&str]| {
        crate::cluster::binary()
            .env("DATABASE_URL", database_url(&app))
            .arg("--data-dir")
            .arg(&dir)
            .args(["report", "work-summary"])
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["--period", "2018H1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let report = summary(&app, "period=2018H1").await;
    assert!(text.starts_with(&format!("{}\n\n", report["title"].as_str().unwrap())));
    assert!(text.contains("\n\n一、2018年上半年工作开展情况\n\n"));
    assert!(
        text.contains(&format!("\n\n{}\n", item(&report, 0, 0))),
        "{text}"
    );
    assert!(text.contains("\n\n二、2019年工作安排"));

    let file = dir.join("report.txt");
    let out = run(&[
        "--period",
        "2018H1",
        "--format",
        "text",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);

    let docx = dir.join("report.docx");
    let out = run(&[
        "--period",
        "2018H1",
        "--format",
        "docx",
        "-o",
        docx.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(xml.contains("2018年上半年工作开展情况") && xml.contains("399"));

    let out = run(&["--period", "2018H3"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--period 应为年份或半年"));
    let out = run(&["--period", "2018", "--survey", "999999"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有这一轮摸排"));
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn the_demos_first_half_of_2018_reads_as_the_seed() {
    let app = TestApp::spawn().await;
    tuanjian::demo::load(&app.state).await.unwrap();
    let h1 = summary(&app, "period=2018H1").await;
    let first = item(&h1, 0, 0);
    for figure in [
        "截止6月1日，共计摸排实体运行企业399家，部门22个（16个部门、6个社区）",
        "共摸底团员人数1779人，青年人数12231人",
        "其中有团员的企业26家，已组建团组织的24家",
        "已获取批复的部门及社区有11个",
        "确保8月底前",
    ] {
        assert!(first.contains(figure), "{figure}: {first}");
    }
    let second = item(&h1, 0, 1);
    assert!(second.starts_with("（二）加强志愿者服务"), "{second}");
    assert!(second.contains("6月9日，开发区团工委组织开展“青年环保行，助力环塔赛”"));
    assert!(second.contains("志愿服务时长共"));
    let third = item(&h1, 0, 2);
    assert!(
        third
            .contains("6月28日，开发区团工委组织开展“美丽中国，青年先行者”环保宣传片大赛，8家单位"),
        "{third}"
    );
    let plan = h1["sections"][1]["items"].as_array().unwrap();
    assert_eq!(plan.len(), 5, "the seed's five 2019 items");
    assert_eq!(
        item(&h1, 1, 0),
        "（一）加强组织领导,明确职责分工,落实专人负责。开发区团工委所有成员均为兼职,\
         且大部门为企业干部,严重影响团的工作不能持续性的推进,应配备专人专岗,\
         以体现该岗位的重要性,从而推动团的工作有序进行。加强对团工委成员进行考核机制,\
         确保兼职干部能够积极发挥应有的作用。"
    );
    assert!(item(&h1, 1, 2).starts_with("（三）创建“青年文明号”。由团工委负责"));
    let fourth = item(&h1, 0, 3);
    assert!(
        fourth.starts_with("（四）组织开发区迎新年暨第三届“好声音”歌唱比赛。1月12日"),
        "{fourth}"
    );
}

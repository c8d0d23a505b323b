//! Contests' bad input and scope (issue 16 item 6): every refused form shows a clear Chinese
//! message and writes nothing; a non-contest has no contest routes; readers see results
//! without forms; writers change only their own organisation's contests; another unit's
//! secretary finds nothing.

use crate::contests::{contest, enterprises, entry_id, flashed, written};
use crate::helpers::TestApp;
use crate::survey::import;
use crate::workbooks::SAMPLE_XLSX;

/// A refused request: path, fields, the message shown.
type Case<'a> = (String, Vec<(&'a str, &'a str)>, &'a str);

#[tokio::test]
async fn bad_contest_input_is_refused_in_chinese_and_writes_nothing() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let committee = app.signed_in("committee").await;
    let page = contest(&committee, &app.committee_org().await, "评比").await;
    let unit = enterprises(&app, 1).await.remove(0);
    committee
        .post_form(
            &format!("{page}/entries"),
            &[("by", "unit"), ("unit", &unit), ("title", "作品")],
        )
        .await;
    let entry = entry_id(&app, "作品").await;
    let before = written(&app).await;
    let audits = app.audit_count("contest.entry_added").await;
    let long = "字".repeat(101);
    let cases: Vec<Case> = vec![
        (
            format!("{page}/entries"),
            vec![("by", "unit"), ("unit", "不存在的公司"), ("title", "x")],
            "找不到名为“不存在的公司”的单位",
        ),
        (
            format!("{page}/entries"),
            vec![("by", "unit"), ("unit", ""), ("title", "x")],
            "单位：请填写单位全称",
        ),
        (
            format!("{page}/entries"),
            vec![("by", "unit"), ("unit", &unit), ("title", " ")],
            "作品名称：请填写",
        ),
        (
            format!("{page}/entries"),
            vec![("by", "person"), ("name", "某人"), ("title", &long)],
            "作品名称：请填写（不超过100个字）",
        ),
        (
            format!("{page}/entries"),
            vec![("by", "person"), ("name", ""), ("title", "歌")],
            "姓名：请填写参赛者姓名",
        ),
        (
            format!("{page}/entries"),
            vec![("title", "歌")],
            "请选择按单位或按个人参赛",
        ),
        (
            format!("{page}/entries/{entry}/scores"),
            vec![("judge", "甲"), ("score", "101")],
            "分数：请填写0到100之间的数",
        ),
        (
            format!("{page}/entries/{entry}/scores"),
            vec![("judge", "甲"), ("score", "87.55")],
            "最多保留一位小数",
        ),
        (
            format!("{page}/entries/{entry}/scores"),
            vec![("judge", "甲"), ("score", "-1")],
            "分数：请填写0到100之间的数",
        ),
        (
            format!("{page}/entries/{entry}/scores"),
            vec![("judge", ""), ("score", "90")],
            "评委：请填写",
        ),
        (
            format!("{page}/entries/999999/scores"),
            vec![("judge", "甲"), ("score", "90")],
            "该参赛作品已不存在",
        ),
        (
            format!("{page}/entries/{entry}/scores/delete"),
            vec![("judge", "无名")],
            "评委“无名”没有给该作品打分",
        ),
        (
            format!("{page}/entries/{entry}/rank"),
            vec![("rank", "0")],
            "名次：请填写1到999之间的整数",
        ),
        (
            format!("{page}/entries/{entry}/award"),
            vec![("award", "organizing")],
            "优秀组织奖颁给单位",
        ),
        (
            format!("{page}/entries/{entry}/award"),
            vec![("award", "gold")],
            "请选择奖项",
        ),
        (
            format!("{page}/contest/method"),
            vec![("method", "median")],
            "请选择计分方式",
        ),
        (
            format!("{page}/awards/by-rank"),
            vec![("first", "0")],
            "获奖数量：请至少为一个奖项填写",
        ),
        (
            format!("{page}/awards/by-rank"),
            vec![("first", "-1")],
            "获奖数量",
        ),
        (
            format!("{page}/awards/by-rank"),
            vec![("first", "1")],
            "还没有作品有成绩或名次",
        ),
        (
            format!("{page}/awards/organizing"),
            vec![("unit", "查无此单位")],
            "找不到名为“查无此单位”的单位",
        ),
    ];
    for (path, fields, message) in &cases {
        let shown = flashed(&committee, path, fields).await;
        assert!(shown.contains(message), "{path} {fields:?}: {message}");
    }
    assert_eq!(written(&app).await, before);
    assert_eq!(app.audit_count("contest.entry_added").await, audits);
    assert_eq!(app.audit_count("contest.scored").await, 0);
    assert_eq!(app.audit_count("contest.awarded").await, 0);

    // Not a contest: the contest's routes find nothing.
    let response = committee
        .post_form(
            "/activities",
            &[
                ("organization_id", &app.committee_org().await),
                ("kind", "volunteer"),
                ("title", "志愿服务"),
                ("starts_at", "2018-06-09T09:00"),
                ("ends_at", "2018-06-09T18:00"),
            ],
        )
        .await;
    let volunteer = response.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(
        committee
            .get(&format!("{volunteer}/results"))
            .await
            .status(),
        404
    );
    let refused = committee
        .post_form(
            &format!("{volunteer}/entries"),
            &[("by", "unit"), ("unit", &unit), ("title", "x")],
        )
        .await;
    assert_eq!(refused.status(), 404);
    assert_eq!(written(&app).await, before);
}

#[tokio::test]
async fn readers_see_results_without_forms_and_writers_only_their_own_contests() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let committee = app.signed_in("committee").await;
    let page = contest(&committee, &app.committee_org().await, "团工委比赛").await;
    let unit = enterprises(&app, 1).await.remove(0);
    committee
        .post_form(
            &format!("{page}/entries"),
            &[("by", "unit"), ("unit", &unit), ("title", "作品甲")],
        )
        .await;
    let (status, shown) = app
        .signed_in("leader")
        .await
        .get_text(&format!("{page}/results"))
        .await;
    assert_eq!(status, 200);
    assert!(shown.contains("作品甲"));
    assert!(!shown.contains("录入评分") && !shown.contains("登记作品"));
    let (_, activity) = committee.get_text(&page).await;
    assert!(activity.contains(&format!("{page}/results")));

    // A secretary's own contest: theirs to record; another unit's secretary finds nothing;
    // the committee's contest is not the secretary's to change.
    let secretary = app.signed_in("secretary").await;
    let org = crate::members::secretary_org(&app).await.to_string();
    let own = contest(&secretary, &org, "支部比赛").await;
    let done = flashed(
        &secretary,
        &format!("{own}/entries"),
        &[("by", "person"), ("name", "王青"), ("title", "歌")],
    )
    .await;
    assert!(done.contains("已登记参赛作品"));
    let other = app.signed_in("secretary2").await;
    assert_eq!(other.get(&format!("{own}/results")).await.status(), 404);
    assert_eq!(
        other.get(&format!("{own}/results/print")).await.status(),
        404
    );
    let refused = other
        .post_form(
            &format!("{own}/entries"),
            &[("by", "person"), ("name", "x"), ("title", "y")],
        )
        .await;
    assert_eq!(refused.status(), 404);
    assert_eq!(
        secretary.get(&format!("{page}/results")).await.status(),
        404
    );
    let entries: i64 = sqlx::query_scalar("select count(*) from contest_entry")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(entries, 2);
}

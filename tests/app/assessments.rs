//! Cadre assessment (团干部考核): the committee enters a cadre's component scores and the
//! score, grade and table follow from the year's weights; weights must sum to 100 and are
//! final once a result exists; 优秀 is capped inside the transaction, also for two
//! submissions at once; bad input writes nothing; each cadre reads only their own result;
//! the year's table exports as a workbook.

use calamine::{Data, Reader, open_workbook_auto_from_rs};

use crate::helpers::{Client, TestApp};
use crate::participation::flashed;

/// Every component scored `score` (as typed).
fn scores(score: &str) -> Vec<(&'static str, String)> {
    (0..5)
        .map(|n| {
            (
                ["score_0", "score_1", "score_2", "score_3", "score_4"][n],
                score.to_string(),
            )
        })
        .collect()
}

async fn enter(
    client: &Client,
    path: &str,
    fields: &[(&'static str, String)],
) -> reqwest::Response {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    client.post_form(path, &fields).await
}

async fn written(app: &TestApp) -> (i64, i64) {
    sqlx::query_as(
        "select (select count(*) from assessment), (select count(*) from assessment_year)",
    )
    .fetch_one(&app.db)
    .await
    .unwrap()
}

/// More secretary accounts of the secretary's unit, so that a year has enough cadres for
/// the 优秀 cap to allow some; returns their ids.
async fn cadres(app: &TestApp, n: usize) -> Vec<i64> {
    let unit = app.unit_id(tuanjian::demo::SECRETARY_UNIT).await;
    let mut ids = Vec::new();
    for k in 0..n {
        let id: i64 = sqlx::query_scalar(
            "insert into account (username, display_name, password_hash)
             values ($1, $2, 'not-a-hash') returning account_id",
        )
        .bind(format!("cadre{k}"))
        .bind(format!("干部{k}"))
        .fetch_one(&app.db)
        .await
        .unwrap();
        sqlx::query(
            "insert into account_role (account_id, role, unit_id) values ($1, 'secretary', $2)",
        )
        .bind(id)
        .bind(unit)
        .execute(&app.db)
        .await
        .unwrap();
        ids.push(id);
    }
    ids
}

#[tokio::test]
async fn the_committee_enters_a_cadres_scores_and_the_table_shows_score_and_grade() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let secretary = app.account_id("secretary").await;
    let (status, form) = committee
        .get_text(&format!("/assessments/2018/{secretary}"))
        .await;
    assert_eq!(status, 200);
    assert!(
        form.contains("德（权重 20%") && form.contains("绩（权重 30%"),
        "{form}"
    );

    let fields: Vec<(&'static str, String)> = [
        ("score_0", "85"),
        ("score_1", "82"),
        ("score_2", "９０"),
        ("score_3", "80"),
        ("score_4", "90"),
    ]
    .iter()
    .map(|(k, v)| (*k, v.to_string()))
    .collect();
    let response = enter(
        &committee,
        &format!("/assessments/2018/{secretary}"),
        &fields,
    )
    .await;
    assert_eq!(response.status(), 303);
    let (_, page) = committee.follow(response).await;
    // 85×.2 + 82×.2 + 90×.2 + 80×.3 + 90×.1 = 84.4
    assert!(
        page.contains("已保存梁明辉的2018年度考核结果：84.4分，合格。"),
        "{page}"
    );
    assert!(page.contains("84.4") && page.contains("90.0"));
    assert_eq!(written(&app).await, (1, 1));
    assert_eq!(app.audit_count("assessment.recorded").await, 1);

    // Entered again, the result is replaced; a lower grade needs its reason.
    let mut lowered = fields.clone();
    lowered.push(("grade", "基本合格".into()));
    lowered.push(("grade_reason", "年度内受到通报批评".into()));
    let done = flashed(
        &committee,
        &format!("/assessments/2018/{secretary}"),
        &lowered
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect::<Vec<_>>(),
    )
    .await;
    assert!(done.contains("84.4分，基本合格"), "{done}");
    assert!(done.contains("调整"));
    assert_eq!(written(&app).await, (1, 1));

    // The leader reads the table but has no entry links.
    let leader = app.signed_in("leader").await;
    let (status, table) = leader.get_text("/assessments?year=2018").await;
    assert_eq!(status, 200);
    assert!(table.contains("梁明辉") && table.contains("84.4") && table.contains("基本合格"));
    assert!(!table.contains("/assessments/2018/"));
}

#[tokio::test]
async fn weights_must_sum_to_100_and_are_final_once_a_year_has_a_result() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let short = [
        ("year", "2018"),
        ("component_0", "德"),
        ("weight_0", "40"),
        ("component_1", "绩"),
        ("weight_1", "50"),
        ("excellent_percent", "20"),
    ];
    let response = committee.post_form("/assessments/weights", &short).await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    assert!(body.contains("权重：各项权重合计应为100，现为90"), "{body}");
    assert_eq!(written(&app).await, (0, 0));
    assert_eq!(app.audit_count("assessment.weights_set").await, 0);

    // Other faults, each named; a year outside 2000..this year is refused.
    let response = committee
        .post_form(
            "/assessments/weights",
            &[
                ("year", "2018"),
                ("component_0", "德"),
                ("weight_0", "abc"),
                ("excellent_percent", "101"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("“德”的权重应为1至100的整数")
            && body.contains("优秀比例上限：应为0至100的整数")
    );
    let response = committee
        .post_form(
            "/assessments/weights",
            &[
                ("year", "1999"),
                ("component_0", "德"),
                ("weight_0", "100"),
                ("excellent_percent", "20"),
            ],
        )
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(written(&app).await, (0, 0));

    let good = [
        ("year", "2018"),
        ("component_0", "德"),
        ("weight_0", "40"),
        ("component_1", "绩"),
        ("weight_1", "60"),
        ("excellent_percent", "20"),
    ];
    let done = flashed(&committee, "/assessments/weights", &good).await;
    assert!(done.contains("已保存2018年度的考核项目和权重。"), "{done}");
    assert!(done.contains("德（40%）") && done.contains("绩（60%）"));
    assert_eq!(written(&app).await, (0, 1));

    // A result under these weights: 90×.4 + 80×.6 = 84.0; the weights are final after it.
    let secretary = app.account_id("secretary").await;
    let done = flashed(
        &committee,
        &format!("/assessments/2018/{secretary}"),
        &[("score_0", "90"), ("score_1", "80")],
    )
    .await;
    assert!(done.contains("84.0分，合格"), "{done}");
    let response = committee.post_form("/assessments/weights", &good).await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("2018年度已有1名干部的考核结果，考核项目和权重不能再修改"),
        "{body}"
    );
    assert_eq!(app.audit_count("assessment.weights_set").await, 1);
    // Another year still takes the defaults.
    let (_, page) = committee.get_text("/assessments?year=2017").await;
    assert!(page.contains("德 20%") && page.contains("（默认"), "{page}");
}

#[tokio::test]
async fn bad_input_on_the_entry_form_gets_a_chinese_message_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let secretary = app.account_id("secretary").await;
    let path = format!("/assessments/2018/{secretary}");
    let cases: Vec<(Vec<(&'static str, String)>, &str)> = vec![
        (vec![("score_0", "101".into())], "德：不能超过100"),
        (vec![("score_0", "abc".into())], "德：应为0至100的数字"),
        (vec![("score_0", "85.25".into())], "德：最多保留一位小数"),
        (vec![("score_4", "".into())], "廉：请填写"),
        (vec![("grade", "良好".into())], "评定等次：请从列表中选择"),
        // 80.0 earns 合格: not raised to 优秀, not lowered without a reason.
        (
            vec![("grade", "优秀".into())],
            "按得分评定为合格，不能直接评为更高的优秀",
        ),
        (vec![("grade", "不合格".into())], "调低等次时请填写原因"),
        (
            vec![("grade_reason", "长".repeat(201))],
            "调整原因：不能超过200个字",
        ),
    ];
    for (changes, message) in cases {
        let mut fields = scores("80");
        for (key, value) in changes {
            fields.retain(|(k, _)| *k != key);
            fields.push((key, value));
        }
        let response = enter(&committee, &path, &fields).await;
        assert_eq!(response.status(), 422, "{message}");
        let body = response.text().await.unwrap();
        assert!(body.contains(message), "{message}: {body}");
        assert_eq!(written(&app).await, (0, 0), "{message}");
    }
    // No cadre, or no assessable year: nothing to find.
    let leader = app.account_id("leader").await;
    assert_eq!(
        committee
            .get(&format!("/assessments/2018/{leader}"))
            .await
            .status(),
        404
    );
    let response = enter(
        &committee,
        &format!("/assessments/2018/{leader}"),
        &scores("80"),
    )
    .await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        committee
            .get(&format!("/assessments/1999/{secretary}"))
            .await
            .status(),
        404
    );
    assert_eq!(committee.get("/assessments/2018/x").await.status(), 404);
    assert_eq!(committee.get("/assessments?year=abc").await.status(), 404);
    assert_eq!(written(&app).await, (0, 0));
    assert_eq!(app.audit_count("assessment.recorded").await, 0);
}

#[tokio::test]
async fn excellent_is_capped_at_twenty_percent_inside_the_transaction_even_for_two_at_once() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let ids = cadres(&app, 10).await;
    let path = |id: i64| format!("/assessments/2018/{id}");

    // A first result cannot be 优秀 (1 × 20 % rounds down to 0): refused, nothing written.
    let response = enter(&committee, &path(ids[0]), &scores("95")).await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    assert!(
        body.contains(
            "优秀比例不能超过20%：2018年度共考核1名干部，优秀最多0名，本次保存后将有1名，未保存"
        ),
        "{body}"
    );
    assert_eq!(written(&app).await, (0, 0));

    // Four 合格, then a fifth result may be 优秀 (5 × 20 % = 1), a sixth may not.
    for id in &ids[..4] {
        assert_eq!(
            enter(&committee, &path(*id), &scores("80")).await.status(),
            303
        );
    }
    assert_eq!(
        enter(&committee, &path(ids[4]), &scores("95"))
            .await
            .status(),
        303
    );
    let response = enter(&committee, &path(ids[5]), &scores("95")).await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("共考核6名干部，优秀最多1名，本次保存后将有2名"),
        "{body}"
    );
    assert_eq!(written(&app).await.0, 5);

    // Ten results allow two 优秀; two submissions at once for the last place: the year's
    // lock lets exactly one of them through, whichever comes first.
    for id in &ids[5..10] {
        assert_eq!(
            enter(&committee, &path(*id), &scores("80")).await.status(),
            303
        );
    }
    let other = app.signed_in("committee").await;
    let first = app.account_id("committee").await;
    let second = app.account_id("secretary").await;
    let (path_a, path_b) = (path(first), path(second));
    let (scores_a, scores_b) = (scores("96"), scores("97"));
    let (a, b) = tokio::join!(
        enter(&committee, &path_a, &scores_a),
        enter(&other, &path_b, &scores_b),
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [303, 422]);
    let (results, excellent): (i64, i64) = sqlx::query_as(
        "select count(*), count(*) filter (where grade = '优秀') from assessment where year = 2018",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((results, excellent), (11, 2));
    assert_eq!(app.audit_count("assessment.recorded").await, 11);
}

#[tokio::test]
async fn each_cadre_reads_only_their_own_result() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let secretary = app.account_id("secretary").await;
    let secretary2 = app.account_id("secretary2").await;
    flashed(
        &committee,
        &format!("/assessments/2018/{secretary}"),
        &[
            ("score_0", "85"),
            ("score_1", "82"),
            ("score_2", "90"),
            ("score_3", "80"),
            ("score_4", "90"),
        ],
    )
    .await;
    flashed(
        &committee,
        &format!("/assessments/2018/{secretary2}"),
        &[
            ("score_0", "78"),
            ("score_1", "70"),
            ("score_2", "75"),
            ("score_3", "68"),
            ("score_4", "85"),
        ],
    )
    .await;

    let own = app.signed_in("secretary").await;
    let (status, page) = own.get_text("/assessments/mine").await;
    assert_eq!(status, 200);
    assert!(page.contains("2018年度：合格（84.4分）"), "{page}");
    assert!(page.contains(tuanjian::demo::SECRETARY_UNIT));
    assert!(!page.contains("73.5") && !page.contains("基本合格"));
    let other = app.signed_in("secretary2").await;
    let (_, page) = other.get_text("/assessments/mine").await;
    assert!(page.contains("2018年度：基本合格（73.5分）"), "{page}");
    assert!(!page.contains("84.4"));
    let (_, page) = committee.get_text("/assessments/mine").await;
    assert!(page.contains("暂无您的考核结果") && !page.contains("84.4"));

    // Neither secretary reaches the table, the export or another's entry form.
    for client in [&own, &other] {
        assert_eq!(client.get("/assessments?year=2018").await.status(), 403);
        assert_eq!(
            client.get("/assessments/export?year=2018").await.status(),
            403
        );
        assert_eq!(
            client
                .get(&format!("/assessments/2018/{secretary2}"))
                .await
                .status(),
            403
        );
    }
    let leader = app.signed_in("leader").await;
    assert_eq!(leader.get("/assessments/mine").await.status(), 403);
}

#[tokio::test]
async fn the_years_table_exports_as_a_workbook_under_its_weights() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let secretary = app.account_id("secretary").await;
    flashed(
        &committee,
        &format!("/assessments/2018/{secretary}"),
        &[
            ("score_0", "85"),
            ("score_1", "82"),
            ("score_2", "90"),
            ("score_3", "80"),
            ("score_4", "90"),
        ],
    )
    .await;
    let leader = app.signed_in("leader").await;
    let response = leader.get("/assessments/export?year=2018").await;
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.contains("assessments.xlsx"), "{disposition}");
    let bytes = response.bytes().await.unwrap();
    let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range("团干部考核").unwrap();
    assert_eq!(
        sheet.get((0, 0)),
        Some(&Data::String("2018年度团干部考核结果".into()))
    );
    assert_eq!(sheet.get((1, 4)), Some(&Data::String("德（20%）".into())));
    assert_eq!(sheet.get((1, 9)), Some(&Data::String("总分".into())));
    let row = (2..sheet.height())
        .find(|r| sheet.get((*r, 1)) == Some(&Data::String("梁明辉".into())))
        .expect("the secretary's row");
    assert_eq!(sheet.get((row, 4)), Some(&Data::Float(85.0)));
    assert_eq!(sheet.get((row, 9)), Some(&Data::Float(84.4)));
    assert_eq!(sheet.get((row, 11)), Some(&Data::String("合格".into())));
    let unassessed = (2..sheet.height())
        .find(|r| sheet.get((*r, 1)) == Some(&Data::String("黄英洋".into())))
        .expect("the other secretary's row");
    assert_eq!(
        sheet.get((unassessed, 11)),
        Some(&Data::String("未考核".into()))
    );
    assert_eq!(app.audit_count("assessment.exported").await, 1);
}

#[tokio::test]
async fn the_demo_enters_its_2018_results_through_the_services_once() {
    let app = TestApp::spawn().await;
    tuanjian::demo::load(&app.state).await.unwrap();
    tuanjian::demo::load(&app.state).await.unwrap();
    let leader = app.signed_in("leader").await;
    let (_, table) = leader.get_text("/assessments?year=2018").await;
    for name in ["王芳", "梁明辉", "黄英洋"] {
        assert!(table.contains(name), "{name}");
    }
    assert_eq!(app.audit_count("assessment.recorded").await, 3);
    let own = app.signed_in("secretary").await;
    let (_, mine) = own.get_text("/assessments/mine").await;
    assert!(mine.contains("2018年度："), "{mine}");
}

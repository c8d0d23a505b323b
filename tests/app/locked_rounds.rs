//! A locked round never changes (issue 14): later approvals, closures and member changes
//! leave its figures, drill-downs and API summary as they were at the lock, while an open
//! round follows them and says how many units have reported to it so far; a round opened
//! by mistake is discarded while nobody has reported to it.

use crate::helpers::{Client, TestApp};
use crate::rounds::open_2019;
use crate::survey::{import, import_sample};
use crate::workbooks::SAMPLE_XLSX;

/// The drill-down filters the dashboard links to, and a few more.
const FILTERS: [&str; 6] = [
    "",
    "kind=department_community&has_organization=true",
    "kind=department_community&has_organization=false&pending=true",
    "eligible_missing=true",
    "kind=enterprise&has_members=true",
    "include_closed=true&has_organization=false",
];

/// The facet labels of the units list.
const CHOICES: [&str; 10] = [
    "部门（",
    "社区（",
    "企业（",
    "运行（",
    "停产（",
    "有团员（",
    "无团员（",
    "已建立（",
    "未建立（",
    "具备条件未建团（",
];

/// Everything a round shows: the dashboard's figures, the chart data, the API summary, and
/// for each drill-down the units listed and the facet counts beside them.
pub async fn shown(client: &Client, survey: i64) -> Vec<String> {
    let mut all = Vec::new();
    let (status, page) = client
        .get_text(&format!("/dashboard?survey={survey}"))
        .await;
    assert_eq!(status, 200);
    let start = page.find("data-testid=\"figures\"").expect("the figures");
    let end = start + page[start..].find("</section>").unwrap();
    all.push(page[start..end].to_string());
    for path in [
        format!("/dashboard/charts?survey={survey}"),
        format!("/api/v1/survey/summary?survey={survey}"),
    ] {
        let (status, body) = client.get_text(&path).await;
        assert_eq!(status, 200, "{path}");
        all.push(body);
    }
    for filter in FILTERS {
        let (status, body) = client
            .get_text(&format!("/units?{filter}&survey={survey}"))
            .await;
        assert_eq!(status, 200, "{filter}");
        let rows: Vec<&str> = body
            .match_indices("href=\"/units/")
            .map(|(at, prefix)| {
                let from = at + prefix.len();
                &body[at..from + body[from..].find('"').unwrap()]
            })
            .collect();
        let counts: Vec<&str> = CHOICES
            .iter()
            .map(|label| {
                let start = body.find(label).expect(label) + label.len();
                &body[start..start + body[start..].find('）').unwrap()]
            })
            .collect();
        let matching = body.find("data-testid=\"matching\"").expect("matching");
        let matching = &body[matching..matching + body[matching..].find("</strong>").unwrap()];
        all.push(format!("{filter}: {} {:?} {:?}", matching, counts, rows));
    }
    all
}

pub async fn summary(client: &Client, survey: i64) -> serde_json::Value {
    client
        .get(&format!("/api/v1/survey/summary?survey={survey}"))
        .await
        .json()
        .await
        .unwrap()
}

/// Approves two waiting applications of eligible departments (批复 dated 2026-03-10) and
/// closes an enterprise with members, as the committee.
pub async fn approve_two_and_close_one(app: &TestApp, committee: &Client, round: i64) {
    let waiting: Vec<i64> = sqlx::query_scalar(
        "select a.formation_application_id
       from formation_application a join unit u using (unit_id)
       join survey_entry e on e.unit_id = u.unit_id and e.survey_id = $1
      where a.state in ('submitted', 'resubmitted') and u.kind = 'department' and e.members >= 3
      order by u.name limit 2",
    )
    .bind(round)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(waiting.len(), 2);
    for (n, id) in waiting.iter().enumerate() {
        let number = format!("开团工委〔2026〕{}号", n + 1);
        let response = committee
            .post_form(
                &format!("/applications/{id}/approve"),
                &[("approval_number", &number), ("approved_on", "2026-03-10")],
            )
            .await;
        assert_eq!(response.status(), 303);
    }
    let enterprise: i64 = sqlx::query_scalar(
        "select e.unit_id from survey_entry e join unit u using (unit_id)
      where e.survey_id = $1 and u.kind = 'enterprise' and e.members > 0
      order by u.name limit 1",
    )
    .bind(round)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let response = committee
        .post_form(&format!("/units/{enterprise}/close"), &[])
        .await;
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn a_locked_round_keeps_its_figures_after_approvals_closures_and_member_changes() {
    // Arrange: the seed's round with two members on a roster (joined in 2015), a 2019 round
    // carried over from it and left open, and the 2018 round locked.
    let app = TestApp::spawn().await;
    let round = import_sample(&app).await;
    let (branch, unit): (i64, String) = sqlx::query_as(
        "select o.organization_id, u.name from organization o join unit u using (unit_id)
          order by o.organization_id limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let born = chrono::NaiveDate::from_ymd_opt(2000, 2, 3).unwrap();
    crate::members::store(
        &app,
        &[
            crate::members::new_member(branch, "名册甲".into(), born, 11),
            crate::members::new_member(branch, "名册乙".into(), born, 13),
        ],
    )
    .await;
    let open = open_2019(&app).await;
    let committee = app.signed_in("committee").await;
    let response = committee
        .post_form(&format!("/surveys/{round}/lock"), &[])
        .await;
    assert_eq!(response.status(), 303);
    let before = shown(&committee, round).await;
    let compare = format!("/members/compare?survey={round}");
    let (_, compared) = committee.get_text(&compare).await;
    let row = compared
        .split(&format!("{unit}</a>"))
        .nth(1)
        .expect("the unit whose roster differs from its figure");
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("<td class=\"num\">2</td>"), "{row}");
    let locked = summary(&committee, round).await;
    assert_eq!(locked["departments_communities_approved"], 11);
    assert_eq!(locked["departments_communities_pending"], 4);
    assert_eq!(locked["eligible_without_organization"], 12);
    assert_eq!(summary(&committee, open).await, {
        let mut same = locked.clone();
        same["as_of"] = "2019-06-01".into();
        same
    });

    // Act: approve two waiting applications of eligible departments, close an enterprise
    // with members, and take a member off a roster.
    approve_two_and_close_one(&app, &committee, round).await;
    sqlx::query(
        "update member set state = 'left'
          where member_id = (select min(member_id) from member where state = 'active')",
    )
    .execute(&app.db)
    .await
    .unwrap();

    // Assert: the locked round shows what it showed; the open one follows the changes.
    assert_eq!(shown(&committee, round).await, before);
    assert_eq!(committee.get_text(&compare).await.1, compared);
    let now = summary(&committee, open).await;
    assert_eq!(now["departments_communities_approved"], 13);
    assert_eq!(now["departments_communities_pending"], 2);
    assert_eq!(now["eligible_without_organization"], 10);
    let (_, units) = committee
        .get_text(&format!("/units?kind=enterprise&survey={open}"))
        .await;
    assert!(units.contains(&format!(
        "企业（{}）",
        locked["enterprises_total"].as_i64().unwrap() - 1
    )));
    crate::totals::assert_recount(&app, "locking a round and changing units after").await;
}

#[tokio::test]
async fn a_round_locked_after_later_approvals_and_closures_shows_them_as_of_its_date() {
    // Arrange: the seed's round (as of 2018-06-01), still open, and what it shows.
    let app = TestApp::spawn().await;
    let round = import_sample(&app).await;
    let committee = app.signed_in("committee").await;
    let before = summary(&committee, round).await;
    let lists = shown(&committee, round).await.split_off(3);

    // Act: in 2026, approve two waiting department applications and close an enterprise
    // with members; then lock the 2018 round.
    approve_two_and_close_one(&app, &committee, round).await;
    assert_eq!(
        summary(&committee, round).await["departments_communities_approved"],
        13,
        "an open round shows the zone as it is"
    );
    let response = committee
        .post_form(&format!("/surveys/{round}/lock"), &[])
        .await;
    assert_eq!(response.status(), 303);

    // Assert: locked, the round counts what was true on 2018-06-01.
    let locked = summary(&committee, round).await;
    assert_eq!(locked["departments_communities_approved"], 11);
    assert_eq!(locked["departments_communities_pending"], 4);
    assert_eq!(locked["eligible_without_organization"], 12);
    assert_eq!(locked, before);
    assert_eq!(shown(&committee, round).await.split_off(3), lists);
    crate::totals::assert_recount(&app, "locking a round after later changes").await;
}

#[tokio::test]
async fn an_open_rounds_dashboard_says_how_many_reported_and_marks_carried_figures() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let leader = app.signed_in("leader").await;
    let (_, imported) = leader.get_text("/dashboard").await;
    assert!(imported.contains("已填报 <strong>452</strong> / 共 452 个单位"));
    assert!(!imported.contains("沿用上轮数据"));

    // A round opened with every unit carried over: nothing reported yet.
    let round = open_2019(&app).await;
    let (_, opened) = leader.get_text("/dashboard").await;
    assert!(opened.contains("已填报 <strong>0</strong> / 共 452 个单位"));
    assert!(opened.contains("<span class=\"figure-value\">1779</span><span class=\"figure-label\">团员人数</span><span class=\"tag tag-warn figure-carried\""));

    let own = app.unit_id(tuanjian::demo::SECRETARY_UNIT).await;
    let secretary = app.signed_in("secretary").await;
    let response = secretary
        .post_form(
            &format!("/units/{own}/report"),
            &[("staff", "40"), ("youth", "20"), ("members", "5")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let (_, reported) = leader.get_text(&format!("/dashboard?survey={round}")).await;
    assert!(
        reported.contains("已填报 <strong>1</strong> / 共 452 个单位；其余 451 个单位尚未填报")
    );

    // A locked round is no longer in progress: neither count nor mark.
    let committee = app.signed_in("committee").await;
    committee
        .post_form(&format!("/surveys/{round}/lock"), &[])
        .await;
    let (_, locked) = leader.get_text(&format!("/dashboard?survey={round}")).await;
    assert!(!locked.contains("已填报"));
    assert!(!locked.contains("沿用上轮数据"));
    crate::totals::assert_recount(&app, "reporting to an open round").await;
}

#[tokio::test]
async fn a_round_opened_by_mistake_is_discarded_until_someone_reports() {
    let app = TestApp::spawn().await;
    let seed = import_sample(&app).await;
    let committee = app.signed_in("committee").await;
    let before = summary(&committee, seed).await;

    // Opened by mistake, nobody reported: discarded with its carried entries, audited.
    let mistake = open_2019(&app).await;
    let (_, page) = committee.get_text(&format!("/surveys/{mistake}")).await;
    assert!(page.contains(&format!(
        "action=\"/surveys/{mistake}/discard\" data-confirm=\"确定删除本轮摸排吗？删除后不能恢复。\""
    )));
    let response = committee
        .post_form(&format!("/surveys/{mistake}/discard"), &[])
        .await;
    let (_, page) = committee.follow(response).await;
    assert!(page.contains("已删除误开的摸排轮次“2019年团员青年摸排”"));
    let left: Vec<i64> = sqlx::query_scalar("select survey_id from survey")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(left, [seed]);
    assert_eq!(app.audit_count("survey.discarded").await, 1);
    assert_eq!(summary(&committee, seed).await, before);
    assert_eq!(
        committee.get(&format!("/surveys/{mistake}")).await.status(),
        404
    );

    // Once a unit has reported, it stays.
    let round = open_2019(&app).await;
    let own = app.unit_id(tuanjian::demo::SECRETARY_UNIT).await;
    let secretary = app.signed_in("secretary").await;
    let response = secretary
        .post_form(
            &format!("/units/{own}/report"),
            &[("staff", "40"), ("youth", "20"), ("members", "5")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let (_, page) = committee.get_text(&format!("/surveys/{round}")).await;
    assert!(!page.contains("/discard"));
    let refused = "本轮已有单位填报或已锁定，不能删除";
    let response = committee
        .post_form(&format!("/surveys/{round}/discard"), &[])
        .await;
    let (_, page) = committee.follow(response).await;
    assert!(page.contains(refused));

    // A locked round stays too, even one nobody reported to.
    sqlx::query("update survey_entry set reported_at = null where survey_id = $1")
        .bind(seed)
        .execute(&app.db)
        .await
        .unwrap();
    committee
        .post_form(&format!("/surveys/{seed}/lock"), &[])
        .await;
    let response = committee
        .post_form(&format!("/surveys/{seed}/discard"), &[])
        .await;
    let (_, page) = committee.follow(response).await;
    assert!(page.contains(refused));
    let rounds: i64 = sqlx::query_scalar("select count(*) from survey")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(rounds, 2);
    assert_eq!(app.audit_count("survey.discarded").await, 1);
    crate::totals::assert_recount(&app, "discarding a round").await;
}

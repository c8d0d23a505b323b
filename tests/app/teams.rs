//! Volunteer teams (issue 16 item 4): founded by the committee for any unit and by a
//! secretary for their own, with roster members and registered youth, carrying out
//! activities whose confirmed hours the team's page adds up month by month.

use tuanjian::demo::{SECRETARY_UNIT, SECRETARY2_UNIT};

use crate::helpers::TestApp;
use crate::members::{new_member, secretary_org, store};
use crate::participation::{flashed, rally};

fn team(name: &str, unit: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", name.to_string()),
        ("domain", "environment".into()),
        ("unit_name", unit.to_string()),
        ("leader_name", "王磊".into()),
        ("founded_on", "2018-05-04".into()),
    ]
}

/// A workbook's first sheet as text, numbers as written (8, 17.5).
fn texts(bytes: &[u8]) -> Vec<Vec<String>> {
    use crate::workbooks::Cell;
    crate::workbooks::grid(bytes)
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|cell| match cell {
                    Cell::Empty => String::new(),
                    Cell::Number(n) => n.to_string(),
                    Cell::Text(t) => t,
                })
                .collect()
        })
        .collect()
}

fn pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn teams(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from volunteer_team")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn bad_teams_are_refused_with_a_message_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let committee = app.signed_in("committee").await;
    let secretary = app.signed_in("secretary").await;
    let bad = [
        ("name", ""),
        ("domain", "river"),
        ("unit_name", SECRETARY_UNIT),
        ("leader_name", "王磊"),
        ("founded_on", "2018-13-01"),
    ];
    let response = committee.post_form("/teams", &bad).await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    for message in [
        "队伍名称：请填写",
        "服务领域：请选择服务领域",
        "成立日期：不是有效的日期",
    ] {
        assert!(body.contains(message), "{message}");
    }
    let unknown = team("青年环保志愿服务队", "没有这个单位");
    let response = committee.post_form("/teams", &pairs(&unknown)).await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("依托单位：没有名为“没有这个单位”的单位")
    );
    // A secretary founds teams for their own unit only.
    let elsewhere = team("生态环境局服务队", SECRETARY2_UNIT);
    let response = secretary.post_form("/teams", &pairs(&elsewhere)).await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("不在您管理的范围内")
    );
    assert_eq!(teams(&app).await, 0);
    assert_eq!(app.audit_count("volunteer_team.created").await, 0);

    let own = team("社会事业局青年志愿服务队", SECRETARY_UNIT);
    let response = secretary.post_form("/teams", &pairs(&own)).await;
    assert_eq!(response.status(), 303);
    let again = committee.post_form("/teams", &pairs(&own)).await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("已有名为"));
    assert_eq!(teams(&app).await, 1);
    assert_eq!(app.audit_count("volunteer_team.created").await, 1);
}

#[tokio::test]
async fn a_teams_members_and_activities_make_its_hours_month_by_month() {
    let app = TestApp::spawn().await;
    crate::survey::import(&app, crate::workbooks::SAMPLE_XLSX)
        .await
        .unwrap();
    let branch = secretary_org(&app).await;
    let born = chrono::NaiveDate::from_ymd_opt(2000, 2, 3).unwrap();
    store(&app, &[new_member(branch, "队员甲".into(), born, 11)]).await;
    let committee = app.signed_in("committee").await;
    let secretary = app.signed_in("secretary").await;
    let response = committee
        .post_form(
            "/teams",
            &pairs(&team("社会事业局青年志愿服务队", SECRETARY_UNIT)),
        )
        .await;
    assert_eq!(response.status(), 303);
    let page = response.headers()["location"].to_str().unwrap().to_string();
    let id = page.trim_start_matches("/teams/").to_string();

    // Members: one from the roster the secretary keeps, one young person; faults named.
    let members = format!("{page}/members");
    let said = flashed(
        &secretary,
        &members,
        &[("kind", "member"), ("name", "队员甲")],
    )
    .await;
    assert!(said.contains("“队员甲”已入队"), "{said}");
    let said = flashed(
        &secretary,
        &members,
        &[("kind", "member"), ("name", "队员甲")],
    )
    .await;
    assert!(said.contains("已是本队队员"), "{said}");
    let said = flashed(
        &secretary,
        &members,
        &[("kind", "person"), ("name", "青年乙"), ("phone", "12345")],
    )
    .await;
    assert!(said.contains("手机号：请填写11位手机号码"), "{said}");
    let said = flashed(
        &secretary,
        &members,
        &[
            ("kind", "member"),
            ("name", "队员甲"),
            ("joined_on", "去年"),
        ],
    )
    .await;
    assert!(said.contains("入队日期：不是有效的日期"), "{said}");
    let said = flashed(
        &secretary,
        &members,
        &[
            ("kind", "person"),
            ("name", "青年乙"),
            ("phone", "13800000002"),
        ],
    )
    .await;
    assert!(said.contains("“青年乙”已入队"), "{said}");
    let (status, body) = secretary.get_text(&page).await;
    assert_eq!(status, 200);
    assert!(body.contains("队员（2）"));
    assert!(body.contains("138****0002"));
    assert!(!body.contains("13800000002"));
    assert_eq!(app.audit_count("volunteer_team.member_added").await, 2);

    // The rally, carried out by the team, with 9.5 and 8 hours: June holds 17.5.
    let rally = rally(&app, &committee).await;
    let org = app.committee_org().await;
    let edit = [
        ("organization_id", org.as_str()),
        ("kind", "volunteer"),
        ("title", "青年环保行，助力环塔赛"),
        ("starts_at", "2018-06-09T09:00"),
        ("ends_at", "2018-06-09T18:30"),
        ("volunteer_team", id.as_str()),
    ];
    assert_eq!(committee.post_form(&rally, &edit).await.status(), 303);
    flashed(
        &committee,
        &format!("{rally}/participants/member"),
        &[("name", "队员甲")],
    )
    .await;
    flashed(
        &committee,
        &format!("{rally}/participants/person"),
        &[("name", "青年乙"), ("phone", "13800000002"), ("unit", "")],
    )
    .await;
    let ids: Vec<i64> = sqlx::query_scalar("select participation_id from participation order by 1")
        .fetch_all(&app.db)
        .await
        .unwrap();
    let hours = [
        (format!("hours_{}", ids[0]), "9.5"),
        (format!("hours_{}", ids[1]), "8"),
    ];
    let fields: Vec<(&str, &str)> = hours.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let response = committee
        .post_form(&format!("{rally}/hours"), &fields)
        .await;
    assert_eq!(response.status(), 303);
    let recorded: i64 = sqlx::query_scalar("select sum(hours_tenths) from participation")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(recorded, 175, "the hours form's field names");

    let (_, body) = committee.get_text(&format!("{page}?year=2018")).await;
    let months = crate::drill_walk::rows_of(&body, "team-months");
    assert_eq!(months.len(), 12);
    assert_eq!(months[5][..4], ["6月", "1", "2", "17.5"]);
    assert_eq!(months[4][..4], ["5月", "0", "0", "0"]);
    assert!(body.contains(r#"data-testid="year-hours">17.5<"#));
    // The team's activities are the list's, narrowed to it.
    let (_, list) = committee.get_text(&format!("/activities?team={id}")).await;
    assert!(list.contains("志愿服务队：社会事业局青年志愿服务队"));
    assert!(list.contains("共 <strong>1</strong> 项活动"));
    let (_, activity) = committee.get_text(&rally).await;
    assert!(activity.contains(&format!(
        r#"<a href="/teams/{id}">社会事业局青年志愿服务队</a>"#
    )));

    // Another unit's secretary finds nothing; the leader reads but may not change it.
    let other = app.signed_in("secretary2").await;
    assert_eq!(other.get(&page).await.status(), 404);
    let (_, list) = other.get_text("/teams").await;
    assert!(!list.contains("社会事业局青年志愿服务队"));
    let leader = app.signed_in("leader").await;
    assert_eq!(leader.get(&page).await.status(), 200);
    assert_eq!(leader.get(&format!("{page}/edit")).await.status(), 403);
    // A secretary may not name a team they do not keep on their own activity.
    let response = other
        .post_form(
            "/activities",
            &[
                ("organization_id", "0"),
                ("kind", "volunteer"),
                ("title", "借用服务队"),
                ("starts_at", "2018-07-01T09:00"),
                ("ends_at", "2018-07-01T12:00"),
                ("volunteer_team", id.as_str()),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("志愿服务队：请从您管理的服务队中选择")
    );

    // Removing a member asks first on the page and is audited.
    let member: i64 = sqlx::query_scalar(
        "select volunteer_team_member_id from volunteer_team_member where person_name = '青年乙'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let said = flashed(&secretary, &format!("{members}/{member}/delete"), &[]).await;
    assert!(said.contains("已移出该队员"), "{said}");
    assert_eq!(app.audit_count("volunteer_team.member_removed").await, 1);
}

#[tokio::test]
async fn the_list_and_the_hours_per_person_export_in_the_office_layout_in_scope() {
    let app = TestApp::spawn().await;
    tuanjian::demo::load(&app.state).await.unwrap();
    let leader = app.signed_in("leader").await;
    let (_, page) = leader.get_text("/volunteers?year=2018").await;
    let rows = crate::drill_walk::rows_of(&page, "volunteers");
    let credited: i64 = sqlx::query_scalar(
        "select count(distinct member_id) from participation where hours_tenths > 0",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(rows.len() as i64, credited);
    assert!(page.contains(&format!("共 <strong>{credited}</strong> 人")));

    let response = leader.get("/volunteers/export?year=2018").await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap().to_vec();
    let sheet = texts(&bytes);
    assert_eq!(sheet[0][0], "2018年志愿服务时长统计表");
    assert_eq!(sheet[1][..3], ["序号", "姓名", "身份"]);
    assert_eq!(sheet.len() as i64, 2 + credited);
    let total: f64 = sheet[2..]
        .iter()
        .map(|r| r[6].parse::<f64>().unwrap())
        .sum();
    let tenths: i64 = sqlx::query_scalar("select sum(hours_tenths)::bigint from participation")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!((total * 10.0).round() as i64, tenths);
    assert_eq!(app.audit_count("volunteer.hours_exported").await, 1);

    let response = leader
        .get("/activities/export?year=2018&kind=volunteer")
        .await;
    assert_eq!(response.status(), 200);
    let sheet = texts(&response.bytes().await.unwrap());
    assert_eq!(sheet[0][0], "活动登记表");
    assert_eq!(
        sheet.len(),
        2 + 5,
        "the rally and the four monthly services"
    );
    assert!(
        sheet
            .iter()
            .any(|r| r[1] == "青年环保行，助力环塔赛" && r[3] == "2018-06-09 09:00")
    );
    assert_eq!(app.audit_count("activity.exported").await, 1);

    // Another unit's secretary exports only what they may read: none of these.
    let other = app.signed_in("secretary2").await;
    let response = other.get("/volunteers/export?year=2018").await;
    let sheet = texts(&response.bytes().await.unwrap());
    let theirs: i64 = sqlx::query_scalar(
        "select count(distinct p.member_id) from participation p
           join activity_unit s using (activity_id) join unit u using (unit_id)
          where u.name = $1 and p.hours_tenths > 0",
    )
    .bind(SECRETARY2_UNIT)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(sheet.len() as i64, 2 + theirs);
}

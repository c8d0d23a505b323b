//! Activities (issue 16): recorded by the committee for the zone and by a secretary for
//! their own organisation, read by every business role in scope (another unit's secretary
//! finds nothing), moved through their states, with the units that take part; every form
//! refuses bad input with a message and writes nothing.

use crate::helpers::{Client, TestApp};
use crate::members::secretary_org;
use crate::survey::import;
use crate::workbooks::SAMPLE_XLSX;

/// The rally's volunteer activity of the seed, as a form sends it.
fn rally() -> Vec<(&'static str, &'static str)> {
    vec![
        ("kind", "volunteer"),
        ("title", "青年环保行，助力环塔赛"),
        ("starts_at", "2018-06-09T09:00"),
        ("ends_at", "2018-06-09T18:30"),
        ("place", "五彩湾赛段"),
        ("description", "组织志愿者在赛段沿线宣传环保、清理垃圾。"),
    ]
}

async fn activities(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from activity")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// Posts an activity form and returns the new activity's id from the redirect.
async fn record(client: &Client, fields: &[(&str, &str)]) -> i64 {
    let response = client.post_form("/activities", fields).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    location
        .trim_start_matches("/activities/")
        .parse()
        .unwrap_or_else(|_| panic!("{location}"))
}

fn with<'a>(
    mut fields: Vec<(&'a str, &'a str)>,
    name: &'a str,
    value: &'a str,
) -> Vec<(&'a str, &'a str)> {
    fields.retain(|(n, _)| *n != name);
    fields.push((name, value));
    fields
}

#[tokio::test]
async fn the_committee_records_an_activity_and_finds_it_by_kind_month_and_calendar() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let committee = app.signed_in("committee").await;
    let (status, form) = committee.get_text("/activities/new").await;
    assert_eq!(status, 200);
    assert!(
        form.contains(">团工委</option>") || form.contains("团工委"),
        "{form}"
    );
    let committee_org = app.committee_org().await;

    let id = record(
        &committee,
        &with(rally(), "organization_id", &committee_org),
    )
    .await;

    let (status, page) = committee.get_text(&format!("/activities/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("青年环保行，助力环塔赛"));
    assert!(
        page.contains("2018年6月9日 09:00–18:30（北京时间）"),
        "{page}"
    );
    assert!(page.contains("<span class=\"tag state-planned\" data-testid=\"state\">计划</span>"));
    assert_eq!(app.audit_count("activity.created").await, 1);
    let stored: (String, String) = sqlx::query_as(
        "select starts_at::text, ends_at::text from activity where activity_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        stored,
        (
            "2018-06-09 01:00:00+00".into(),
            "2018-06-09 10:30:00+00".into()
        ),
        "local Beijing times stored as instants"
    );

    for (query, found) in [
        ("", 1),
        ("?kind=volunteer", 1),
        ("?kind=contest", 0),
        ("?month=2018-06", 1),
        ("?month=2018-07", 0),
        ("?kind=nonsense&month=junk", 1),
    ] {
        let (status, list) = committee.get_text(&format!("/activities{query}")).await;
        assert_eq!(status, 200);
        assert!(
            list.contains(&format!("共 <strong>{found}</strong> 项活动")),
            "{query}: {list}"
        );
    }
    let (_, calendar) = committee
        .get_text("/activities/calendar?month=2018-06")
        .await;
    assert!(calendar.contains("本月共 <strong>1</strong> 项活动"));
    let day = calendar.find("06月09日").expect("the rally's day");
    assert!(calendar[day..day + 300].contains("青年环保行，助力环塔赛"));
    let (_, other) = committee
        .get_text("/activities/calendar?month=2018-07")
        .await;
    assert!(other.contains("本月共 <strong>0</strong> 项活动"));
}

#[tokio::test]
async fn bad_input_is_refused_with_a_message_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let committee = app.signed_in("committee").await;
    let committee_org = app.committee_org().await;
    let good = with(rally(), "organization_id", &committee_org);
    for (field, value, message) in [
        ("title", "  ", "活动名称：请填写"),
        ("kind", "party", "活动类型：请选择活动类型"),
        ("ends_at", "2018-06-08T09:00", "结束时间：不能早于开始时间"),
        ("starts_at", "明天上午", "开始时间：不是有效的日期时间"),
        ("ends_at", "2020-06-09T09:00", "一次活动不能超过366天"),
        ("edition", "3", "届次：填写届次时请同时填写所属系列"),
        ("edition", "-1", "届次：应为1至999的整数"),
        (
            "organization_id",
            "999999",
            "主办组织：请选择本人所在的团组织",
        ),
    ] {
        let response = committee
            .post_form("/activities", &with(good.clone(), field, value))
            .await;
        assert_eq!(response.status(), 422, "{field}={value}");
        let page = response.text().await.unwrap();
        assert!(page.contains(message), "{field}={value}: {page}");
    }
    assert_eq!(activities(&app).await, 0);
    assert_eq!(app.audit_count("activity.created").await, 0);

    // The same rules when an activity is changed; the stored one stays as it was.
    let id = record(&committee, &good).await;
    let response = committee
        .post_form(
            &format!("/activities/{id}"),
            &with(good.clone(), "ends_at", "2018-06-01T09:00"),
        )
        .await;
    assert_eq!(response.status(), 422);
    let ends: String =
        sqlx::query_scalar("select ends_at::text from activity where activity_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(ends, "2018-06-09 10:30:00+00");
    assert_eq!(app.audit_count("activity.updated").await, 0);
}

#[tokio::test]
async fn a_secretary_records_their_own_organisations_activity_and_other_units_find_nothing() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let branch = secretary_org(&app).await.to_string();
    let secretary = app.signed_in("secretary").await;
    let committee_org = app.committee_org().await;

    // Not for the committee's name: refused, nothing written.
    let response = secretary
        .post_form(
            "/activities",
            &with(rally(), "organization_id", &committee_org),
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(activities(&app).await, 0);

    let meeting = with(
        with(rally(), "organization_id", &branch),
        "title",
        "团支部主题团日：学习团章",
    );
    let id = record(&secretary, &with(meeting, "kind", "study")).await;
    let (status, page) = secretary.get_text(&format!("/activities/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("社会事业局团支部"));
    assert!(page.contains(&format!("/activities/{id}/edit")));

    // The committee and the leader see it; only the committee and the secretary change it.
    let committee = app.signed_in("committee").await;
    let (_, list) = committee.get_text("/activities").await;
    assert!(list.contains("团支部主题团日：学习团章"));
    let leader = app.signed_in("leader").await;
    let (status, page) = leader.get_text(&format!("/activities/{id}")).await;
    assert_eq!(status, 200);
    assert!(!page.contains("/edit"));
    let response = leader
        .post_form(&format!("/activities/{id}/state"), &[("state", "done")])
        .await;
    assert_eq!(response.status(), 403);

    // Another unit's secretary: not listed, 404 on every route of it.
    let other = app.signed_in("secretary2").await;
    let (_, list) = other.get_text("/activities").await;
    assert!(list.contains("共 <strong>0</strong> 项活动"), "{list}");
    assert_eq!(other.get(&format!("/activities/{id}")).await.status(), 404);
    let response = other
        .post_form(&format!("/activities/{id}/state"), &[("state", "done")])
        .await;
    assert_eq!(response.status(), 404);
    let state: String = sqlx::query_scalar("select state from activity where activity_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(state, "planned");
}

#[tokio::test]
async fn units_take_part_and_states_move_forward_only() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let committee = app.signed_in("committee").await;
    let committee_org = app.committee_org().await;
    let id = record(
        &committee,
        &with(rally(), "organization_id", &committee_org),
    )
    .await;
    let path = format!("/activities/{id}");

    // Units by their full name; an unknown name is refused and nothing is written.
    let response = committee
        .post_form(
            &format!("{path}/units"),
            &[("unit", "不存在的公司"), ("role", "participant")],
        )
        .await;
    let (_, page) = committee.follow(response).await;
    assert!(page.contains("找不到名为“不存在的公司”的单位"));
    for (unit, role) in [
        (tuanjian::demo::SECRETARY_UNIT, "participant"),
        ("开发区生态环境局", "co_organizer"),
    ] {
        let response = committee
            .post_form(&format!("{path}/units"), &[("unit", unit), ("role", role)])
            .await;
        let (_, page) = committee.follow(response).await;
        assert!(page.contains(&format!("已将“{unit}”列为")), "{page}");
    }
    let (_, page) = committee.get_text(&path).await;
    assert!(page.contains("协办和参与单位（2）"));
    assert_eq!(app.audit_count("activity.unit_added").await, 2);

    // A unit taking part lets its secretary read the activity, not change it.
    let secretary = app.signed_in("secretary").await;
    let (status, page) = secretary.get_text(&path).await;
    assert_eq!(status, 200);
    assert!(!page.contains("/edit"));
    assert_eq!(secretary.get(&format!("{path}/edit")).await.status(), 403);
    let own = app.unit_id(tuanjian::demo::SECRETARY_UNIT).await;
    let (_, list) = committee.get_text(&format!("/activities?unit={own}")).await;
    assert!(list.contains("共 <strong>1</strong> 项活动"));
    assert!(list.contains(&format!("参与单位：{}", tuanjian::demo::SECRETARY_UNIT)));
    let response = committee
        .post_form(&format!("{path}/units/{own}/delete"), &[])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(secretary.get(&path).await.status(), 404);

    // 计划 → 已完成; then neither back to 进行中 nor 已取消.
    let (_, page) = committee.get_text(&path).await;
    assert!(page.contains("data-confirm=\"确定取消这项活动吗？取消后不能恢复。\""));
    let response = committee
        .post_form(&format!("{path}/state"), &[("state", "done")])
        .await;
    let (_, page) = committee.follow(response).await;
    assert!(page.contains("活动状态已改为“已完成”"));
    for state in ["ongoing", "cancelled", "planned", "nonsense"] {
        let response = committee
            .post_form(&format!("{path}/state"), &[("state", state)])
            .await;
        let (_, page) = committee.follow(response).await;
        assert!(
            page.contains("活动状态已变化，请刷新后再操作") || page.contains("请选择活动状态"),
            "{state}: {page}"
        );
    }
    let state: String = sqlx::query_scalar("select state from activity where activity_id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(state, "done");
    assert_eq!(app.audit_count("activity.state_changed").await, 1);
}

#[tokio::test]
async fn the_demo_holds_the_seeds_activities_once() {
    let app = TestApp::spawn().await;
    tuanjian::demo::load(&app.state).await.unwrap();
    tuanjian::demo::load(&app.state).await.unwrap();
    let committee = app.signed_in("committee").await;
    let (_, list) = committee.get_text("/activities").await;
    // The seed's three, and the community team's four monthly services.
    assert!(list.contains("共 <strong>7</strong> 项活动"), "{list}");
    for title in [
        "青年环保行，助力环塔赛",
        "“美丽中国，青年先行者”环保宣传片大赛",
        "开发区迎新年暨第三届“好声音”歌唱比赛",
    ] {
        assert!(list.contains(title), "{title}");
    }
    assert!(list.contains("好声音 第3届"));
    let units: Vec<(String, i64)> = sqlx::query_as(
        "select a.kind, count(*) from activity a join activity_unit u using (activity_id)
          group by a.kind order by a.kind",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        units,
        [("contest".to_string(), 18), ("volunteer".to_string(), 5)]
    );
    let (volunteers, tenths): (i64, i64) = sqlx::query_as(
        "select count(*), sum(hours_tenths)::bigint from participation p
           join activity a using (activity_id)
          where a.title = '青年环保行，助力环塔赛' and p.member_id is not null",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(
        volunteers >= 5,
        "volunteers from the enterprises: {volunteers}"
    );
    assert_eq!(tenths, volunteers * 80);
    let rally: i64 = sqlx::query_scalar(
        "select activity_id from activity where title = '青年环保行，助力环塔赛'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let (_, page) = committee.get_text(&format!("/activities/{rally}")).await;
    assert!(page.contains(&format!(
        "共 <strong>{volunteers}</strong> 人，志愿服务时长合计 <strong>{}</strong> 小时",
        volunteers * 8
    )));
    assert!(page.contains("2018年6月9日 09:00–18:30"));
    let (_, series) = committee
        .get_text("/activities?series=%E5%A5%BD%E5%A3%B0%E9%9F%B3")
        .await;
    assert!(series.contains("共 <strong>1</strong> 项活动"));
}

#[tokio::test]
async fn the_dashboard_counts_the_years_activities_and_each_figure_lists_them() {
    let app = TestApp::spawn().await;
    tuanjian::demo::load(&app.state).await.unwrap();
    let leader = app.signed_in("leader").await;
    let (_, page) = leader.get_text("/dashboard").await;
    let at = page.find("data-testid=\"activity-figures\"").unwrap();
    let section = &page[at..at + page[at..].find("</section>").unwrap()];
    assert!(section.contains("活动与志愿服务（2018年）"));
    let shown = crate::drill_walk::figures(section);
    let value = |key: &str| {
        shown
            .iter()
            .find(|f| f.key == key)
            .unwrap_or_else(|| panic!("{key}"))
            .value
            .clone()
    };
    // The seed's three (two of them contests) and the community team's four monthly
    // services, all in 2018.
    assert_eq!(value("activities"), "7");
    assert_eq!(value("volunteer_activities"), "5");
    assert_eq!(value("contests"), "2");
    assert_eq!(value("activity_units"), "23");
    let (people, tenths, credited): (i64, i64, i64) = sqlx::query_as(
        "select count(*), sum(hours_tenths)::bigint,
                count(distinct coalesce(member_id::text, encode(phone_index, 'hex'))) filter (where hours_tenths > 0)
           from participation",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(value("activity_participants"), people.to_string());
    assert_eq!(crate::drill_walk::tenths(&value("volunteer_hours")), tenths);
    assert_eq!(value("active_volunteers"), credited.to_string());
    // The demo's two teams, by domain.
    let at = page.find("data-testid=\"team-figures\"").unwrap();
    let teams = crate::drill_walk::figures(&page[at..at + page[at..].find("</div>").unwrap()]);
    let keys: Vec<(&str, &str)> = teams
        .iter()
        .map(|f| (f.key.as_str(), f.value.as_str()))
        .collect();
    assert_eq!(
        keys,
        [
            ("volunteer_teams", "2"),
            ("teams_environment", "1"),
            ("teams_community", "1")
        ]
    );
    let shown: Vec<_> = shown.into_iter().chain(teams).collect();
    let mut walker = crate::drill_walk::Walker::new(&leader);
    for figure in &shown {
        let link = crate::drill_walk::unescape(figure.link.as_deref().unwrap());
        let listed = walker.list(&link).await;
        let counted = match figure.adds.as_deref() {
            Some(column) => listed.total_tenths(column),
            None => listed.rows.len() as i64 * 10,
        };
        assert_eq!(
            counted,
            crate::drill_walk::tenths(&figure.value),
            "{}: {link}",
            figure.key
        );
    }
}

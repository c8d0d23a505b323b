//! `GET /api/v1/activities` and `GET /api/v1/volunteers/hours` over the demo's activities:
//! the keys of DESIGN.md §6, filters by year, kind and unit, scope, and clear refusals.

use serde_json::Value;

use crate::helpers::{Client, TestApp};

async fn json(client: &Client, path: &str) -> (u16, Value) {
    let response = client.get(path).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn activities_and_hours_answer_with_the_documented_keys_in_scope() {
    let app = TestApp::spawn().await;
    tuanjian::demo::load(&app.state).await.unwrap();
    let committee = app.signed_in("committee").await;

    let (status, all) = json(&committee, "/api/v1/activities?year=2018").await;
    assert_eq!(status, 200);
    let items = all["items"].as_array().unwrap();
    // The seed's three and the community team's four monthly services.
    assert_eq!(items.len(), 7);
    let keys: Vec<&str> = items[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "id",
        "kind",
        "title",
        "starts_at",
        "ends_at",
        "place",
        "organizer",
        "units",
        "participants",
        "volunteer_hours",
        "state",
    ] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }
    assert_eq!(all["next"], Value::Null);
    let (_, contest) = json(&committee, "/api/v1/activities?year=2018&kind=contest").await;
    let contest = &contest["items"][0];
    assert_eq!(contest["title"], "“美丽中国，青年先行者”环保宣传片大赛");
    assert_eq!(contest["units"], 8);
    assert_eq!(contest["organizer"]["name"], "开发区团工委");
    assert_eq!(contest["starts_at"], "2018-06-28T02:00:00Z");
    // The latest volunteer activity is the rally.
    let (_, rally) = json(&committee, "/api/v1/activities?kind=volunteer").await;
    let rally = &rally["items"][0];
    assert_eq!(rally["title"], "青年环保行，助力环塔赛");
    let people = rally["participants"].as_i64().unwrap();
    assert!(people > 0);
    assert_eq!(
        rally["volunteer_hours"].as_f64().unwrap(),
        people as f64 * 8.0
    );
    let (_, none) = json(&committee, "/api/v1/activities?year=2017").await;
    assert_eq!(none["items"].as_array().unwrap().len(), 0);

    // One unit's activities.
    let unit: i64 = sqlx::query_scalar(
        "select unit_id from activity_unit u join activity a using (activity_id)
          where a.kind = 'volunteer' order by unit_id limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let (_, theirs) = json(&committee, &format!("/api/v1/activities?unit={unit}")).await;
    let expected: i64 = sqlx::query_scalar("select count(*) from activity_unit where unit_id = $1")
        .bind(unit)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(theirs["items"].as_array().unwrap().len() as i64, expected);

    // Refusals say what is wrong.
    for (query, message) in [
        ("year=abc", "year 应为2000至2100之间的年份"),
        ("kind=party", "kind 不是有效的活动类型"),
        ("unit=x", "unit 不是有效的单位编号"),
        ("after=%25%25", "after 不是有效的游标"),
    ] {
        let (status, body) = json(&committee, &format!("/api/v1/activities?{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(body["error"], message);
    }

    // Hours per person for 2018: the rally's volunteers, 8 hours each.
    let (status, hours) = json(&committee, "/api/v1/volunteers/hours?year=2018").await;
    assert_eq!(status, 200);
    let people_hours = hours["items"].as_array().unwrap();
    // The rally's volunteers (8 hours each) and the community team's members (3 hours at
    // each of its four services), all members of the roster.
    let team_members: i64 = sqlx::query_scalar("select count(*) from volunteer_team_member k join volunteer_team t using (volunteer_team_id) where t.domain = 'community'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(people_hours.len() as i64, people + team_members);
    let eight = people_hours
        .iter()
        .filter(|p| p["hours"].as_f64() == Some(8.0))
        .count();
    let twelve = people_hours
        .iter()
        .filter(|p| p["hours"].as_f64() == Some(12.0) && p["activities"] == 4)
        .count();
    assert_eq!((eight as i64, twelve as i64), (people, team_members));
    for person in people_hours {
        assert!(person["member_id"].is_i64());
        assert_eq!(person["star_level"], Value::Null);
    }
    // And per team: the rally is the environmental team's.
    let (status, teams) = json(&committee, "/api/v1/volunteers/hours?year=2018&by=team").await;
    assert_eq!(status, 200);
    let teams = teams["items"].as_array().unwrap();
    assert_eq!(teams.len(), 2);
    let environment = teams.iter().find(|t| t["domain"] == "environment").unwrap();
    assert_eq!(environment["activities"], 1);
    assert_eq!(environment["hours"].as_f64().unwrap(), people as f64 * 8.0);
    let community = teams.iter().find(|t| t["domain"] == "community").unwrap();
    assert_eq!(community["activities"], 4);
    assert_eq!(
        community["hours"].as_f64().unwrap(),
        team_members as f64 * 12.0
    );
    let (status, body) = json(&committee, "/api/v1/volunteers/hours?by=unit").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "by 应为 person 或 team");
    let (_, later) = json(&committee, "/api/v1/volunteers/hours?year=2019").await;
    assert_eq!(later["items"].as_array().unwrap().len(), 0);

    // Another unit's secretary sees only what their unit took part in.
    let other = app.signed_in("secretary2").await;
    let (_, seen) = json(&other, "/api/v1/activities").await;
    let own = app.unit_id(tuanjian::demo::SECRETARY2_UNIT).await;
    let theirs: i64 = sqlx::query_scalar("select count(*) from activity_unit where unit_id = $1")
        .bind(own)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(seen["items"].as_array().unwrap().len() as i64, theirs);
}

//! Volunteer teams in Chromium: a secretary founds one for their unit from a phone (375 px)
//! after a faulty try and adds a member; the leader reads the demo's teams and the year's
//! volunteers at desktop width.

use fantoccini::{Client, Locator};

use crate::browser::{browser, screenshot, sign_in, text_of, wait_text};
use crate::helpers::{PASSWORD, TestApp};

/// Types into the form `form`'s fields and submits it with `button`.
async fn submit(c: &Client, form: &str, fields: &[(&str, &str)], button: &str) {
    let form = c.wait().for_element(Locator::Id(form)).await.unwrap();
    for (field, value) in fields {
        if *field == "domain" || *field == "founded_on" {
            c.execute(
                "document.getElementById(arguments[0]).value = arguments[1];",
                vec![(*field).into(), (*value).into()],
            )
            .await
            .unwrap();
        } else {
            let input = form.find(Locator::Id(field)).await.unwrap();
            input.clear().await.unwrap();
            input.send_keys(value).await.unwrap();
        }
    }
    form.find(Locator::Css(button))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_phone_width_a_secretary_founds_a_team_and_the_leader_reads_the_demos() {
    let app = TestApp::spawn().await;
    tuanjian::demo::load(&app.state).await.unwrap();
    let branch = crate::members::secretary_org(&app).await;
    let born = chrono::NaiveDate::from_ymd_opt(2000, 2, 3).unwrap();
    crate::members::store(
        &app,
        &[crate::members::new_member(
            branch,
            "志愿者甲".into(),
            born,
            11,
        )],
    )
    .await;
    let member = "志愿者甲".to_string();

    let phone = browser(375, 812, true).await;
    let c = &phone.client;
    sign_in(c, &app.base, "secretary", PASSWORD).await;
    text_of(c, "[data-testid=current-user]").await;
    c.goto(&format!("{}/teams/new", app.base)).await.unwrap();
    // Another unit as host: refused by name, nothing founded.
    let fields = [
        ("name", "社会事业局青年志愿服务队"),
        ("domain", "community"),
        ("unit_name", tuanjian::demo::SECRETARY2_UNIT),
        ("leader_name", member.as_str()),
        ("founded_on", "2018-05-04"),
    ];
    submit(c, "team-form", &fields, "#save-team").await;
    let error = text_of(c, ".flash-error").await;
    assert!(error.contains("不在您管理的范围内"), "{error}");
    screenshot(c, "team-form-error-375").await;
    submit(
        c,
        "team-form",
        &[("unit_name", tuanjian::demo::SECRETARY_UNIT)],
        "#save-team",
    )
    .await;
    wait_text(c, ".flash-ok", "已成立“社会事业局青年志愿服务队”。").await;
    submit(c, "add-team-member", &[("member-name", &member)], "button").await;
    wait_text(c, ".flash-ok", &format!("“{member}”已入队。")).await;
    let members = text_of(c, "[data-testid=team-members]").await;
    assert!(members.contains(&member), "{members}");
    screenshot(c, "team-page-375").await;

    let desk = browser(1280, 900, false).await;
    let d = &desk.client;
    sign_in(d, &app.base, "leader", PASSWORD).await;
    text_of(d, "[data-testid=current-user]").await;
    d.goto(&format!("{}/teams", app.base)).await.unwrap();
    let teams = text_of(d, "[data-testid=teams]").await;
    for name in [
        "青年环保志愿服务队",
        "社区青年志愿服务队",
        "社会事业局青年志愿服务队",
    ] {
        assert!(teams.contains(name), "{name}: {teams}");
    }
    d.find(Locator::LinkText("社区青年志愿服务队"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    d.goto(&format!("{}?year=2018", d.current_url().await.unwrap()))
        .await
        .unwrap();
    let months = text_of(d, "[data-testid=team-months]").await;
    assert!(months.contains("5月"), "{months}");
    screenshot(d, "team-months-1280").await;
    d.goto(&format!("{}/volunteers?year=2018", app.base))
        .await
        .unwrap();
    let people = text_of(d, "[data-testid=volunteers]").await;
    assert!(
        people.contains("12"),
        "the community team's 12 hours: {people}"
    );
    screenshot(d, "volunteers-1280").await;
}

//! Every figure lists exactly the rows it counts (issue 14, item 2): for every figure on
//! the dashboard, every list it links to (read to its last page) holds as many rows as it
//! says, or adds up to it; every choice on those units lists (kind, status, members,
//! organisation, eligible) lists as many units as it says; for the demo round, a locked
//! round and an open round with units reported and carried over, as each role sees them.
//! The figures and choices are found on the pages, so a new one is walked too.

use reqwest::Url;

use crate::drill_walk::{Figure, Walker, attr, figures, text, unescape};
use crate::helpers::TestApp;
use crate::rounds::open_2019;
use crate::survey::import_sample;

/// The units list's choices that show a count: its selects and its one checkbox.
const SELECTS: [&str; 4] = ["kind", "status", "has_members", "has_organization"];
const CHECKBOX: &str = "eligible_missing";

/// The number in `label（N）`.
fn count_in(label: &str) -> Option<i64> {
    let start = label.rfind('（')? + '（'.len_utf8();
    let end = start + label[start..].find('）')?;
    label[start..end].parse().ok()
}

/// Each choice on a units list page with a count: its parameter, value and count.
fn choices(page: &str) -> Vec<(&'static str, String, i64)> {
    let mut found = Vec::new();
    for name in SELECTS {
        let open = format!("<select id=\"{name}\" name=\"{name}\">");
        let start = page
            .find(&open)
            .unwrap_or_else(|| panic!("the {name} choice"));
        let select = &page[start..start + page[start..].find("</select>").unwrap()];
        for option in select.split("<option").skip(1) {
            let tag = &option[..option.find('>').unwrap()];
            let label = text(&format!("<option{option}"));
            if let Some(count) = count_in(&label) {
                found.push((name, attr(tag, "value").unwrap(), count));
            }
        }
    }
    let marker = format!("name=\"{CHECKBOX}\" value=\"true\"");
    let at = page.find(&marker).expect("the eligible choice");
    let label = &page[at..at + page[at..].find("</label>").unwrap()];
    found.push((CHECKBOX, "true".into(), count_in(&text(label)).unwrap()));
    found
}

/// `link` with `name` set to `value` (taken off when empty), from its first page.
fn choose(link: &str, name: &str, value: &str) -> String {
    let mut url = Url::parse(&format!("http://x{link}")).unwrap();
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != name && k != "after")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if !value.is_empty() {
        pairs.push((name.into(), value.into()));
    }
    url.query_pairs_mut().clear().extend_pairs(pairs);
    format!("{}?{}", url.path(), url.query().unwrap_or_default())
}

/// A units list: as many rows as it says, and each choice on it lists as many as it says.
async fn check_units(walker: &mut Walker<'_>, link: &str) {
    let listed = walker.list(link).await;
    assert_eq!(listed.said, Some(listed.rows.len() as i64), "{link}");
    let page = walker.page(link).await;
    for (name, value, count) in choices(&page) {
        let chosen = choose(link, name, &value);
        let listed = walker.list(&chosen).await;
        assert_eq!(listed.rows.len() as i64, count, "{link}: {name}={value}");
        assert_eq!(listed.said, Some(count), "{chosen}");
    }
}

/// A percentage: the share its part is of its whole (a figure, or its own list's rows).
async fn check_share(walker: &mut Walker<'_>, figure: &Figure, all: &[Figure]) {
    let value_of = |key: &str| -> f64 {
        let figure = all.iter().find(|f| f.key == key).expect(key);
        figure.value.parse().expect("a count")
    };
    let part = value_of(figure.part.as_deref().expect("a share's part"));
    let whole = match (&figure.whole, &figure.link) {
        (Some(whole), _) => value_of(whole),
        (None, Some(link)) => walker.list(link).await.rows.len() as f64,
        (None, None) => panic!("{}: a share of nothing", figure.key),
    };
    let expected = if whole > 0.0 {
        format!("{:.1}%", (part * 1000.0 / whole).round() / 10.0)
    } else {
        "—".to_string()
    };
    assert_eq!(figure.value, expected, "{}", figure.key);
}

/// One figure against the list behind it.
async fn check_figure(walker: &mut Walker<'_>, figure: &Figure, all: &[Figure]) {
    let at = format!("{} = {}", figure.key, figure.value);
    if figure.part.is_some() {
        check_share(walker, figure, all).await;
    } else {
        let link = figure
            .link
            .as_deref()
            .unwrap_or_else(|| panic!("{at}: no list"));
        if let Some((counted, reported)) = figure.value.split_once('／') {
            let shown = figures(&walker.page(link).await);
            let value = |key: &str| shown.iter().find(|f| f.key == key).unwrap().value.clone();
            assert_eq!(
                (value("counted"), value("reported")),
                (counted.into(), reported.into())
            );
        } else {
            assert!(
                figure.value.chars().all(|c| c.is_ascii_digit() || c == '.'),
                "{at}: a count"
            );
            let value = crate::drill_walk::tenths(&figure.value);
            let listed = walker.list(link).await;
            let listed_value = match &figure.adds {
                Some(column) => listed.total_tenths(column),
                None => listed.rows.len() as i64 * 10,
            };
            assert_eq!(listed_value, value, "{at}: {link}");
            if let Some(said) = listed.said {
                assert_eq!(said, listed.rows.len() as i64, "{link}");
            }
        }
    }
    if let Some(link) = figure.link.as_deref().filter(|l| l.starts_with("/units")) {
        check_units(walker, link).await;
    }
}

/// Walks a round's dashboard: every figure, its list and the choices on it. Answers how
/// many figures and distinct lists were walked.
async fn walk_dashboard(walker: &mut Walker<'_>, survey: i64) -> (usize, usize) {
    let page = walker.page(&format!("/dashboard?survey={survey}")).await;
    let all = figures(&page);
    assert!(all.len() >= 16, "the dashboard's figures: {all:?}");
    for figure in &all {
        check_figure(walker, figure, &all).await;
    }
    (
        all.len() + walk_charts(walker, survey).await,
        walker.lists(),
    )
}

/// Walks a round's chart data: each bar against the units list it links to. Answers how
/// many bars were walked.
async fn walk_charts(walker: &mut Walker<'_>, survey: i64) -> usize {
    let path = format!("/dashboard/charts?survey={survey}");
    let charts: serde_json::Value = walker.client.get(&path).await.json().await.unwrap();
    let mut bars = 0;
    for chart in ["by_kind", "change"] {
        for bar in charts[chart].as_array().unwrap() {
            let link = bar["link"].as_str().unwrap();
            let listed = walker.list(link).await;
            assert_eq!(listed.total("团员"), bar["members"], "{chart}: {link}");
            assert_eq!(listed.total("青年"), bar["youth"], "{chart}: {link}");
            bars += 1;
        }
    }
    for bar in charts["coverage"].as_array().unwrap() {
        let link = bar["link"].as_str().unwrap();
        let listed = walker.list(link).await;
        assert_eq!(listed.rows.len(), bar["value"], "coverage: {link}");
        bars += 1;
    }
    bars
}

/// Walks a round as the committee and as a leader, and the units list as a secretary
/// when the demo secretaries' units are there.
async fn walk_round(app: &TestApp, survey: i64, secretary: bool) {
    for user in ["committee", "leader"] {
        let client = app.signed_in(user).await;
        let mut walker = Walker::new(&client);
        let (shown, lists) = walk_dashboard(&mut walker, survey).await;
        eprintln!("round {survey} as {user}: {shown} figures, {lists} lists walked");
        // The reminder list (the latest round's) holds as many units as it says.
        let listed = walker.list("/reminders").await;
        assert_eq!(listed.said, Some(listed.rows.len() as i64), "/reminders");
    }
    if !secretary {
        return;
    }
    let secretary = app.signed_in("secretary").await;
    let mut walker = Walker::new(&secretary);
    check_units(&mut walker, &format!("/units?survey={survey}")).await;
    check_units(&mut walker, "/units").await;
}

#[tokio::test]
async fn every_figure_of_the_demo_round_lists_what_it_counts() {
    let app = TestApp::spawn().await;
    let round = import_sample(&app).await;

    walk_round(&app, round, true).await;
}

#[tokio::test]
async fn every_figure_of_a_locked_and_an_open_round_lists_what_it_counts() {
    // Arrange: the seed's round locked, then changed after (an approval, a closure); a
    // 2019 round open with two units reported and the others carried over.
    let app = TestApp::spawn().await;
    let locked = import_sample(&app).await;
    let open = open_2019(&app).await;
    let committee = app.signed_in("committee").await;
    let response = committee
        .post_form(&format!("/surveys/{locked}/lock"), &[])
        .await;
    assert_eq!(response.status(), 303);
    for (user, figures) in [
        ("secretary", ["40", "20", "5"]),
        ("secretary2", ["9", "6", "1"]),
    ] {
        let unit = match user {
            "secretary" => tuanjian::demo::SECRETARY_UNIT,
            _ => tuanjian::demo::SECRETARY2_UNIT,
        };
        let own = app.unit_id(unit).await;
        let response = app
            .signed_in(user)
            .await
            .post_form(
                &format!("/units/{own}/report"),
                &[
                    ("staff", figures[0]),
                    ("youth", figures[1]),
                    ("members", figures[2]),
                ],
            )
            .await;
        assert_eq!(response.status(), 303, "{user} reports");
    }
    let (_, queue) = committee.get_text("/applications").await;
    let approve = queue.find("/approve\"").expect("an application waiting");
    let action = &queue[queue[..approve].rfind('"').unwrap() + 1..approve + "/approve".len()];
    let response = committee
        .post_form(
            &unescape(action),
            &[
                ("approval_number", "开团工委〔2026〕1号"),
                ("approved_on", "2026-03-10"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let enterprise: i64 = sqlx::query_scalar(
        "select e.unit_id from survey_entry e join unit u using (unit_id)
          where e.survey_id = $1 and u.kind = 'enterprise' and e.members >= 3
            and not u.has_organization
          order by u.name limit 1",
    )
    .bind(open)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let response = committee
        .post_form(&format!("/units/{enterprise}/close"), &[])
        .await;
    assert_eq!(response.status(), 303);

    // Act and assert
    walk_round(&app, locked, true).await;
    walk_round(&app, open, true).await;
}

#[tokio::test]
async fn every_figure_of_a_generated_zone_lists_what_it_counts() {
    let app = TestApp::spawn().await;
    crate::generate::generated(&app.db, 7, app.clock.today()).await;
    let rounds: Vec<i64> = sqlx::query_scalar("select survey_id from survey order by as_of")
        .fetch_all(&app.db)
        .await
        .unwrap();

    for round in rounds {
        walk_round(&app, round, false).await;
    }
}

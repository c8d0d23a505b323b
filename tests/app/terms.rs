//! Organisations' terms (换届): the term end derived alike however an organisation came,
//! the secretary read from the roster, the 换届提醒 list and its scope, and the notices
//! 90 and 30 days before, each sent once.

use chrono::{NaiveDate, TimeZone, Utc};
use tuanjian::services::reminders::notify_terms_ending;

use crate::helpers::TestApp;
use crate::members::{joint_branch, new_member, secretary_org, store};
use crate::survey::import;
use crate::workbooks::SAMPLE_XLSX;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The tests' today: 1 June 2026 in Beijing.
const TODAY: (i32, u32, u32) = (2026, 6, 1);

async fn on_today(app: &TestApp) -> NaiveDate {
    app.clock.set(
        Utc.with_ymd_and_hms(TODAY.0, TODAY.1, TODAY.2, 4, 0, 0)
            .unwrap(),
    );
    let today = app.clock.today();
    assert_eq!(today, day(TODAY.0, TODAY.1, TODAY.2));
    today
}

async fn org_named(app: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("select organization_id from organization where name = $1")
        .bind(name)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn term_end(app: &TestApp, org: i64) -> Option<NaiveDate> {
    sqlx::query_scalar("select term_ends_on from organization where organization_id = $1")
        .bind(org)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// Makes `org`'s three-year term end on `ends` by its last election.
async fn ending_on(app: &TestApp, org: i64, ends: NaiveDate) {
    sqlx::query(
        "update organization set elected_on = $2, term_years = 3 where organization_id = $1",
    )
    .bind(org)
    .bind(ends.with_year_offset(-3))
    .execute(&app.db)
    .await
    .unwrap();
    assert_eq!(term_end(app, org).await, Some(ends));
}

trait YearOffset {
    fn with_year_offset(self, years: i32) -> NaiveDate;
}

impl YearOffset for NaiveDate {
    fn with_year_offset(self, years: i32) -> NaiveDate {
        use chrono::Datelike;
        self.with_year(self.year() + years).unwrap()
    }
}

async fn notices(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from notification where kind = 'term_reminder'")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_imported_organisation_shows_its_term_end_from_its_approval() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = org_named(&app, "自然资源局团支部").await;
    assert_eq!(
        term_end(&app, org).await,
        Some(day(2021, 3, 24)),
        "approved 2018-03-24, three years"
    );
    let without: i64 = sqlx::query_scalar(
        "select count(*) from organization where kind <> 'committee' and term_ends_on is null",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(without, 0, "every imported organisation has a term end");
    let committee = app.signed_in("committee").await;
    let (status, page) = committee.get_text(&format!("/organizations/{org}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("<dd data-testid=\"term-ends\">2021-03-24</dd>"));
}

#[tokio::test]
async fn the_term_end_follows_every_change_of_its_dates_and_cannot_be_written() {
    let app = TestApp::spawn().await;
    let org = secretary_org(&app).await;
    assert_eq!(term_end(&app, org).await, Some(day(2021, 7, 1)));
    sqlx::query("update organization set term_years = 2 where organization_id = $1")
        .bind(org)
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(term_end(&app, org).await, Some(day(2020, 7, 1)));
    let committee = app.signed_in("committee").await;
    let response = committee
        .post_form(
            &format!("/organizations/{org}/term"),
            &[
                ("secretary_name", ""),
                ("elected_on", "2024-05-20"),
                ("term_years", "3"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(term_end(&app, org).await, Some(day(2027, 5, 20)));
    let written = sqlx::query(
        "update organization set term_ends_on = '2099-01-01' where organization_id = $1",
    )
    .bind(org)
    .execute(&app.db)
    .await;
    assert!(written.is_err(), "the term end is derived, never written");
    assert_eq!(term_end(&app, org).await, Some(day(2027, 5, 20)));
}

#[tokio::test]
async fn the_page_names_the_roster_secretary_and_says_where_it_comes_from() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let org = org_named(&app, "自然资源局团支部").await;
    let committee = app.signed_in("committee").await;
    let page = format!("/organizations/{org}");
    let (_, body) = committee.get_text(&page).await;
    assert!(body.contains("<dd data-testid=\"secretary\">—</dd>"));

    committee
        .post_form(
            &format!("/organizations/{org}/cadres"),
            &[("name", "郭芳霞"), ("post", "书记")],
        )
        .await;
    let (_, body) = committee.get_text(&page).await;
    assert!(body.contains("郭芳霞 <span class=\"muted\">（来源：委员会名单）</span>"));

    let born = day(2000, 1, 1);
    let mut secretary = new_member(org, "阿依古丽·买买提".into(), born, 11);
    secretary.league_post = Some("团支部书记".into());
    let mut deputy = new_member(org, "王副".into(), born, 13);
    deputy.league_post = Some("团支部副书记".into());
    store(
        &app,
        &[
            secretary,
            deputy,
            new_member(org, "李团员".into(), born, 15),
        ],
    )
    .await;
    let (_, body) = committee.get_text(&page).await;
    assert!(
        body.contains(
            "<dd data-testid=\"secretary\">阿依古丽·买买提 <span class=\"muted\">（来源：团员名册）</span></dd>"
        ),
        "the roster's secretary, not the deputy"
    );
}

#[tokio::test]
async fn the_term_list_shows_overdue_and_soon_ending_organisations_overdue_first() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let today = on_today(&app).await;
    let soon = org_named(&app, "招商局团支部").await;
    let later = org_named(&app, "财政局团支部").await;
    let overdue = org_named(&app, "自然资源局团支部").await;
    ending_on(&app, soon, today + chrono::Days::new(60)).await;
    ending_on(&app, later, today + chrono::Days::new(200)).await;
    let committee = app.signed_in("committee").await;

    let (status, body) = committee.get_text("/organizations/terms").await;
    assert_eq!(status, 200);
    assert!(body.contains("招商局团支部") && body.contains("还有60天"));
    assert!(
        !body.contains("财政局团支部"),
        "200 days away is not listed"
    );
    let days_over = (today - day(2021, 3, 24)).num_days();
    assert!(body.contains(&format!("已逾期{days_over}天")));
    let at = |org: i64| body.find(&format!("/organizations/{org}\"")).unwrap();
    assert!(at(overdue) < at(soon), "overdue first");
    let listed: i64 = sqlx::query_scalar(
        "select count(*) from organization where kind <> 'committee' and term_ends_on <= $1",
    )
    .bind(today + chrono::Days::new(90))
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!(body.contains(&format!(
        "共 <strong>{listed}</strong> 个团组织，其中 <strong class=\"warn\">{}</strong> 个已逾期未换届",
        listed - 1
    )));
    let (_, tree) = committee.get_text("/organizations").await;
    assert!(tree.contains("href=\"/organizations/terms\""));
}

#[tokio::test]
async fn the_term_list_pages_through_a_long_list() {
    let app = TestApp::spawn().await;
    on_today(&app).await;
    sqlx::query(
        "insert into organization (parent_id, kind, name, established_on)
         select (select organization_id from organization where kind = 'committee'), '联合团支部',
                '联合团支部' || to_char(i, 'FM00'), date '2020-01-01' + i
           from generate_series(1, 60) i",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let leader = app.signed_in("leader").await;
    let (_, first) = leader.get_text("/organizations/terms").await;
    assert!(first.contains("联合团支部01") && first.contains("联合团支部50"));
    assert!(!first.contains("联合团支部51"));
    let next = first
        .split("href=\"")
        .find_map(|s| {
            s.split_once('"')
                .map(|(h, _)| h)
                .filter(|h| h.contains("after="))
        })
        .expect("a next link")
        .to_string();
    let (_, second) = leader.get_text(&next).await;
    assert!(second.contains("联合团支部51") && second.contains("联合团支部60"));
    assert!(!second.contains("联合团支部50<") && second.contains("回到第一页"));
}

#[tokio::test]
async fn the_term_list_is_scoped_and_refused_to_strangers() {
    let app = TestApp::spawn().await;
    let today = on_today(&app).await;
    let org = secretary_org(&app).await;
    ending_on(&app, org, today + chrono::Days::new(60)).await;

    let (status, body) = app
        .signed_in("secretary")
        .await
        .get_text("/organizations/terms")
        .await;
    assert_eq!(status, 200);
    assert!(body.contains("社会事业局团支部") && body.contains("还有60天"));

    let other = app.signed_in("secretary2").await;
    let (status, body) = other.get_text("/organizations/terms").await;
    assert_eq!(status, 200);
    assert!(!body.contains("社会事业局团支部") && body.contains("没有需要换届的团组织"));
    assert_eq!(
        other.get(&format!("/organizations/{org}")).await.status(),
        404
    );

    let response = app.client().get("/organizations/terms").await;
    assert_eq!(response.status(), 303);
    let to = response.headers()["location"].to_str().unwrap();
    assert!(to.starts_with("/login"), "→ {to}");
    let admin = app.signed_in("admin").await;
    assert_eq!(admin.get("/organizations/terms").await.status(), 403);
}

#[tokio::test]
async fn secretaries_are_told_ninety_and_thirty_days_before_once_each() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let today = on_today(&app).await;
    let org = secretary_org(&app).await;
    let ends = today + chrono::Days::new(100);
    ending_on(&app, org, ends).await;
    let now = app.clock.now();
    let run = |day: NaiveDate| notify_terms_ending(&app.db, day, now);

    assert_eq!(
        run(today).await.unwrap().notices,
        0,
        "100 days is too early"
    );
    let day90 = ends - chrono::Days::new(90);
    let sent = run(day90).await.unwrap();
    assert_eq!((sent.units, sent.notices), (1, 1), "the secretary's own");
    assert_eq!(run(day90).await.unwrap().notices, 0, "once");
    assert_eq!(run(day90 + chrono::Days::new(5)).await.unwrap().notices, 0);
    assert_eq!(notices(&app).await, 1);
    let inbox = |who: &'static str| {
        let app = &app;
        async move { app.signed_in(who).await.get_text("/inbox").await.1 }
    };
    assert!(
        inbox("secretary")
            .await
            .contains("社会事业局团支部任期还有90天届满")
    );
    assert!(!inbox("secretary2").await.contains("任期还有"));

    let day30 = ends - chrono::Days::new(25);
    assert_eq!(run(day30).await.unwrap().notices, 1, "the 30-day notice");
    assert_eq!(run(day30).await.unwrap().notices, 0, "once");
    assert_eq!(notices(&app).await, 2);
    assert!(inbox("secretary").await.contains("任期还有25天届满"));
    assert_eq!(app.audit_count("organization.term_reminded").await, 2);
    let overdue_recorded: i64 = sqlx::query_scalar(
        "select count(*) from organization_term_notice where organization_id <> $1",
    )
    .bind(org)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(overdue_recorded, 0, "terms already past get no notice");

    // 换届: the next term gets its own notices.
    let next_ends = (ends + chrono::Days::new(10)).with_year_offset(3);
    ending_on(&app, org, next_ends).await;
    assert_eq!(run(day30).await.unwrap().notices, 0);
    assert_eq!(
        run(next_ends - chrono::Days::new(80))
            .await
            .unwrap()
            .notices,
        1
    );
    assert_eq!(notices(&app).await, 3);
}

/// A joint branch has no unit of its own: its notice goes to the secretaries of the units
/// it spans, once each.
#[tokio::test]
async fn a_joint_branchs_notice_reaches_the_secretaries_of_its_units() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let today = on_today(&app).await;
    let unit = app.unit_id(tuanjian::demo::SECRETARY_UNIT).await;
    let joint = joint_branch(&app, "社会事业联合团支部", &[unit]).await;
    ending_on(&app, joint, today + chrono::Days::new(60)).await;

    let sent = notify_terms_ending(&app.db, today, app.clock.now())
        .await
        .unwrap();

    assert_eq!((sent.units, sent.notices), (1, 1));
    let inbox = |who: &'static str| {
        let app = &app;
        async move { app.signed_in(who).await.get_text("/inbox").await.1 }
    };
    assert!(
        inbox("secretary")
            .await
            .contains("社会事业联合团支部任期还有60天届满")
    );
    assert!(!inbox("secretary2").await.contains("任期还有"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_committee_opens_the_term_list_in_chromium() {
    use crate::browser::{browser, sign_in, text_of};
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let today = on_today(&app).await;
    let soon = org_named(&app, "招商局团支部").await;
    ending_on(&app, soon, today + chrono::Days::new(60)).await;
    let browser = browser(1280, 900, false).await;
    let c = &browser.client;
    sign_in(c, &app.base, "committee", crate::helpers::PASSWORD).await;
    c.goto(&format!("{}/organizations", app.base))
        .await
        .unwrap();
    c.find(fantoccini::Locator::LinkText("换届提醒"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let count = text_of(c, "[data-testid=term-count]").await;
    assert!(count.contains("已逾期未换届"), "{count}");
    let table = text_of(c, "[data-testid=terms]").await;
    assert!(table.contains("招商局团支部") && table.contains("还有60天"));
    std::fs::write("/tmp/terms.png", c.screenshot().await.unwrap()).unwrap();
}

//! The activity and volunteer totals the database keeps (migration 0035) equal a recount
//! after every kind of change that feeds them, and say what counting the activities of
//! the year directly says: per year (an activity spanning New Year counts in both), per
//! person, with cancelled activities left out of the hours.

use chrono::NaiveDate;
use tuanjian::clock::Clock;
use tuanjian::db;
use tuanjian::domain::role::Scope;

use crate::helpers::TestApp;
use crate::members::{new_member, secretary_org, store};
use crate::participation::{flashed, rally};
use crate::survey::import;
use crate::workbooks::SAMPLE_XLSX;

/// Every kept row, as text.
async fn kept(db: impl sqlx::PgExecutor<'_>) -> Vec<String> {
    sqlx::query_scalar(
        "(select t::text from activity_total t order by activity_id)
         union all
         (select t::text from activity_year_total t
           where (activities, participants, units, hours_tenths) <> (0, 0, 0, 0) order by year, kind)
         union all
         (select v::text from volunteer_year v order by year, person_key)
         union all
         (select t::text from volunteer_year_total t where volunteers <> 0 order by year)",
    )
    .fetch_all(db)
    .await
    .unwrap()
}

/// The calendar year's instants in the zone's time.
fn span(
    year: i32,
) -> (
    i32,
    chrono::DateTime<chrono::Utc>,
    chrono::DateTime<chrono::Utc>,
) {
    let clock = Clock::default();
    let first = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
    (
        year,
        clock.start_of(first(year)),
        clock.start_of(first(year + 1)),
    )
}

/// The kept totals equal a recount (rolled back), and for 2018 and 2019 the dashboard's
/// figures and the hours per person equal those counted from the year's activities.
async fn assert_kept(app: &TestApp, step: &str) {
    let before = kept(&app.db).await;
    let mut tx = app.db.begin().await.unwrap();
    sqlx::query("select refresh_activity_totals()")
        .execute(&mut *tx)
        .await
        .unwrap();
    let recounted = kept(&mut *tx).await;
    tx.rollback().await.unwrap();
    assert!(!before.is_empty(), "{step}");
    assert_eq!(before, recounted, "after {step}");

    for year in [2018, 2019] {
        let (y, from, to) = span(year);
        let filter = db::activity::Filter {
            from: Some(from),
            to: Some(to),
            ..Default::default()
        };
        let direct = db::activity::totals(&app.db, &Scope::Zone, &filter)
            .await
            .unwrap();
        let totals = db::activity_total::year(&app.db, y).await.unwrap();
        assert_eq!(
            (
                totals.activities,
                totals.volunteer,
                totals.contests,
                totals.participants,
                totals.units,
                totals.hours_tenths
            ),
            (
                direct.activities,
                direct.volunteer,
                direct.contests,
                direct.participants,
                direct.units,
                direct.hours_tenths
            ),
            "{year} after {step}"
        );
        let counted: Vec<(String, i64, i64)> = sqlx::query_as(
            "select person_key(p.member_id, p.phone_index, p.participation_id), count(*),
                    sum(p.hours_tenths)::bigint
               from participation p join activity a using (activity_id)
              where a.ends_at >= $1 and a.starts_at < $2 and a.state <> 'cancelled'
              group by 1 having sum(p.hours_tenths) > 0 order by 1",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&app.db)
        .await
        .unwrap();
        let people =
            db::participation::hours_by_person(&app.db, &Scope::Zone, span(year), None, 1000)
                .await
                .unwrap();
        let listed: Vec<(String, i64, i64)> = people
            .iter()
            .map(|p| (p.person_key.clone(), p.activities, p.hours_tenths))
            .collect();
        assert_eq!(listed, counted, "people of {year} after {step}");
        let volunteers = db::participation::volunteers(&app.db, &Scope::Zone, span(year))
            .await
            .unwrap();
        assert_eq!(volunteers, counted.len() as i64, "{year} after {step}");
    }
}

async fn execute(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(&app.db).await.unwrap();
}

#[tokio::test]
async fn kept_activity_totals_equal_a_recount_after_every_kind_of_change() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    let branch = secretary_org(&app).await;
    let born = NaiveDate::from_ymd_opt(2000, 2, 3).unwrap();
    store(
        &app,
        &[
            new_member(branch, "名册甲".into(), born, 11),
            new_member(branch, "名册乙".into(), born, 13),
        ],
    )
    .await;
    let committee = app.signed_in("committee").await;
    let page = rally(&app, &committee).await;
    assert_kept(&app, "an activity without people").await;

    // People and hours, through the pages.
    for name in ["名册甲", "名册乙"] {
        flashed(
            &committee,
            &format!("{page}/participants/member"),
            &[("name", name), ("role", "volunteer")],
        )
        .await;
    }
    let youth = [
        ("name", "李青"),
        ("phone", "13800138000"),
        ("unit", "准东某物流公司"),
        ("role", "volunteer"),
    ];
    flashed(&committee, &format!("{page}/participants/person"), &youth).await;
    assert_kept(&app, "adding people").await;
    let saved = flashed(&committee, &format!("{page}/hours"), &[("all", "3")]).await;
    assert!(saved.contains("已保存服务时长"), "{saved}");
    assert_kept(&app, "recording hours").await;
    let totals = db::activity_total::year(&app.db, 2018).await.unwrap();
    assert_eq!((totals.participants, totals.hours_tenths), (3, 90));

    // Units taking part; an activity over New Year with the same people; a contest.
    execute(
        &app,
        "insert into activity_unit (activity_id, unit_id, role)
         select a.activity_id, u.unit_id, 'participant' from activity a,
                (select unit_id from unit order by unit_id limit 3) u",
    )
    .await;
    assert_kept(&app, "adding units").await;
    execute(
        &app,
        "insert into activity (kind, title, starts_at, ends_at, organization_id, state)
         select 'volunteer', '跨年志愿服务', '2018-12-31 20:00+08', '2019-01-01 02:00+08',
                organization_id, 'done' from organization where kind = 'committee'",
    )
    .await;
    execute(
        &app,
        "insert into participation (activity_id, member_id, role, hours_tenths)
         select a.activity_id, m.member_id, 'volunteer', 40
           from activity a, member m where a.title = '跨年志愿服务'",
    )
    .await;
    assert_kept(&app, "an activity over New Year").await;
    let (y2018, y2019) = (
        db::activity_total::year(&app.db, 2018).await.unwrap(),
        db::activity_total::year(&app.db, 2019).await.unwrap(),
    );
    assert_eq!((y2018.activities, y2019.activities), (2, 1));
    assert_eq!(y2019.hours_tenths, 80);
    execute(
        &app,
        "insert into activity (kind, title, starts_at, ends_at, organization_id)
         select 'contest', '好声音', '2018-09-01 09:00+08', '2018-09-01 12:00+08', organization_id
           from organization where kind = 'committee'",
    )
    .await;
    assert_kept(&app, "a contest without people").await;

    // Changes: a person's hours and removal, a moved and re-kinded activity, a
    // cancellation and its reversal, units leaving, an activity deleted with its people.
    execute(
        &app,
        "update participation set hours_tenths = 0 where person_name = '李青'",
    )
    .await;
    assert_kept(&app, "hours taken back").await;
    execute(
        &app,
        "delete from participation where member_id = (select member_id from member where name = '名册乙')
            and activity_id = (select activity_id from activity where title = '跨年志愿服务')",
    )
    .await;
    assert_kept(&app, "removing a person").await;
    execute(
        &app,
        "update activity set kind = 'culture', starts_at = starts_at + interval '1 day',
                ends_at = ends_at + interval '1 day' where title = '跨年志愿服务'",
    )
    .await;
    assert_kept(&app, "moving an activity into the next year").await;
    assert_eq!(
        db::activity_total::year(&app.db, 2018)
            .await
            .unwrap()
            .activities,
        2
    );
    execute(
        &app,
        "update activity set state = 'cancelled' where title like '青年环保行%'",
    )
    .await;
    assert_kept(&app, "cancelling the rally").await;
    execute(
        &app,
        "update activity set state = 'done' where title like '青年环保行%'",
    )
    .await;
    assert_kept(&app, "reopening the rally").await;
    execute(
        &app,
        "delete from activity_unit where unit_id = (select min(unit_id) from unit)",
    )
    .await;
    assert_kept(&app, "a unit leaving").await;
    execute(&app, "delete from activity where title = '跨年志愿服务'").await;
    assert_kept(&app, "deleting an activity with its people").await;

    // Another time zone recounts the years once; the same one again does nothing. At
    // 06:00 on New Year's Day in Beijing it is still the old year in São Paulo.
    execute(
        &app,
        "insert into activity (kind, title, starts_at, ends_at, organization_id)
         select 'meeting', '元旦团员大会', '2019-01-01 06:00+08', '2019-01-01 07:00+08',
                organization_id from organization where kind = 'committee'",
    )
    .await;
    assert_kept(&app, "an activity early on New Year's Day").await;
    let in_2018 = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            db::activity_total::year(&db, 2018)
                .await
                .unwrap()
                .activities
        }
    };
    let beijing = in_2018(&app).await;
    assert!(
        !db::activity_total::use_time_zone(&app.db, "Asia/Shanghai")
            .await
            .unwrap()
    );
    assert!(
        db::activity_total::use_time_zone(&app.db, "America/Sao_Paulo")
            .await
            .unwrap()
    );
    assert_eq!(
        in_2018(&app).await,
        beijing + 1,
        "the years follow the zone"
    );
    assert!(
        db::activity_total::use_time_zone(&app.db, "Asia/Shanghai")
            .await
            .unwrap()
    );
    assert_eq!(in_2018(&app).await, beijing);
    assert_kept(&app, "changing the time zone and back").await;
}

//! The totals the database maintains (survey_total and the units' facts) equal a recount
//! after every kind of change that feeds them.

use chrono::NaiveDate;
use tuanjian::db::member::NewMember;

use crate::helpers::TestApp;
use crate::members::{new_member, store};
use crate::survey::{actor, import};
use crate::workbooks::SAMPLE_XLSX;

/// Every maintained figure, as text.
async fn maintained(db: impl sqlx::PgExecutor<'_>) -> Vec<String> {
    sqlx::query_scalar(
        "(select t::text from survey_total t order by survey_id, kind)
         union all
         (select f::text from unit_facet f where units <> 0
           order by survey_id, kind, status, has_members, has_organization, eligible_missing, pending, closed,
                    eligible)
         union all
         (select (u.unit_id, u.has_organization, u.application_pending, u.counted_members)::text
            from unit u order by unit_id)
         union all
         (select p::text from survey_progress p where entries <> 0 or reported <> 0
           order by survey_id)",
    )
    .fetch_all(db)
    .await
    .unwrap()
}

/// The maintained figures equal those recounted from scratch (the recount is rolled back).
pub async fn assert_recount(app: &TestApp, step: &str) {
    let kept = maintained(&app.db).await;
    let mut tx = app.db.begin().await.unwrap();
    sqlx::query("select refresh_survey_totals()")
        .execute(&mut *tx)
        .await
        .unwrap();
    let recounted = maintained(&mut *tx).await;
    tx.rollback().await.unwrap();
    assert!(!kept.is_empty());
    assert_eq!(kept, recounted, "after {step}");
    assert_facets(app, step).await;
    assert_name_search(app, step).await;
    assert_application_totals(app, step).await;
}

/// The applications kept per state (migration 0018) equal those counted.
async fn assert_application_totals(app: &TestApp, step: &str) {
    let states = |sql: &'static str| async move {
        sqlx::query_as::<_, (String, i64)>(sql)
            .fetch_all(&app.db)
            .await
            .unwrap()
    };
    let kept = states(
        "select state, applications from application_total where applications <> 0 order by state",
    )
    .await;
    let counted =
        states("select state, count(*) from formation_application group by state order by state")
            .await;
    assert_eq!(kept, counted, "applications per state after {step}");
}

/// The name search's pieces (migration 0015) equal those of the members' names.
async fn assert_name_search(app: &TestApp, step: &str) {
    let pieces = |sql: &'static str| async move {
        sqlx::query_scalar::<_, String>(sql)
            .fetch_all(&app.db)
            .await
            .unwrap()
    };
    let kept = pieces("select (gram, name, member_id)::text from member_search order by 1").await;
    let recounted = pieces(
        "select (g, name, member_id)::text from member, unnest(name_bigrams(name)) g order by 1",
    )
    .await;
    assert_eq!(kept, recounted, "name search after {step}");
}

/// The units list's counts from the kept facets equal those counted, for every round and
/// a spread of filters.
async fn assert_facets(app: &TestApp, step: &str) {
    use tuanjian::db::unit::{Filter, facets_counted, facets_kept};
    use tuanjian::domain::ids::SurveyId;
    use tuanjian::domain::role::Scope;
    let rounds: Vec<i64> = sqlx::query_scalar("select survey_id from survey")
        .fetch_all(&app.db)
        .await
        .unwrap();
    let some = |s: &str| Some(s.to_string());
    let filters = [
        Filter::default(),
        Filter {
            kind: some("enterprise"),
            has_members: Some(true),
            ..Default::default()
        },
        Filter {
            kind: some("department_community"),
            ..Default::default()
        },
        Filter {
            status: Some(tuanjian::db::unit::Status::Operating),
            ..Default::default()
        },
        Filter {
            has_members: Some(false),
            ..Default::default()
        },
        Filter {
            has_organization: Some(true),
            ..Default::default()
        },
        Filter {
            has_organization: Some(false),
            include_closed: true,
            ..Default::default()
        },
        Filter {
            eligible_missing: true,
            ..Default::default()
        },
        Filter {
            pending: Some(true),
            ..Default::default()
        },
        Filter {
            pending: Some(false),
            kind: some("community"),
            ..Default::default()
        },
    ];
    for round in rounds {
        for filter in &filters {
            let kept = facets_kept(&app.db, SurveyId(round), filter).await.unwrap();
            let counted = facets_counted(&app.db, &Scope::Zone, Some(SurveyId(round)), filter)
                .await
                .unwrap();
            assert_eq!(kept, counted, "after {step}, round {round}, {filter:?}");
        }
        // The reminder list's length, kept, against its units listed.
        let kept = tuanjian::db::formation::reminder_count(&app.db, SurveyId(round))
            .await
            .unwrap();
        let listed =
            tuanjian::db::formation::reminder_list(&app.db, SurveyId(round), None, 100_000)
                .await
                .unwrap();
        assert_eq!(
            kept,
            listed.len() as i64,
            "reminders after {step}, round {round}"
        );
    }
}

async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(&app.db).await.unwrap();
}

async fn unit_named(app: &TestApp, name: &str) -> i64 {
    app.unit_id(name).await
}

#[tokio::test]
async fn maintained_totals_equal_a_recount_after_every_kind_of_change() {
    let app = TestApp::spawn().await;
    import(&app, SAMPLE_XLSX).await.unwrap();
    assert_recount(&app, "importing the sample").await;

    // An organisation formed for a unit without one, and a joint branch of two units.
    let lone: Vec<i64> = sqlx::query_scalar(
        "select e.unit_id from survey_entry e join unit u using (unit_id)
          where not u.has_organization order by e.members desc, e.unit_id limit 4",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let own: i64 = sqlx::query_scalar(
        "insert into organization (parent_id, kind, name, unit_id)
         select organization_id, '团支部', '新团支部', $1 from organization where kind = 'committee'
         returning organization_id",
    )
    .bind(lone[0])
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_recount(&app, "forming an organisation").await;
    let joint = crate::members::joint_branch(&app, "联合团支部一", &[lone[1], lone[2]]).await;
    assert_recount(&app, "linking a joint branch").await;

    // Members: added to both, moved, aged out, removed.
    let members: Vec<NewMember> = (0..6u16)
        .map(|i| {
            let born = NaiveDate::from_ymd_opt(1999, 3, 1 + u32::from(i)).unwrap();
            new_member(
                if i < 4 { own } else { joint },
                format!("成员{i}"),
                born,
                40 + i,
            )
        })
        .collect();
    store(&app, &members).await;
    assert_recount(&app, "adding members").await;
    exec(
        &app,
        &format!("update member set organization_id = {joint} where name = '成员0'"),
    )
    .await;
    assert_recount(&app, "transferring a member").await;
    exec(
        &app,
        "update member set state = 'aged_out' where name = '成员1'",
    )
    .await;
    assert_recount(&app, "ageing a member out").await;
    exec(
        &app,
        "update member set name = '新成员3' where name = '成员3'",
    )
    .await;
    assert_recount(&app, "renaming a member").await;
    let pieces: i64 = sqlx::query_scalar("select count(*) from member_search where gram = '新成'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(pieces, 1, "the new name is found by its pieces");
    exec(&app, "delete from member where name = '成员2'").await;
    assert_recount(&app, "removing a member").await;
    exec(
        &app,
        &format!("delete from organization_unit where unit_id = {}", lone[2]),
    )
    .await;
    assert_recount(&app, "unlinking a unit from the joint branch").await;

    // Applications: submitted, returned; a unit's kind changed.
    sqlx::query(
        "insert into formation_application (unit_id, state, proposed_name, proposed_kind, member_count, youth_count, submitted_at)
         values ($1, 'submitted', '待批团支部', '团支部', 5, 9, now())",
    )
    .bind(lone[3])
    .execute(&app.db)
    .await
    .unwrap();
    assert_recount(&app, "submitting an application").await;
    exec(&app, &format!("update formation_application set state = 'returned', decision_note = '请补充材料' where unit_id = {}", lone[3])).await;
    assert_recount(&app, "returning an application").await;
    exec(
        &app,
        &format!(
            "update formation_application set proposed_name = '改名团支部' where unit_id = {}",
            lone[3]
        ),
    )
    .await;
    assert_recount(&app, "renaming an application").await;
    exec(
        &app,
        &format!(
            "update formation_application set state = 'resubmitted' where unit_id = {}",
            lone[3]
        ),
    )
    .await;
    assert_recount(&app, "resubmitting an application").await;
    let department = unit_named(&app, tuanjian::demo::SECRETARY_UNIT).await;
    exec(
        &app,
        &format!("update unit set kind = 'community' where unit_id = {department}"),
    )
    .await;
    assert_recount(&app, "changing a unit's kind").await;
    exec(
        &app,
        &format!(
            "update unit set closed_on = '2019-01-01' where unit_id = {}",
            lone[1]
        ),
    )
    .await;
    assert_recount(&app, "closing a unit").await;
    exec(
        &app,
        "insert into unit (kind, name, status) values ('enterprise', '新办企业', '在建')",
    )
    .await;
    assert_recount(&app, "adding a unit").await;

    // Round entries: figures reported, an entry removed, a second round, a round deleted.
    exec(&app, "update survey_entry set members = members + 3, youth = youth + 5 where unit_id in (select unit_id from survey_entry order by unit_id limit 20)").await;
    assert_recount(&app, "reporting figures").await;
    exec(
        &app,
        &format!("delete from survey_entry where unit_id = {}", lone[0]),
    )
    .await;
    assert_recount(&app, "removing an entry").await;
    let second = tuanjian::services::survey_import::import_survey(
        &app.db,
        SAMPLE_XLSX.to_vec(),
        NaiveDate::from_ymd_opt(2019, 6, 1),
        &actor(),
        app.clock.now(),
    )
    .await
    .unwrap();
    assert_recount(&app, "importing a second round").await;
    exec(
        &app,
        &format!("update member set organization_id = {joint} where organization_id = {own}"),
    )
    .await;
    exec(
        &app,
        &format!("delete from organization where organization_id = {own}"),
    )
    .await;
    assert_recount(&app, "removing an organisation").await;
    exec(&app, "delete from formation_application_event").await;
    exec(&app, "delete from formation_application").await;
    assert_recount(&app, "removing the applications").await;
    exec(
        &app,
        &format!(
            "delete from survey where survey_id = {}",
            second.survey_id.0
        ),
    )
    .await;
    assert_recount(&app, "deleting a round").await;
    let left: i64 = sqlx::query_scalar("select count(*) from survey_total where survey_id = $1")
        .bind(second.survey_id.0)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

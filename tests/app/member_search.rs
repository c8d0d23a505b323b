//! Every way `db::member::list` and `count` answer a name search, run once against a real
//! database with every filter set. Their SQL is assembled from numbered fragments whose
//! bind order the compiler does not check (`src/db/member/search.rs`): a wrong order fails
//! here, as an error or as rows that the filters should have kept out.

use chrono::NaiveDate;
use tuanjian::db::member::{self, Filter, NewMember};
use tuanjian::domain::ids::UnitId;
use tuanjian::domain::role::Scope;

use crate::helpers::TestApp;
use crate::member_flows::secretary2_org;
use crate::members::{new_member, secretary_org, store};

fn born(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap()
}

fn with_post(member: NewMember) -> NewMember {
    NewMember {
        league_post: Some("团支部书记".into()),
        ..member
    }
}

/// Born in (1995, 2005], holding a post and active: each member the filters keep out fails
/// one of them, so a swapped pair of binds shows.
fn filtered(q: &str, organization: Option<i64>) -> Filter {
    Filter {
        organization: organization.map(tuanjian::domain::ids::OrganizationId),
        q: q.into(),
        born_before: Some(born(2005)),
        born_after: Some(born(1995)),
        has_post: Some(true),
        state: Some(member::State::Active),
    }
}

/// The names a list shows, also walked a row at a time through the cursor, and the count
/// up to 10 and capped at 1.
async fn check(app: &TestApp, scope: &Scope, filter: &Filter, expected: &[&str]) {
    let what = format!("{scope:?} {filter:?}");
    let rows = member::list(&app.db, scope, filter, None, 10)
        .await
        .unwrap_or_else(|e| panic!("listing {what}: {e}"));
    let names: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    let mut wanted: Vec<String> = expected.iter().map(|n| n.to_string()).collect();
    wanted.sort();
    assert_eq!(sorted, wanted, "{what}");

    let mut walked = Vec::new();
    let mut after: Option<(String, tuanjian::domain::ids::MemberId)> = None;
    loop {
        let page = member::list(&app.db, scope, filter, after.as_ref(), 1)
            .await
            .unwrap_or_else(|e| panic!("paging {what}: {e}"));
        let Some(row) = page.first() else { break };
        walked.push(row.name.clone());
        after = Some((row.name.clone(), row.member_id));
    }
    assert_eq!(walked, names, "a row at a time: {what}");

    let count = member::count(&app.db, scope, filter, 10)
        .await
        .unwrap_or_else(|e| panic!("counting {what}: {e}"));
    assert_eq!(count, expected.len() as i64, "counted: {what}");
    let capped = member::count(&app.db, scope, filter, 1).await.unwrap();
    assert_eq!(capped, expected.len().min(1) as i64, "capped: {what}");
}

#[tokio::test]
async fn every_search_variant_binds_its_filters_in_order() {
    let app = TestApp::spawn().await;
    let own = secretary_org(&app).await;
    let other = secretary2_org(&app).await;
    let own_unit = UnitId(app.unit_id(tuanjian::demo::SECRETARY_UNIT).await);
    store(
        &app,
        &[
            with_post(new_member(own, "王小明".into(), born(2000), 1)),
            // Too old.
            with_post(new_member(own, "王小红".into(), born(1990), 2)),
            // Left (below), and without a post.
            new_member(own, "王小刚".into(), born(2000), 3),
            with_post(new_member(other, "李小明".into(), born(2000), 4)),
            with_post(new_member(other, "王大明".into(), born(2001), 5)),
            // Without a post.
            new_member(other, "赵小明".into(), born(2002), 6),
        ],
    )
    .await;
    sqlx::query("update member set state = 'left' where name = '王小刚'")
        .execute(&app.db)
        .await
        .unwrap();
    let zone = Scope::Zone;
    let own_units = Scope::Units(vec![own_unit]);

    // No search: the filters alone, across the zone, in an organisation, in a unit.
    check(
        &app,
        &zone,
        &filtered("", None),
        &["王小明", "李小明", "王大明"],
    )
    .await;
    check(
        &app,
        &zone,
        &filtered("", Some(other)),
        &["李小明", "王大明"],
    )
    .await;
    check(&app, &own_units, &filtered("", None), &["王小明"]).await;
    check(
        &app,
        &zone,
        &Filter::default(),
        &["王小明", "王小红", "王小刚", "李小明", "王大明", "赵小明"],
    )
    .await;

    // One character: a surname.
    check(&app, &zone, &filtered("王", None), &["王小明", "王大明"]).await;

    // Two characters within a unit's or an organisation's members.
    check(&app, &own_units, &filtered("小明", None), &["王小明"]).await;
    check(&app, &zone, &filtered("小明", Some(other)), &["李小明"]).await;

    // Two characters across the zone: through the pieces, counted on them alone when no
    // other filter is set.
    check(&app, &zone, &filtered("小明", None), &["王小明", "李小明"]).await;
    let search_only = Filter {
        q: "小明".into(),
        ..Filter::default()
    };
    check(&app, &zone, &search_only, &["王小明", "李小明", "赵小明"]).await;
}

//! `tuanjian generate`: the same seed gives the same data, every stored number is valid
//! and encrypted as the application stores it, the sizes keep the province's proportions,
//! and the application's pages and API work on the result.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use sqlx::PgPool;
use tuanjian::domain::phone::Phone;
use tuanjian::domain::resident_id::{ResidentId, Sex};
use tuanjian::generate::{Options, Report, generate};

use crate::helpers::{TestApp, owner_database, test_keys};

const MEMBERS: u64 = 2_000;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 15).unwrap()
}

/// The test template holds the two demo secretaries' units; generate wants none.
async fn without_units(db: &PgPool) {
    sqlx::query("delete from account_role where unit_id is not null")
        .execute(db)
        .await
        .unwrap();
    sqlx::query("delete from unit").execute(db).await.unwrap();
}

pub async fn generated(db: &PgPool, seed: u64, today: NaiveDate) -> Report {
    without_units(db).await;
    let options = Options {
        members: MEMBERS,
        seed,
        today,
    };
    generate(db, Arc::new(test_keys()), options)
        .await
        .expect("generating")
}

/// A digest of every generated table's meaningful columns (ciphertexts differ by nonce,
/// so members are compared by their blind index and masked forms).
async fn digest(db: &PgPool) -> String {
    sqlx::query_scalar(
        "select md5(concat_ws('|',
            (select string_agg(concat_ws(',', unit_id, kind, name, credit_code, status, industry, staff,
                                         contact_person, contact_phone, closed_on), ';' order by unit_id) from unit),
            (select string_agg(concat_ws(',', organization_id, parent_id, kind, name, unit_id, established_on,
                                         approval_number, term_ends_on, secretary_name), ';' order by organization_id)
               from organization),
            (select string_agg(concat_ws(',', organization_id, unit_id), ';' order by unit_id) from organization_unit),
            (select string_agg(concat_ws(',', survey_id, unit_id, status, staff, youth, members, reported_by, reported_at),
                               ';' order by survey_id, unit_id) from survey_entry),
            (select string_agg(concat_ws(',', formation_application_id, unit_id, state, proposed_name, approval_number,
                                         submitted_at, decided_at), ';' order by formation_application_id)
               from formation_application),
            (select string_agg(concat_ws(',', member_id, organization_id, name, sex, ethnicity, birth_date,
                                         encode(resident_id_index, 'hex'), resident_id_masked, phone_masked,
                                         joined_on, education, political_status, league_post, state),
                               ';' order by member_id) from member),
            (select string_agg(concat_ws(',', account_id, kind, title, link, created_at), ';' order by account_id, kind, title, created_at)
               from notification)))",
    )
    .fetch_one(db)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_same_seed_and_day_give_the_same_data_and_another_seed_other_data() {
    let (first, second, other) = (
        owner_database().await,
        owner_database().await,
        owner_database().await,
    );
    generated(&first, 7, day()).await;
    generated(&second, 7, day()).await;
    generated(&other, 8, day()).await;
    assert_eq!(digest(&first).await, digest(&second).await);
    assert_ne!(digest(&first).await, digest(&other).await);
}

#[tokio::test]
async fn every_member_is_stored_encrypted_valid_unique_and_consistent_with_the_id() {
    let db = owner_database().await;
    generated(&db, 3, day()).await;
    let keys = test_keys();
    #[allow(clippy::type_complexity)]
    let rows: Vec<(i32, Vec<u8>, Vec<u8>, String, NaiveDate, String, Option<i32>, Option<Vec<u8>>, Option<String>, NaiveDate, Option<String>, String)> =
        sqlx::query_as(
            "select resident_id_version, resident_id_cipher, resident_id_index, resident_id_masked, birth_date, sex,
                    phone_version, phone_cipher, phone_masked, joined_on, league_post, state
               from member",
        )
        .fetch_all(&db)
        .await
        .unwrap();
    assert_eq!(rows.len() as u64, MEMBERS);
    let mut past_28 = 0;
    for (
        version,
        cipher,
        index,
        masked,
        birth,
        sex,
        phone_version,
        phone_cipher,
        phone_masked,
        joined,
        post,
        state,
    ) in rows
    {
        let text = keys.decrypt(version, &cipher).expect("decrypts");
        let id = ResidentId::parse(&text, day()).expect("a valid resident ID");
        assert_eq!(id.birth_date(), birth);
        assert_eq!(id.sex(), if sex == "男" { Sex::Male } else { Sex::Female });
        assert_eq!(id.masked(), masked);
        assert_eq!(keys.blind_index(id.as_str()), index);
        let age = day().years_since(birth).unwrap();
        assert!((14..=31).contains(&age), "age {age}");
        if age >= 28 {
            past_28 += 1;
            assert!(
                post.is_some() || state == "aged_out",
                "past 28 without a post"
            );
        }
        assert!(joined >= NaiveDate::from_ymd_opt(birth.year() + 14, birth.month(), 1).unwrap());
        if let (Some(v), Some(c)) = (phone_version, phone_cipher) {
            let phone = Phone::parse(&keys.decrypt(v, &c).unwrap()).expect("a valid phone");
            assert_eq!(Some(phone.masked()), phone_masked);
        }
    }
    assert!(past_28 > 0 && past_28 < MEMBERS / 10, "{past_28} past 28");
    let distinct: i64 = sqlx::query_scalar("select count(distinct resident_id_index) from member")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(distinct as u64, MEMBERS);
}

#[tokio::test]
async fn sizes_keep_the_provinces_proportions_and_the_tree_hangs_from_the_committee() {
    let db = owner_database().await;
    let report = generated(&db, 5, day()).await;
    let count = |sql: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        count("select count(*) from unit").await as u64,
        MEMBERS * 3 / 50
    );
    assert_eq!(
        count("select count(*) from organization where kind <> 'committee'").await as u64,
        MEMBERS / 20
    );
    assert_eq!(report.rows("member"), MEMBERS);
    let reachable = count(
        "with recursive t as (select organization_id from organization where kind = 'committee'
                              union all select o.organization_id from organization o join t on o.parent_id = t.organization_id)
         select count(*) from t",
    )
    .await;
    assert_eq!(reachable, count("select count(*) from organization").await);
    assert_eq!(count("select count(*) from survey where locked").await, 1);
    assert_eq!(
        count("select count(*) from survey where not locked").await,
        1
    );
    assert!(count("select count(distinct kind) from organization").await >= 4);
    assert!(count("select count(distinct state) from formation_application").await >= 2);
    assert!(count("select count(*) from organization_unit").await >= 2);
    assert!(count("select count(*) from notification").await > 0);
    // A year of activities: one per 25 members, about two participations a member, each
    // participant once per activity and volunteer hours within the span.
    assert_eq!(report.rows("activity"), MEMBERS / 25);
    assert_eq!(
        count("select count(*) from activity").await as u64,
        MEMBERS / 25
    );
    let participations = count("select count(*) from participation").await as u64;
    assert!(
        (MEMBERS..=3 * MEMBERS).contains(&participations),
        "{participations} participations for {MEMBERS} members"
    );
    assert_eq!(
        count(
            "select count(*) from participation p join activity a using (activity_id)
              where p.hours_tenths * interval '6 minutes' > a.ends_at - a.starts_at
                 or (a.kind = 'volunteer') <> (p.hours_tenths is not null)"
        )
        .await,
        0
    );
    assert!(count("select count(distinct kind) from activity").await >= 5);
    assert!(count("select count(*) from activity where state = 'planned'").await > 0);
    let activity: i64 = sqlx::query_scalar(
        "insert into activity (kind, title, starts_at, ends_at, organization_id)
         select 'other', '新活动', now(), now(), organization_id from organization
          where kind = 'committee' returning activity_id",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(
        activity,
        count("select max(activity_id) from activity").await
    );
    // Each roster is close to what its unit reported in the current round.
    let far = count(
        "select count(*) from organization o
           join survey_entry e on e.unit_id = o.unit_id and e.reported_at is not null
                              and e.survey_id = (select max(survey_id) from survey)
          where abs(e.members - (select count(*) from member m where m.organization_id = o.organization_id)) > 3",
    )
    .await;
    assert_eq!(far, 0);
    // The ids go on after the generated ones.
    let next: i64 = sqlx::query_scalar(
        "insert into unit (kind, name) values ('department', '新设机构') returning unit_id",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(next, count("select count(*) from unit").await);
}

#[tokio::test]
async fn the_dashboard_and_pages_work_on_generated_data_and_a_second_run_is_refused() {
    let app = TestApp::spawn().await;
    let today = app.clock.today();
    generated(&app.db, 11, today).await;
    let committee = app.signed_in("committee").await;
    let response = committee.get("/api/v1/survey/summary").await;
    assert_eq!(response.status(), 200);
    let json: serde_json::Value = response.json().await.unwrap();
    let (members, youth, enterprises, operating): (i64, i64, i64, i64) = sqlx::query_as(
        "select sum(e.members)::bigint, sum(e.youth)::bigint, count(*) filter (where u.kind = 'enterprise'),
                count(*) filter (where u.kind = 'enterprise' and e.status = '运行')
           from survey_entry e join unit u using (unit_id)
          where e.survey_id = (select survey_id from survey order by as_of desc limit 1)",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(json["members"], members);
    assert_eq!(json["youth"], youth);
    assert_eq!(json["enterprises_total"], enterprises);
    assert_eq!(json["enterprises_operating"], operating);
    // The load skipped the triggers and recounted once: the kept totals are right.
    crate::totals::assert_recount(&app, "generating").await;
    for path in [
        "/dashboard",
        "/units",
        "/organizations",
        "/members",
        "/reminders",
        "/applications",
    ] {
        let (status, _) = committee.get_text(path).await;
        assert_eq!(status, 200, "{path}");
    }
    // A generated secretary signs in with the demo password and reaches their own unit.
    let unit: i64 = sqlx::query_scalar(
        "select r.unit_id from account_role r join organization o using (unit_id) where r.role = 'secretary' limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let secretary = app.signed_in(&format!("sec{unit}")).await;
    let (status, page) = secretary.follow(secretary.get("/my-unit").await).await;
    assert_eq!(status, 200);
    let name: String = sqlx::query_scalar("select name from unit where unit_id = $1")
        .bind(unit)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(page.contains(&name), "the secretary's own unit");

    let again = generate(
        &app.db,
        Arc::new(test_keys()),
        Options {
            members: MEMBERS,
            seed: 11,
            today,
        },
    )
    .await;
    assert!(
        again
            .unwrap_err()
            .to_string()
            .contains("already holds data")
    );
}

//! `db::ResultExt::on_constraint`, the one way a unique constraint becomes a refusal: the
//! named constraint gives the caller's error, any other stays the database's.

use tuanjian::db::unit::{self, UnitInput};
use tuanjian::db::{ResultExt, Violation};
use tuanjian::services::Error;

use crate::helpers::fresh_database;

fn unit_named(name: &str, credit_code: Option<&str>) -> UnitInput {
    UnitInput {
        kind: tuanjian::domain::unit::UnitKind::Enterprise,
        name: name.into(),
        credit_code: credit_code.map(Into::into),
        status: Some(tuanjian::domain::unit::Status::Operating),
        industry: None,
        staff: None,
        contact_person: None,
        contact_phone: None,
    }
}

#[tokio::test]
async fn a_duplicate_name_gives_the_mapped_refusal() {
    let db = fresh_database().await;
    let mut conn = db.acquire().await.unwrap();
    unit::create(&mut conn, &unit_named("甲公司", None))
        .await
        .unwrap();

    let again = unit::create(&mut conn, &unit_named("甲公司", None))
        .await
        .on_constraint(unit::NAME_UNIQUE, || Error::refused("已有同名单位"));

    assert!(matches!(again, Err(Error::Refused(m)) if m == "已有同名单位"));
}

#[tokio::test]
async fn another_constraint_passes_through_and_a_chain_maps_it() {
    let db = fresh_database().await;
    let code = "91110000100000000X";
    let mut conn = db.acquire().await.unwrap();
    unit::create(&mut conn, &unit_named("甲公司", Some(code)))
        .await
        .unwrap();

    let unmapped = unit::create(&mut conn, &unit_named("乙公司", Some(code)))
        .await
        .on_constraint(unit::NAME_UNIQUE, || Error::refused("已有同名单位"));
    let chained = unit::create(&mut conn, &unit_named("乙公司", Some(code)))
        .await
        .on_constraint(unit::NAME_UNIQUE, || Error::refused("已有同名单位"))
        .on_constraint(unit::CREDIT_CODE_UNIQUE, || Error::refused("代码已被使用"));

    let Err(Error::Database(e)) = unmapped else {
        panic!("an unmapped constraint stays a database error: {unmapped:?}");
    };
    assert_eq!(e.violated(), Some(unit::CREDIT_CODE_UNIQUE));
    assert!(matches!(chained, Err(Error::Refused(m)) if m == "代码已被使用"));
}

#[tokio::test]
async fn a_write_that_succeeds_is_untouched() {
    let db = fresh_database().await;
    let mut conn = db.acquire().await.unwrap();

    let created = unit::create(&mut conn, &unit_named("丙公司", None))
        .await
        .on_constraint(unit::NAME_UNIQUE, || Error::refused("已有同名单位"));

    assert!(created.is_ok());
}

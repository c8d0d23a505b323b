//! The activity and volunteer totals that migration 0035's triggers keep in the same
//! transaction as each change: the year's sums for the dashboard, and per person and year
//! the activities and hours, with the number of people credited with any. They cover the
//! whole zone; a secretary's scope is counted from its own activities, which are few
//! (`activity::totals`, `participation::hours_by_person`).
//!
//! A year is a calendar year in the zone's time zone, which the server records at start
//! (`use_time_zone`): an activity counts in every year its span touches, as the pages'
//! filter counts it.

use sqlx::PgPool;

use super::activity::Totals;

/// A calendar year and the instants it spans in the zone's time: [1 January, next
/// 1 January).
pub type YearSpan = (
    i32,
    chrono::DateTime<chrono::Utc>,
    chrono::DateTime<chrono::Utc>,
);
use super::participation::PersonHours;

/// Records `zone` (an IANA name) as the zone's time zone and, when it differs from the
/// one the totals were kept in, recounts them all in the same transaction. Returns
/// whether it recounted.
pub async fn use_time_zone(db: &PgPool, zone: &str) -> sqlx::Result<bool> {
    let mut tx = db.begin().await?;
    let kept: String = sqlx::query_scalar("select name from zone_time_zone for update")
        .fetch_one(&mut *tx)
        .await?;
    if kept == zone {
        return Ok(false);
    }
    sqlx::query("update zone_time_zone set name = $1")
        .bind(zone)
        .execute(&mut *tx)
        .await?;
    sqlx::query("select refresh_activity_totals()")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// The zone's activity totals for `year`: activities (all, volunteer service, contests),
/// participants (人次), units (家次) and hours in tenths.
pub async fn year(db: &PgPool, year: i32) -> sqlx::Result<Totals> {
    sqlx::query_as(
        "select coalesce(sum(activities), 0)::bigint as activities,
                coalesce(sum(activities) filter (where kind = 'volunteer'), 0)::bigint as volunteer,
                coalesce(sum(activities) filter (where kind = 'contest'), 0)::bigint as contests,
                coalesce(sum(participants), 0)::bigint as participants,
                coalesce(sum(units), 0)::bigint as units,
                coalesce(sum(hours_tenths), 0)::bigint as hours_tenths
           from activity_year_total where year = $1",
    )
    .bind(year)
    .fetch_one(db)
    .await
}

/// How many people in the zone were credited with volunteer hours in `year`.
pub async fn volunteers(db: &PgPool, year: i32) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select coalesce((select volunteers from volunteer_year_total where year = $1), 0)::bigint",
    )
    .bind(year)
    .fetch_one(db)
    .await
}

/// The zone's people credited with hours in `year`, by person key after `after`, at most
/// `limit`: a member under their roster name and organisation, anyone else as they gave
/// their name, masked phone and unit.
pub async fn hours_by_person(
    db: &PgPool,
    year: i32,
    after: Option<&str>,
    limit: i64,
) -> sqlx::Result<Vec<PersonHours>> {
    sqlx::query_as(
        "select v.person_key, v.member_id, coalesce(m.name, v.person_name, '') as name,
                v.phone_masked, coalesce(o.name, v.person_unit, '') as unit,
                v.activities::bigint as activities, v.hours_tenths
           from volunteer_year v
           left join member m on m.member_id = v.member_id
           left join organization o on o.organization_id = m.organization_id
          where v.year = $1 and v.hours_tenths > 0 and ($2::text is null or v.person_key > $2)
          order by v.person_key
          limit $3",
    )
    .bind(year)
    .bind(after)
    .bind(limit)
    .fetch_all(db)
    .await
}

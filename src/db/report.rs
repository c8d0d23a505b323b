//! What the work summary (issue 17 item 4) reads beyond the survey's figures: the
//! committee's name, the round a period reports on, the committee's activities of the
//! period with their kept counts, the organisations' activities added up, and the units
//! reminded (督促) in the period. The report covers the whole zone: only the committee and
//! leaders read it.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::domain::activity::Kind;
use crate::domain::ids::{ActivityId, SurveyId};

/// The committee's name (the root organisation), 团工委 when there is none yet.
pub async fn committee_name(db: &PgPool) -> sqlx::Result<String> {
    Ok(sqlx::query_scalar(
        "select name from organization where kind = 'committee' order by organization_id limit 1",
    )
    .fetch_optional(db)
    .await?
    .unwrap_or_else(|| "团工委".to_string()))
}

/// The round a period reports on: the latest as of a day before `before`.
pub async fn round_before(
    db: &PgPool,
    before: chrono::NaiveDate,
) -> sqlx::Result<Option<SurveyId>> {
    sqlx::query_scalar("select survey_id from survey where as_of < $1 order by as_of desc limit 1")
        .bind(before)
        .fetch_optional(db)
        .await
}

/// One of the committee's activities, with its kept counts (migration 0035).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActivityLine {
    pub activity_id: ActivityId,
    pub kind: Kind,
    pub title: String,
    pub series: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub organizer: String,
    pub units: i64,
    pub participants: i64,
    pub hours_tenths: i64,
}

/// The most activities a report lists one by one.
pub const LISTED_MAX: i64 = 500;

/// The committee's activities overlapping [from, to), cancelled ones left out, by start.
pub async fn committee_activities(
    db: &PgPool,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> sqlx::Result<Vec<ActivityLine>> {
    sqlx::query_as(
        "select a.activity_id, a.kind, a.title, a.series, a.starts_at, a.ends_at, o.name as organizer,
                coalesce(k.units, 0)::bigint as units, coalesce(k.participants, 0)::bigint as participants,
                coalesce(k.hours_tenths, 0)::bigint as hours_tenths
           from activity a join organization o using (organization_id)
           left join activity_total k using (activity_id)
          where o.kind = 'committee' and a.state <> 'cancelled' and a.ends_at >= $1 and a.starts_at < $2
          order by a.starts_at, a.activity_id
          limit $3",
    )
    .bind(from)
    .bind(to)
    .bind(LISTED_MAX)
    .fetch_all(db)
    .await
}

/// The organisations' own activities overlapping [from, to), cancelled ones left out:
/// how many, their participants (人次) and hours in tenths.
pub async fn branch_totals(
    db: &PgPool,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> sqlx::Result<(i64, i64, i64)> {
    sqlx::query_as(
        "select count(*), coalesce(sum(k.participants), 0)::bigint, coalesce(sum(k.hours_tenths), 0)::bigint
           from activity a join organization o using (organization_id)
           left join activity_total k using (activity_id)
          where o.kind <> 'committee' and a.state <> 'cancelled' and a.ends_at >= $1 and a.starts_at < $2",
    )
    .bind(from)
    .bind(to)
    .fetch_one(db)
    .await
}

/// How many units were reminded (督促) to form an organisation in [from, to).
pub async fn reminded_units(
    db: &PgPool,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(distinct unit_id) from formation_reminder where sent_at >= $1 and sent_at < $2",
    )
    .bind(from)
    .bind(to)
    .fetch_one(db)
    .await
}

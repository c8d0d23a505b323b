//! Reported (survey) against counted (roster) members of a round. These read the kept
//! totals and units (`survey_total`, `survey_entry`, `unit.counted_members`), not `member`;
//! they stay under `db::member` so that their callers' paths do not change.

use crate::domain::ids::UnitId;
use serde::Serialize;
use sqlx::PgPool;

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Comparison {
    pub unit_id: UnitId,
    pub name: String,
    pub reported: i32,
    pub counted: i64,
}

impl Comparison {
    pub fn difference(&self) -> i64 {
        self.counted - i64::from(self.reported)
    }
}

/// Reported (survey) and counted (roster) members in a round, in total.
pub async fn totals(db: &PgPool, survey: crate::domain::ids::SurveyId) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "select coalesce(sum(members), 0)::bigint, coalesce(sum(counted_members), 0)::bigint
           from survey_total where survey_id = $1",
    )
    .bind(survey)
    .fetch_one(db)
    .await
}

/// The units whose roster differs from their reported figure, largest difference first:
/// the roster as it is for an open round, as the lock's snapshot kept it for a locked one
/// (migration 0024), like the round's totals.
pub async fn differences(
    db: &PgPool,
    survey: crate::domain::ids::SurveyId,
    limit: i64,
) -> sqlx::Result<Vec<Comparison>> {
    sqlx::query_as(
        "select e.unit_id, u.name, e.members as reported, c.counted::bigint as counted
           from survey_entry e join unit u using (unit_id)
           join survey s on s.survey_id = e.survey_id
           left join survey_unit_snapshot f on f.survey_id = e.survey_id and f.unit_id = e.unit_id
           cross join lateral (select case when s.locked then coalesce(f.counted_members, 0)
                                           else u.counted_members end as counted) c
          where e.survey_id = $1 and c.counted <> e.members
          order by abs(c.counted - e.members) desc, u.name limit $2",
    )
    .bind(survey)
    .bind(limit)
    .fetch_all(db)
    .await
}

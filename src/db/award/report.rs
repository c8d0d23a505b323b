//! A period's 青年文明号 figures for the yearly report (issue 17 item 4), counted from the
//! steps' dates so that a later change to a post does not rewrite an earlier period: the
//! posts recognised in it (with level and 文号), how many reviews passed, warnings and
//! revocations, creations registered, and how many posts were still in creation at its end.
//! The report covers the whole zone, so these read without a scope.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::PgPool;

use crate::domain::award::Level;
use crate::domain::ids::AwardId;

/// A post recognised within the period.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, Serialize)]
pub struct Recognition {
    pub award_id: AwardId,
    pub name: String,
    pub unit_name: String,
    pub level: Level,
    pub document_number: String,
    pub dated_on: NaiveDate,
}

/// The figures of [from, to] (both days included, the zone's dates).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    pub recognized: Vec<Recognition>,
    pub registered: i64,
    pub reviewed: i64,
    pub warned: i64,
    pub revoked: i64,
    /// Posts whose latest step on or before `to` left them short of recognition.
    pub in_creation: i64,
}

/// The period's figures.
pub async fn period(db: &PgPool, from: NaiveDate, to: NaiveDate) -> sqlx::Result<Period> {
    let recognized: Vec<Recognition> = sqlx::query_as(
        "select a.award_id, a.name, u.name as unit_name, s.level, s.document_number, s.dated_on
           from award_step s join award a using (award_id) join unit u on u.unit_id = a.unit_id
          where s.step = 'recognize' and s.dated_on between $1 and $2
          order by s.dated_on, a.name, a.award_id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?;
    let (registered, reviewed, warned, revoked): (i64, i64, i64, i64) = sqlx::query_as(
        "select count(*) filter (where step = 'register'), count(*) filter (where step = 'review'),
                count(*) filter (where step = 'warn'), count(*) filter (where step = 'revoke')
           from award_step where dated_on between $1 and $2",
    )
    .bind(from)
    .bind(to)
    .fetch_one(db)
    .await?;
    let in_creation: i64 = sqlx::query_scalar(
        "select count(*) from (
            select distinct on (award_id) to_state from award_step
             where dated_on <= $1
             order by award_id, dated_on desc, award_step_id desc) latest
          where to_state in ('registered', 'creating', 'recommended', 'publicized')",
    )
    .bind(to)
    .fetch_one(db)
    .await?;
    Ok(Period {
        recognized,
        registered,
        reviewed,
        warned,
        revoked,
        in_creation,
    })
}

//! Survey rounds themselves: listing and finding them, opening one (with the figures carried
//! over), its settings, locking it, and the round before another.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use super::SurveyRow;
use crate::domain::ids::SurveyId;

/// Rounds, newest first.
pub async fn list(db: &PgPool) -> sqlx::Result<Vec<SurveyRow>> {
    sqlx::query_as(
        "select survey_id, title, as_of, formation_deadline, locked from survey order by as_of desc",
    )
    .fetch_all(db)
    .await
}

/// The round asked for, or the latest.
pub async fn get_or_latest(db: &PgPool, id: Option<SurveyId>) -> sqlx::Result<Option<SurveyRow>> {
    sqlx::query_as(
        "select survey_id, title, as_of, formation_deadline, locked from survey
          where $1::bigint is null or survey_id = $1
          order by as_of desc limit 1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Whether the round is locked (false for no such round): a locked round's lists read its
/// snapshot of the units (migration 0021).
pub async fn is_locked(db: &PgPool, id: SurveyId) -> sqlx::Result<bool> {
    let locked: Option<bool> = sqlx::query_scalar("select locked from survey where survey_id = $1")
        .bind(id)
        .fetch_optional(db)
        .await?;
    Ok(locked.unwrap_or(false))
}

/// How far a round has come: its entries, and those reported to it (the rest carry the
/// figures of the round before), from the counts kept per round (migration 0022).
pub async fn progress(db: &PgPool, id: SurveyId) -> sqlx::Result<(i64, i64)> {
    let kept: Option<(i64, i64)> =
        sqlx::query_as("select entries, reported from survey_progress where survey_id = $1")
            .bind(id)
            .fetch_optional(db)
            .await?;
    Ok(kept.unwrap_or((0, 0)))
}

/// The round secretaries may report to today: not locked, and today within its open and
/// close dates.
pub async fn open_for_reporting(db: &PgPool, today: NaiveDate) -> sqlx::Result<Option<SurveyRow>> {
    sqlx::query_as(
        "select survey_id, title, as_of, formation_deadline, locked from survey
          where not locked and opens_on <= $1 and closes_on >= $1
          order by as_of desc limit 1",
    )
    .bind(today)
    .fetch_optional(db)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct RoundDetail {
    pub survey_id: SurveyId,
    pub title: String,
    pub as_of: NaiveDate,
    pub opens_on: Option<NaiveDate>,
    pub closes_on: Option<NaiveDate>,
    pub formation_deadline: Option<NaiveDate>,
    pub locked: bool,
    pub entries: i64,
    pub reported: i64,
}

const ROUND_DETAIL: &str = "
    select s.survey_id, s.title, s.as_of, s.opens_on, s.closes_on, s.formation_deadline, s.locked,
           coalesce(p.entries, 0) as entries, coalesce(p.reported, 0) as reported
      from survey s left join survey_progress p using (survey_id)";

/// Rounds newest first with their progress, after the cursor (an as-of date).
pub async fn rounds(
    db: &PgPool,
    before: Option<NaiveDate>,
    limit: i64,
) -> sqlx::Result<Vec<RoundDetail>> {
    sqlx::query_as(&format!(
        "{ROUND_DETAIL} where $1::date is null or s.as_of < $1
          order by s.as_of desc limit $2"
    ))
    .bind(before)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Per round of `rounds`, the entries of the scope's units and how many of them reported
/// to the round, for readers who do not read the whole zone (security review F15: the
/// zone's counts are not theirs to see).
pub async fn progress_in_scope(
    db: &PgPool,
    rounds: &[SurveyId],
    units: &[crate::domain::ids::UnitId],
) -> sqlx::Result<Vec<(SurveyId, i64, i64)>> {
    sqlx::query_as(
        "select survey_id, count(*), count(reported_at)
           from survey_entry where survey_id = any($1) and unit_id = any($2)
          group by survey_id",
    )
    .bind(rounds)
    .bind(units)
    .fetch_all(db)
    .await
}

pub async fn round(db: &PgPool, id: SurveyId) -> sqlx::Result<Option<RoundDetail>> {
    sqlx::query_as(&format!("{ROUND_DETAIL} where s.survey_id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

#[derive(Debug, Clone, Serialize)]
pub struct RoundSettings {
    pub title: String,
    pub as_of: NaiveDate,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub formation_deadline: Option<NaiveDate>,
}

/// Opens a round; with `carry_over`, every unit of the latest earlier round that is still
/// open gets an entry with its previous figures, not yet reported for this round.
pub async fn open_round(
    db: &mut PgConnection,
    settings: &RoundSettings,
    carry_over: bool,
) -> sqlx::Result<(SurveyId, u64)> {
    let id: SurveyId = sqlx::query_scalar(
        "insert into survey (title, as_of, opens_on, closes_on, formation_deadline)
         values ($1, $2, $3, $4, $5) returning survey_id",
    )
    .bind(&settings.title)
    .bind(settings.as_of)
    .bind(settings.opens_on)
    .bind(settings.closes_on)
    .bind(settings.formation_deadline)
    .fetch_one(&mut *db)
    .await?;
    let carried = if carry_over {
        sqlx::query(
            "insert into survey_entry (survey_id, unit_id, status, staff, youth, members, reported_at)
             select $1, e.unit_id, e.status, e.staff, e.youth, e.members, null
               from survey_entry e join unit u using (unit_id)
              where u.closed_on is null
                and e.survey_id = (select survey_id from survey where as_of < $2
                                    order by as_of desc limit 1)",
        )
        .bind(id)
        .bind(settings.as_of)
        .execute(&mut *db)
        .await?
        .rows_affected()
    } else {
        0
    };
    Ok((id, carried))
}

/// Changes a round's settings; false when it is locked (and nothing changed).
pub async fn update_settings(
    db: &mut PgConnection,
    id: SurveyId,
    settings: &RoundSettings,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update survey set title = $2, as_of = $3, opens_on = $4, closes_on = $5, formation_deadline = $6
          where survey_id = $1 and not locked",
    )
    .bind(id)
    .bind(&settings.title)
    .bind(settings.as_of)
    .bind(settings.opens_on)
    .bind(settings.closes_on)
    .bind(settings.formation_deadline)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Closes and locks a round for good; false when it already was. Its snapshot (migration
/// 0024) reads the units' facts as of the round's date or `today` if earlier, with times
/// read in `zone`.
pub async fn lock(
    db: &mut PgConnection,
    id: SurveyId,
    zone: chrono_tz::Tz,
    today: NaiveDate,
) -> sqlx::Result<bool> {
    sqlx::query(
        "select set_config('tuanjian.time_zone', $1, true), set_config('tuanjian.today', $2, true)",
    )
    .bind(zone.name())
    .bind(today.to_string())
    .execute(&mut *db)
    .await?;
    // Unit changes in flight finish first, so that the snapshot the lock takes (migration
    // 0021) holds every change its totals counted.
    sqlx::query("lock table unit in share mode")
        .execute(&mut *db)
        .await?;
    let done = sqlx::query("update survey set locked = true where survey_id = $1 and not locked")
        .bind(id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Deletes an open round that nobody has reported to (its carried-over entries and kept
/// totals go with it); false when it is locked, reported to, or gone. The round's row is
/// locked first, which waits for any report in flight (`entries::report` holds it shared),
/// and only then are reports looked for, in a statement that sees what those committed.
pub async fn discard(db: &mut PgConnection, id: SurveyId) -> sqlx::Result<bool> {
    let locked: Option<bool> =
        sqlx::query_scalar("select locked from survey where survey_id = $1 for update")
            .bind(id)
            .fetch_optional(&mut *db)
            .await?;
    if locked != Some(false) {
        return Ok(false);
    }
    let reported: bool = sqlx::query_scalar(
        "select exists (select 1 from survey_entry where survey_id = $1 and reported_at is not null)",
    )
    .bind(id)
    .fetch_one(&mut *db)
    .await?;
    if reported {
        return Ok(false);
    }
    sqlx::query("delete from survey where survey_id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(true)
}

/// The round before this one, for comparisons.
pub async fn previous(db: &PgPool, survey: SurveyId) -> sqlx::Result<Option<SurveyRow>> {
    sqlx::query_as(
        "select p.survey_id, p.title, p.as_of, p.formation_deadline, p.locked
           from survey p, survey s
          where s.survey_id = $1 and p.as_of < s.as_of
          order by p.as_of desc limit 1",
    )
    .bind(survey)
    .fetch_optional(db)
    .await
}

//! Work summaries the staff keep (migration 0039): a draft holds their words around the
//! computed figures of a period and round; a finalised one holds the report as it read
//! then (`snapshot`), which the database refuses to change.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgConnection, PgPool};

use crate::domain::ids::{AccountId, SurveyId, WorkReportId};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WorkReportRow {
    pub work_report_id: WorkReportId,
    /// `2018H1`, `2018`.
    pub period: String,
    pub survey_id: Option<SurveyId>,
    pub title: Option<String>,
    pub opening: String,
    pub closing: String,
    /// Per item key, `{"heading": …, "text": …}`.
    pub words: Value,
    /// Per item key, the computed text at the staff's last save.
    pub figures: Value,
    /// `draft` or `final`.
    pub state: String,
    pub snapshot: Option<Value>,
    pub based_on: Option<WorkReportId>,
    pub updated_at: DateTime<Utc>,
    pub finalised_at: Option<DateTime<Utc>>,
    /// Who finalised it, by display name.
    pub finalised_by_name: Option<String>,
}

impl WorkReportRow {
    pub fn is_final(&self) -> bool {
        self.state == "final"
    }
}

const COLUMNS: &str =
    "r.work_report_id, r.period, r.survey_id, r.title, r.opening, r.closing, r.words,
    r.figures, r.state, r.snapshot, r.based_on, r.updated_at, r.finalised_at,
    (select coalesce(nullif(a.display_name, ''), a.username) from account a
      where a.account_id = r.finalised_by) as finalised_by_name";

pub async fn get(
    db: impl sqlx::PgExecutor<'_>,
    id: WorkReportId,
) -> sqlx::Result<Option<WorkReportRow>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from work_report r where r.work_report_id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The latest reports, newest first, at most `limit`.
pub async fn list(db: &PgPool, limit: i64) -> sqlx::Result<Vec<WorkReportRow>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from work_report r order by r.period desc, r.work_report_id desc limit $1"
    ))
    .bind(limit)
    .fetch_all(db)
    .await
}

/// The report of a period and round (None: the default round) that the API and the
/// command line read: the latest finalised one, else the draft.
pub async fn of_period(
    db: &PgPool,
    period: &str,
    survey: Option<SurveyId>,
) -> sqlx::Result<Option<WorkReportRow>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from work_report r
          where r.period = $1 and r.survey_id is not distinct from $2
          order by (r.state = 'final') desc, r.work_report_id desc limit 1"
    ))
    .bind(period)
    .bind(survey)
    .fetch_optional(db)
    .await
}

/// The draft of a period and round, if there is one.
pub async fn draft_of(
    tx: &mut PgConnection,
    period: &str,
    survey: Option<SurveyId>,
) -> sqlx::Result<Option<WorkReportId>> {
    sqlx::query_scalar(
        "select work_report_id from work_report
          where period = $1 and survey_id is not distinct from $2 and state = 'draft'",
    )
    .bind(period)
    .bind(survey)
    .fetch_optional(tx)
    .await
}

/// What a new draft starts from: nothing, or a finalised report's words.
pub struct NewDraft<'a> {
    pub period: &'a str,
    pub survey: Option<SurveyId>,
    pub title: Option<&'a str>,
    pub opening: &'a str,
    pub closing: &'a str,
    pub words: &'a Value,
    pub based_on: Option<WorkReportId>,
}

pub async fn create(
    tx: &mut PgConnection,
    draft: &NewDraft<'_>,
    by: Option<AccountId>,
) -> sqlx::Result<WorkReportId> {
    sqlx::query_scalar(
        "insert into work_report (period, survey_id, title, opening, closing, words, based_on, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning work_report_id",
    )
    .bind(draft.period)
    .bind(draft.survey)
    .bind(draft.title)
    .bind(draft.opening)
    .bind(draft.closing)
    .bind(draft.words)
    .bind(draft.based_on)
    .bind(by)
    .fetch_one(tx)
    .await
}

/// The staff's words and the computed texts they were written against; false for a
/// finalised report (nothing written).
pub async fn save(
    tx: &mut PgConnection,
    id: WorkReportId,
    (title, opening, closing): (Option<&str>, &str, &str),
    words: &Value,
    figures: &Value,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update work_report set title = $2, opening = $3, closing = $4, words = $5, figures = $6
          where work_report_id = $1 and state = 'draft'",
    )
    .bind(id)
    .bind(title)
    .bind(opening)
    .bind(closing)
    .bind(words)
    .bind(figures)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Finalises a draft with the report as it reads now; false when it was not a draft.
pub async fn finalise(
    tx: &mut PgConnection,
    id: WorkReportId,
    snapshot: &Value,
    by: Option<AccountId>,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update work_report set state = 'final', snapshot = $2, finalised_by = $3, finalised_at = $4
          where work_report_id = $1 and state = 'draft'",
    )
    .bind(id)
    .bind(snapshot)
    .bind(by)
    .bind(at)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

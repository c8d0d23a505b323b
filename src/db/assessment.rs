//! Cadre assessment (`assessment_year`, `assessment`): a year's components and weights,
//! the year's table of cadres with their results, one cadre's row, a cadre's own results,
//! and the writes the service makes under the year's lock.
//!
//! A cadre is an account holding the committee or secretary role, not disabled (see
//! migrations/0038_cadre_assessment.sql); an account assessed in a year stays in that
//! year's table whatever became of it since.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};

use crate::domain::assessment::{Grade, Weights};
use crate::domain::ids::AccountId;

/// A year's components, weights and 优秀 cap, as stored.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct YearSetting {
    pub year: i32,
    pub components: Vec<String>,
    pub weights: Vec<i32>,
    pub excellent_percent: i32,
}

impl YearSetting {
    pub fn weights(&self) -> Weights {
        Weights {
            components: self.components.clone(),
            weights: self.weights.clone(),
            excellent_percent: self.excellent_percent,
        }
    }
}

/// One cadre of a year's table, with their result when assessed.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct CadreRow {
    pub account_id: AccountId,
    pub username: String,
    /// The name the list is ordered by (the account's current one).
    pub sort_name: String,
    /// The name as assessed, else the account's.
    pub name: String,
    /// The post as assessed, else from the account's roles.
    pub post: String,
    pub scores_tenths: Option<Vec<i32>>,
    pub score_tenths: Option<i32>,
    pub computed_grade: Option<Grade>,
    pub grade: Option<Grade>,
    pub grade_reason: Option<String>,
    pub assessed_at: Option<DateTime<Utc>>,
}

/// The account's display name, else its username.
const NAME: &str = "coalesce(nullif(a.display_name, ''), a.username)";

/// Whether account `a` is a cadre now.
const CADRE: &str = "(not a.disabled and exists (select 1 from account_role r
    where r.account_id = a.account_id and r.role in ('committee', 'secretary')))";

/// The post of account `a` from its roles: 团工委工作人员, or the unit's 团支部书记/联络员.
const POST: &str = "coalesce((select string_agg(case r.role when 'committee' then '团工委工作人员'
        else coalesce(u.name, '') || ' 团支部书记/联络员' end, '；' order by r.role, u.name)
      from account_role r left join unit u on u.unit_id = r.unit_id
     where r.account_id = a.account_id and r.role in ('committee', 'secretary')), '')";

fn rows_query(tail: &str) -> String {
    format!(
        "select a.account_id, a.username, {NAME} as sort_name, coalesce(s.cadre_name, {NAME}) as name,
                coalesce(s.cadre_post, {POST}) as post, s.scores_tenths, s.score_tenths,
                s.computed_grade, s.grade, s.grade_reason, s.assessed_at
           from account a
           left join assessment s on s.account_id = a.account_id and s.year = $1
          where (s.assessment_id is not null or {CADRE}) {tail}"
    )
}

/// The year's cadres by name, after the cursor (name, account id).
pub async fn table(
    db: impl PgExecutor<'_>,
    year: i32,
    after: Option<(String, AccountId)>,
    limit: i64,
) -> sqlx::Result<Vec<CadreRow>> {
    let (after_name, after_id) = after.unzip();
    sqlx::query_as(&rows_query(&format!(
        "and ($2::text is null or ({NAME}, a.account_id) > ($2, $3))
         order by {NAME}, a.account_id limit $4"
    )))
    .bind(year)
    .bind(after_name)
    .bind(after_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// One cadre's row for the year: none when the account is no cadre and was not assessed.
pub async fn cadre(
    db: impl PgExecutor<'_>,
    year: i32,
    account: AccountId,
) -> sqlx::Result<Option<CadreRow>> {
    sqlx::query_as(&rows_query("and a.account_id = $2"))
        .bind(year)
        .bind(account)
        .fetch_optional(db)
        .await
}

/// The year's setting, if it was set or used.
pub async fn setting(db: impl PgExecutor<'_>, year: i32) -> sqlx::Result<Option<YearSetting>> {
    sqlx::query_as(
        "select year, components, weights, excellent_percent from assessment_year where year = $1",
    )
    .bind(year)
    .fetch_optional(db)
    .await
}

/// The years with a setting, latest first.
pub async fn years(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<i32>> {
    sqlx::query_scalar("select year from assessment_year order by year desc limit 50")
        .fetch_all(db)
        .await
}

/// Stores `weights` for a year that has none yet (nothing happens when it has), then locks
/// the year's row for the rest of the transaction and answers the stored setting.
pub async fn lock_year(
    tx: &mut PgConnection,
    year: i32,
    weights: &Weights,
    by: Option<AccountId>,
    at: DateTime<Utc>,
) -> sqlx::Result<YearSetting> {
    sqlx::query(
        "insert into assessment_year (year, components, weights, excellent_percent, set_by, set_at)
         values ($1, $2, $3, $4, $5, $6) on conflict (year) do nothing",
    )
    .bind(year)
    .bind(&weights.components)
    .bind(&weights.weights)
    .bind(weights.excellent_percent)
    .bind(by)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    sqlx::query_as(
        "select year, components, weights, excellent_percent from assessment_year
          where year = $1 for update",
    )
    .bind(year)
    .fetch_one(tx)
    .await
}

/// Replaces a year's setting (the caller holds the year's lock).
pub async fn update_year(
    tx: &mut PgConnection,
    year: i32,
    weights: &Weights,
    by: Option<AccountId>,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "update assessment_year set components = $2, weights = $3, excellent_percent = $4,
                set_by = $5, set_at = $6
          where year = $1",
    )
    .bind(year)
    .bind(&weights.components)
    .bind(&weights.weights)
    .bind(weights.excellent_percent)
    .bind(by)
    .bind(at)
    .execute(tx)
    .await?;
    Ok(())
}

/// How many results the year has, and how many of them are 优秀.
pub async fn counts(db: impl PgExecutor<'_>, year: i32) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "select count(*), count(*) filter (where grade = '优秀') from assessment where year = $1",
    )
    .bind(year)
    .fetch_one(db)
    .await
}

/// The year's results per grade.
pub async fn grade_counts(db: impl PgExecutor<'_>, year: i32) -> sqlx::Result<Vec<(Grade, i64)>> {
    sqlx::query_as("select grade, count(*) from assessment where year = $1 group by grade")
        .bind(year)
        .fetch_all(db)
        .await
}

/// A result as the service writes it.
pub struct Entry<'a> {
    pub year: i32,
    pub account: AccountId,
    pub name: &'a str,
    pub post: &'a str,
    pub scores_tenths: &'a [i32],
    pub score_tenths: i32,
    pub computed_grade: Grade,
    pub grade: Grade,
    pub reason: &'a str,
}

/// Writes a cadre's result for the year, replacing an earlier one.
pub async fn save(
    tx: &mut PgConnection,
    result: &Entry<'_>,
    by: Option<AccountId>,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into assessment (year, account_id, cadre_name, cadre_post, scores_tenths, score_tenths,
                                 computed_grade, grade, grade_reason, assessed_by, assessed_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         on conflict (year, account_id) do update
            set cadre_name = excluded.cadre_name, cadre_post = excluded.cadre_post,
                scores_tenths = excluded.scores_tenths, score_tenths = excluded.score_tenths,
                computed_grade = excluded.computed_grade, grade = excluded.grade,
                grade_reason = excluded.grade_reason, assessed_by = excluded.assessed_by,
                assessed_at = excluded.assessed_at",
    )
    .bind(result.year)
    .bind(result.account)
    .bind(result.name)
    .bind(result.post)
    .bind(result.scores_tenths)
    .bind(result.score_tenths)
    .bind(result.computed_grade)
    .bind(result.grade)
    .bind(result.reason)
    .bind(by)
    .bind(at)
    .execute(tx)
    .await?;
    Ok(())
}

/// One of a cadre's own results, with the year's components and weights.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct OwnResult {
    pub year: i32,
    pub cadre_post: String,
    pub components: Vec<String>,
    pub weights: Vec<i32>,
    pub scores_tenths: Vec<i32>,
    pub score_tenths: i32,
    pub computed_grade: Grade,
    pub grade: Grade,
    pub grade_reason: String,
}

/// The account's results, latest year first.
pub async fn own(db: impl PgExecutor<'_>, account: AccountId) -> sqlx::Result<Vec<OwnResult>> {
    sqlx::query_as(
        "select s.year, s.cadre_post, y.components, y.weights, s.scores_tenths, s.score_tenths,
                s.computed_grade, s.grade, s.grade_reason
           from assessment s join assessment_year y using (year)
          where s.account_id = $1
          order by s.year desc",
    )
    .bind(account)
    .fetch_all(db)
    .await
}

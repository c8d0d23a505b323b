//! The formation campaign (督促): units with 3 or more members in the latest round, no
//! organisation of their own or a joint one, and no application waiting for approval (the
//! units' facts the database keeps, migration 0012).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use crate::domain::ids::{AccountId, SurveyId, UnitId};

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Eligible {
    pub unit_id: UnitId,
    pub name: String,
    pub kind: crate::domain::unit::UnitKind,
    pub members: i32,
    pub youth: i32,
    pub reminders: i64,
    pub last_reminded: Option<DateTime<Utc>>,
    /// A draft or returned application exists (not yet waiting for approval).
    pub in_progress: bool,
}

impl Eligible {
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }
}

const ELIGIBLE: &str = "
      from survey_entry e
      join unit u using (unit_id)
     where e.survey_id = $1 and e.members >= 3 and u.closed_on is null
       and not u.has_organization and not u.application_pending";

/// How many units the reminder list of a round holds: from the kept unit facets
/// (migration 0013), whose `eligible_missing` is 3 or more members and no organisation.
/// The list is a to-do list of today's units, and a locked round's facets are frozen at
/// its lock (migration 0021), so for a locked round they are counted as listed.
pub async fn reminder_count(db: &PgPool, survey: SurveyId) -> sqlx::Result<i64> {
    if crate::db::survey::is_locked(db, survey).await? {
        return sqlx::query_scalar(&format!("select count(*) {ELIGIBLE}"))
            .bind(survey)
            .fetch_one(db)
            .await;
    }
    sqlx::query_scalar(
        "select coalesce(sum(units), 0)::bigint from unit_facet
          where survey_id = $1 and eligible_missing and not pending and not closed",
    )
    .bind(survey)
    .fetch_one(db)
    .await
}

/// The reminder list of a round, by name, after the cursor.
///
/// The first page and the later ones are two statements and the page size is written into
/// them, so that each has one plan that suits it and PostgreSQL keeps it instead of
/// planning every call (a `$2 is null or` condition, or a limit it cannot see, makes every
/// custom plan look cheaper than the generic one; planning cost more than running at 5M
/// members). The page is chosen first; its units' reminders are then counted and dated in
/// one probe each.
pub async fn reminder_list(
    db: &PgPool,
    survey: SurveyId,
    after: Option<&str>,
    limit: i64,
) -> sqlx::Result<Vec<Eligible>> {
    let after_cursor = if after.is_some() {
        "and u.name > $2"
    } else {
        ""
    };
    let sql = format!(
        "select c.*, r.reminders, r.last_reminded,
                -- Per row by index (as `exists`, the planner hashed every open application).
                (select true from formation_application a where a.unit_id = c.unit_id
                   and a.state in ('draft', 'returned') limit 1) is not null as in_progress
           from (select u.unit_id, u.name, u.kind, e.members, e.youth
                   {ELIGIBLE} {after_cursor}
                  order by u.name limit {limit}) c
          cross join lateral (select count(*) as reminders, max(sent_at) as last_reminded
                                from formation_reminder r where r.unit_id = c.unit_id) r
          order by c.name"
    );
    let query = sqlx::query_as(&sql).bind(survey);
    match after {
        Some(after) => query.bind(after),
        None => query,
    }
    .fetch_all(db)
    .await
}

/// Records a reminder to each unit on the reminder list (all of them, or the one given).
/// Returns the units reminded; the caller tells their secretaries.
pub async fn record_reminders(
    db: &mut PgConnection,
    survey: SurveyId,
    unit: Option<UnitId>,
    sender: Option<AccountId>,
    at: DateTime<Utc>,
) -> sqlx::Result<Vec<UnitId>> {
    sqlx::query_scalar(&format!(
        "insert into formation_reminder (unit_id, sender_account_id, sent_at)
         select u.unit_id, $3, $4 {ELIGIBLE} and ($2::bigint is null or u.unit_id = $2)
         returning unit_id"
    ))
    .bind(survey)
    .bind(unit)
    .bind(sender)
    .bind(at)
    .fetch_all(&mut *db)
    .await
}

/// Deadline notices: when the round's formation deadline is 14 days away or less, each
/// secretary of a unit still on the list gets one notice per deadline. Returns how many.
pub async fn deadline_notices(
    db: &PgPool,
    today: NaiveDate,
    at: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let Some((survey, deadline)) = sqlx::query_as::<_, (SurveyId, NaiveDate)>(
        "select survey_id, formation_deadline from survey
          where formation_deadline is not null order by as_of desc limit 1",
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(0);
    };
    let days = (deadline - today).num_days();
    if !(0..=14).contains(&days) {
        return Ok(0);
    }
    let title = format!(
        "建团截止日期（{}）还有{days}天",
        deadline.format("%Y年%-m月%-d日")
    );
    let done = sqlx::query(&format!(
        "insert into notification (account_id, kind, title, body, link, created_at, dedupe_key)
         select distinct a.account_id, 'formation_deadline', $2,
                '本单位尚未提交建团申请，请在截止日期前提交。', '/applications/new', $3, $4
           from account_role r join account a using (account_id)
          where r.role = 'secretary' and not a.disabled
            and r.unit_id in (select u.unit_id {ELIGIBLE})
         on conflict (account_id, dedupe_key) where dedupe_key is not null do nothing"
    ))
    .bind(survey)
    .bind(title)
    .bind(at)
    .bind(format!("formation_deadline:{deadline}"))
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

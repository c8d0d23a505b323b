//! A contest's entries, their judges' scores, typed ranks and awards, the contest's scoring
//! method and its 优秀组织奖 units (migration 0032). The activity's scope is checked by the
//! caller (`db::activity::get` / `get_for_write`); every statement here is bound to the
//! activity, so an entry id from another activity finds nothing.

use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use crate::domain::contest::{Award, Method};
use crate::domain::ids::{ActivityId, UnitId};

/// One entry of a contest.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct EntryRow {
    pub contest_entry_id: i64,
    /// The entering unit, or the entering person's unit.
    pub unit_id: Option<UnitId>,
    pub unit_name: Option<String>,
    /// The entering person; none for an entry by a unit.
    pub person_name: Option<String>,
    pub participation_id: Option<i64>,
    pub title: String,
    pub typed_rank: Option<i32>,
    pub award: Option<Award>,
}

impl EntryRow {
    /// The award's code, or empty.
    pub fn award_code(&self) -> &'static str {
        self.award.map(Award::code).unwrap_or("")
    }

    /// Who entered, as the results name them: the unit, or the person (with their unit).
    pub fn entrant(&self) -> String {
        match (&self.person_name, &self.unit_name) {
            (Some(person), Some(unit)) => format!("{person}（{unit}）"),
            (Some(person), None) => person.clone(),
            (None, unit) => unit.clone().unwrap_or_default(),
        }
    }
}

/// The contest's method, the default when none was chosen.
pub async fn method(db: &PgPool, activity: ActivityId) -> sqlx::Result<Method> {
    let found: Option<Method> =
        sqlx::query_scalar("select method from contest where activity_id = $1")
            .bind(activity)
            .fetch_optional(db)
            .await?;
    Ok(found.unwrap_or_default())
}

/// Sets the contest's method; returns the one it replaces.
pub async fn set_method(
    tx: &mut PgConnection,
    activity: ActivityId,
    method: Method,
) -> sqlx::Result<Method> {
    let before: Option<Method> =
        sqlx::query_scalar("select method from contest where activity_id = $1 for update")
            .bind(activity)
            .fetch_optional(&mut *tx)
            .await?;
    sqlx::query(
        "insert into contest (activity_id, method) values ($1, $2)
         on conflict (activity_id) do update set method = excluded.method",
    )
    .bind(activity)
    .bind(method)
    .execute(&mut *tx)
    .await?;
    Ok(before.unwrap_or_default())
}

const ENTRY_COLUMNS: &str = "e.contest_entry_id, e.unit_id, u.name as unit_name, e.person_name,
    e.participation_id, e.title, e.typed_rank, e.award";

/// The contest's entries in the order they were entered.
pub async fn entries(db: &PgPool, activity: ActivityId) -> sqlx::Result<Vec<EntryRow>> {
    sqlx::query_as(&format!(
        "select {ENTRY_COLUMNS} from contest_entry e left join unit u using (unit_id)
          where e.activity_id = $1 order by e.contest_entry_id"
    ))
    .bind(activity)
    .fetch_all(db)
    .await
}

/// One entry of the contest.
pub async fn entry(
    db: impl sqlx::PgExecutor<'_>,
    activity: ActivityId,
    entry: i64,
) -> sqlx::Result<Option<EntryRow>> {
    sqlx::query_as(&format!(
        "select {ENTRY_COLUMNS} from contest_entry e left join unit u using (unit_id)
          where e.activity_id = $1 and e.contest_entry_id = $2"
    ))
    .bind(activity)
    .bind(entry)
    .fetch_optional(db)
    .await
}

/// An entry as it is added.
pub struct NewEntry<'a> {
    pub unit: Option<UnitId>,
    pub person_name: Option<&'a str>,
    pub participation: Option<i64>,
    pub title: &'a str,
}

/// Adds an entry; none when the unit has entered already (a unit enters once).
pub async fn add_entry(
    tx: &mut PgConnection,
    activity: ActivityId,
    new: &NewEntry<'_>,
) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "insert into contest_entry (activity_id, unit_id, person_name, participation_id, title)
         values ($1, $2, $3, $4, $5)
         on conflict (activity_id, unit_id) where person_name is null do nothing
         returning contest_entry_id",
    )
    .bind(activity)
    .bind(new.unit)
    .bind(new.person_name)
    .bind(new.participation)
    .bind(new.title)
    .fetch_optional(tx)
    .await
}

/// Removes an entry with its scores; false when not in the contest.
pub async fn remove_entry(
    tx: &mut PgConnection,
    activity: ActivityId,
    entry: i64,
) -> sqlx::Result<bool> {
    let done =
        sqlx::query("delete from contest_entry where activity_id = $1 and contest_entry_id = $2")
            .bind(activity)
            .bind(entry)
            .execute(tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// One judge's score of an entry, in tenths.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ScoreRow {
    pub contest_entry_id: i64,
    pub judge: String,
    pub score_tenths: i32,
}

impl ScoreRow {
    /// The score as a page writes it: `87.5`.
    pub fn score(&self) -> String {
        crate::domain::contest::score_text(self.score_tenths)
    }
}

/// Every score given in the contest, by entry, in the order the judges first scored it.
pub async fn scores(db: &PgPool, activity: ActivityId) -> sqlx::Result<Vec<ScoreRow>> {
    sqlx::query_as(
        "select s.contest_entry_id, s.judge, s.score_tenths
           from contest_score s join contest_entry e using (contest_entry_id)
          where e.activity_id = $1 order by s.contest_entry_id, s.position",
    )
    .bind(activity)
    .fetch_all(db)
    .await
}

/// Records a judge's score of an entry, replacing their earlier one; returns the earlier.
pub async fn put_score(
    tx: &mut PgConnection,
    entry: i64,
    judge: &str,
    tenths: i32,
) -> sqlx::Result<Option<i32>> {
    let before: Option<i32> = sqlx::query_scalar(
        "select score_tenths from contest_score where contest_entry_id = $1 and judge = $2 for update",
    )
    .bind(entry)
    .bind(judge)
    .fetch_optional(&mut *tx)
    .await?;
    sqlx::query(
        "insert into contest_score (contest_entry_id, judge, score_tenths) values ($1, $2, $3)
         on conflict (contest_entry_id, judge) do update set score_tenths = excluded.score_tenths",
    )
    .bind(entry)
    .bind(judge)
    .bind(tenths)
    .execute(&mut *tx)
    .await?;
    Ok(before)
}

/// Removes a judge's score of an entry; false when they gave none.
pub async fn remove_score(tx: &mut PgConnection, entry: i64, judge: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("delete from contest_score where contest_entry_id = $1 and judge = $2")
        .bind(entry)
        .bind(judge)
        .execute(tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets (or clears) an entry's typed rank; false when not in the contest.
pub async fn set_rank(
    tx: &mut PgConnection,
    activity: ActivityId,
    entry: i64,
    rank: Option<i32>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update contest_entry set typed_rank = $3 where activity_id = $1 and contest_entry_id = $2",
    )
    .bind(activity)
    .bind(entry)
    .bind(rank)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets (or clears) the awards of the contest's entries named; returns how many changed.
pub async fn set_awards(
    tx: &mut PgConnection,
    activity: ActivityId,
    awards: &[(i64, Option<Award>)],
) -> sqlx::Result<u64> {
    let (ids, codes): (Vec<i64>, Vec<Option<Award>>) = awards.iter().copied().unzip();
    let done = sqlx::query(
        "update contest_entry e set award = a.award
           from unnest($2::bigint[], $3::text[]) a(id, award)
          where e.contest_entry_id = a.id and e.activity_id = $1
            and e.award is distinct from a.award",
    )
    .bind(activity)
    .bind(ids)
    .bind(codes)
    .execute(tx)
    .await?;
    Ok(done.rows_affected())
}

/// The units given 优秀组织奖, by name.
pub async fn organizing(db: &PgPool, activity: ActivityId) -> sqlx::Result<Vec<(UnitId, String)>> {
    sqlx::query_as(
        "select a.unit_id, u.name from contest_organizing_award a join unit u using (unit_id)
          where a.activity_id = $1 order by u.name",
    )
    .bind(activity)
    .fetch_all(db)
    .await
}

/// Gives a unit 优秀组织奖; false when it has it already.
pub async fn add_organizing(
    tx: &mut PgConnection,
    activity: ActivityId,
    unit: UnitId,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "insert into contest_organizing_award (activity_id, unit_id) values ($1, $2)
         on conflict do nothing",
    )
    .bind(activity)
    .bind(unit)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes 优秀组织奖 from a unit; false when it had none.
pub async fn remove_organizing(
    tx: &mut PgConnection,
    activity: ActivityId,
    unit: UnitId,
) -> sqlx::Result<bool> {
    let done =
        sqlx::query("delete from contest_organizing_award where activity_id = $1 and unit_id = $2")
            .bind(activity)
            .bind(unit)
            .execute(tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

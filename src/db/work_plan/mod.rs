//! Work-plan items (`work_plan_item`): a year's items in order, one item, the years that
//! have items, the changes the services make, and `of_year` for the yearly report. Their
//! progress notes are in `notes`, the owners' lookups in `owners`, the hourly notices in
//! `notices`.
//!
//! Who reads an item: the zone's readers all; a secretary the items their organisations
//! own and those naming their own account as owner. A year holds at most 99 items
//! (`work_plan_item.number`), so a year is one page and needs no cursor.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use crate::domain::ids::{AccountId, OrganizationId, WorkPlanItemId};
use crate::domain::role::Scope;
use crate::domain::work_plan::{PlanInput, State, chinese_number};

mod notes;
mod notices;
mod owners;

pub use notes::{NoteRow, add_note, notes};
pub use notices::{DueItem, notify_owners, record_due};
pub use owners::{account_choices, account_named, organization_choices, organizations_named};

/// The constraint that keeps an item's number unique within its year.
pub const NUMBER_UNIQUE: &str = "work_plan_item_number_unique";

/// One item as the list, its page and the export show it.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ItemRow {
    pub work_plan_item_id: WorkPlanItemId,
    pub year: i32,
    pub number: i32,
    pub heading: String,
    pub text: String,
    pub owner_organization_id: Option<OrganizationId>,
    /// The owner organisation's name.
    pub owner_organization: Option<String>,
    pub owner_name: Option<String>,
    pub owner_account_id: Option<AccountId>,
    pub owner_username: Option<String>,
    /// The owner account's display name (its username when it has none).
    pub owner_account_name: Option<String>,
    pub due_on: NaiveDate,
    pub state: State,
    /// The latest progress note's day and text.
    pub last_noted_on: Option<NaiveDate>,
    pub last_note: Option<String>,
    pub notes: i64,
}

impl ItemRow {
    /// 一, 二 … as the plan numbers it.
    pub fn number_text(&self) -> String {
        chinese_number(self.number)
    }

    /// Who owns it, in one phrase: the organisation, with the person in brackets.
    pub fn owner(&self) -> String {
        owner_phrase(
            self.owner_organization.as_deref(),
            self.owner_name
                .as_deref()
                .or(self.owner_account_name.as_deref()),
        )
    }
}

fn owner_phrase(organization: Option<&str>, person: Option<&str>) -> String {
    match (organization, person) {
        (Some(o), Some(p)) => format!("{o}（{p}）"),
        (Some(o), None) => o.to_string(),
        (None, Some(p)) => p.to_string(),
        (None, None) => String::new(),
    }
}

/// The read condition: `$1` the scope's units (null for the zone), `$2` the reader's account.
fn readable() -> String {
    format!(
        "($1::bigint[] is null or i.owner_account_id = $2 or {})",
        super::in_scope!("i.owner_organization_id")
    )
}

const SELECT: &str = "select i.work_plan_item_id, i.year, i.number, i.heading, i.text,
           i.owner_organization_id, o.name as owner_organization, i.owner_name,
           i.owner_account_id, a.username as owner_username,
           coalesce(nullif(a.display_name, ''), a.username) as owner_account_name,
           i.due_on, i.state, n.noted_on as last_noted_on, n.text as last_note,
           (select count(*) from work_plan_note c where c.work_plan_item_id = i.work_plan_item_id) as notes
      from work_plan_item i
      left join organization o on o.organization_id = i.owner_organization_id
      left join account a on a.account_id = i.owner_account_id
      left join lateral (select m.noted_on, m.text from work_plan_note m
                          where m.work_plan_item_id = i.work_plan_item_id
                          order by m.noted_on desc, m.work_plan_note_id desc limit 1) n on true";

/// The item, if `scope` or `account` (see the module) may read it.
pub async fn get(
    db: &PgPool,
    id: WorkPlanItemId,
    (scope, account): (&Scope, AccountId),
) -> sqlx::Result<Option<ItemRow>> {
    sqlx::query_as(&format!(
        "{SELECT} where i.work_plan_item_id = $3 and {}",
        readable()
    ))
    .bind(scope.unit_filter())
    .bind(account)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The items of `year` the reader may read, by number.
pub async fn list_year(
    db: &PgPool,
    year: i32,
    (scope, account): (&Scope, AccountId),
) -> sqlx::Result<Vec<ItemRow>> {
    sqlx::query_as(&format!(
        "{SELECT} where i.year = $3 and {} order by i.number limit 100",
        readable()
    ))
    .bind(scope.unit_filter())
    .bind(account)
    .bind(year)
    .fetch_all(db)
    .await
}

/// The years holding items the reader may read, with how many, the latest first.
pub async fn years(
    db: &PgPool,
    (scope, account): (&Scope, AccountId),
) -> sqlx::Result<Vec<(i32, i64)>> {
    sqlx::query_as(&format!(
        "select i.year, count(*) from work_plan_item i where {}
          group by i.year order by i.year desc limit 200",
        readable()
    ))
    .bind(scope.unit_filter())
    .bind(account)
    .fetch_all(db)
    .await
}

/// The number a new item of `year` takes: one after the highest.
pub async fn next_number(db: &PgPool, year: i32) -> sqlx::Result<i32> {
    sqlx::query_scalar("select coalesce(max(number), 0) + 1 from work_plan_item where year = $1")
        .bind(year)
        .fetch_one(db)
        .await
}

/// One item of a year's plan as the yearly report writes it (二、{year}工作安排).
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct PlanLine {
    pub work_plan_item_id: WorkPlanItemId,
    pub number: i32,
    pub heading: String,
    pub text: String,
    pub state: State,
    /// Who owns it, in one phrase (`ItemRow::owner`).
    pub owner: String,
}

/// An item of `of_year` as read, its owners apart.
#[derive(sqlx::FromRow)]
struct PlanRow {
    work_plan_item_id: WorkPlanItemId,
    number: i32,
    heading: String,
    text: String,
    state: State,
    organization: Option<String>,
    person: Option<String>,
}

/// Every item of `year`, cancelled ones too (the caller decides; `state` says), by number:
/// for the yearly report, which the zone's readers alone see, so unscoped.
pub async fn of_year(db: &PgPool, year: i32) -> sqlx::Result<Vec<PlanLine>> {
    let rows: Vec<PlanRow> = sqlx::query_as(
        "select i.work_plan_item_id, i.number, i.heading, i.text, i.state, o.name as organization,
                coalesce(i.owner_name, nullif(a.display_name, ''), a.username) as person
           from work_plan_item i
           left join organization o on o.organization_id = i.owner_organization_id
           left join account a on a.account_id = i.owner_account_id
          where i.year = $1 order by i.number",
    )
    .bind(year)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PlanLine {
            owner: owner_phrase(r.organization.as_deref(), r.person.as_deref()),
            work_plan_item_id: r.work_plan_item_id,
            number: r.number,
            heading: r.heading,
            text: r.text,
            state: r.state,
        })
        .collect())
}

/// The owners an item's form named, found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Owners {
    pub organization: Option<OrganizationId>,
    pub account: Option<AccountId>,
}

/// Stores a new item (未开始); returns its id.
pub async fn create(
    tx: &mut PgConnection,
    input: &PlanInput,
    owners: Owners,
    created_by: Option<AccountId>,
) -> sqlx::Result<WorkPlanItemId> {
    sqlx::query_scalar(
        "insert into work_plan_item (year, number, heading, text, owner_organization_id, owner_name,
                                     owner_account_id, due_on, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning work_plan_item_id",
    )
    .bind(input.year)
    .bind(input.number)
    .bind(&input.heading)
    .bind(&input.text)
    .bind(owners.organization)
    .bind(&input.owner_name)
    .bind(owners.account)
    .bind(input.due_on)
    .bind(created_by)
    .fetch_one(tx)
    .await
}

/// Changes an item's fields (not its state); false when it is gone.
pub async fn update(
    tx: &mut PgConnection,
    id: WorkPlanItemId,
    input: &PlanInput,
    owners: Owners,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update work_plan_item set year = $2, number = $3, heading = $4, text = $5,
                owner_organization_id = $6, owner_name = $7, owner_account_id = $8, due_on = $9
          where work_plan_item_id = $1",
    )
    .bind(id)
    .bind(input.year)
    .bind(input.number)
    .bind(&input.heading)
    .bind(&input.text)
    .bind(owners.organization)
    .bind(&input.owner_name)
    .bind(owners.account)
    .bind(input.due_on)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves an item from `from` to `to`; false when it is no longer in `from` (someone else
/// moved it meanwhile) or gone.
pub async fn set_state(
    tx: &mut PgConnection,
    id: WorkPlanItemId,
    from: State,
    to: State,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update work_plan_item set state = $3 where work_plan_item_id = $1 and state = $2",
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .execute(tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

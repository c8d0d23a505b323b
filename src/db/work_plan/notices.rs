//! The hourly pass's notices to an item's owners: an open item due within
//! `DUE_SOON_DAYS` days, then once more when it is overdue, each recorded in
//! `work_plan_notice` so that it goes out once per item, condition and due date.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use crate::domain::ids::WorkPlanItemId;
use crate::domain::work_plan::{DUE_SOON_DAYS, Flag, State};

/// An item whose notice is due now.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueItem {
    pub work_plan_item_id: WorkPlanItemId,
    /// `due_soon` or `overdue` (`Flag::code`).
    pub condition: String,
    pub year: i32,
    pub number: i32,
    pub heading: String,
    pub due_on: NaiveDate,
    pub state: State,
}

impl DueItem {
    pub fn flag(&self) -> Flag {
        if self.condition == Flag::Overdue.code() {
            Flag::Overdue
        } else {
            Flag::DueSoon
        }
    }
}

/// Records the notices due on `today` not recorded before: overdue for an open item past
/// its due date, due soon for one due within `DUE_SOON_DAYS` days (an item first seen
/// late gets only the overdue one). Returns the items recorded now.
pub async fn record_due(
    db: &mut PgConnection,
    today: NaiveDate,
    at: DateTime<Utc>,
) -> sqlx::Result<Vec<DueItem>> {
    sqlx::query_as(
        "with due as (
             insert into work_plan_notice (work_plan_item_id, condition, due_on, sent_at)
             select i.work_plan_item_id, case when i.due_on < $1 then 'overdue' else 'due_soon' end,
                    i.due_on, $3
               from work_plan_item i
              where i.state in ('planned', 'ongoing') and i.due_on <= $1 + $2
             on conflict do nothing
             returning work_plan_item_id, condition, due_on)
         select d.work_plan_item_id, d.condition, i.year, i.number, i.heading, d.due_on, i.state
           from due d join work_plan_item i using (work_plan_item_id)
          order by d.work_plan_item_id",
    )
    .bind(today)
    .bind(DUE_SOON_DAYS)
    .bind(at)
    .fetch_all(db)
    .await
}

/// Sends each item's notice (`titles` and `bodies` in the order of `items`) to its owners:
/// the owner account, the committee's staff for an item the committee owns, the
/// secretaries of the owner organisation's unit(s) otherwise; enabled accounts only, each
/// once per item. Returns how many were sent.
pub async fn notify_owners(
    db: &mut PgConnection,
    items: &[WorkPlanItemId],
    (titles, bodies): (&[String], &[String]),
    at: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "with due(item, title, body) as (select * from unnest($1::bigint[], $2::text[], $3::text[])),
         recipient(item, account_id) as (
             select d.item, i.owner_account_id
               from due d join work_plan_item i on i.work_plan_item_id = d.item
              where i.owner_account_id is not null
             union
             select d.item, r.account_id
               from due d join work_plan_item i on i.work_plan_item_id = d.item
               join organization o on o.organization_id = i.owner_organization_id
               cross join lateral (select o.unit_id
                                   union
                                   select j.unit_id from organization_unit j
                                    where j.organization_id = o.organization_id) as u(unit_id)
               join account_role r on r.unit_id = u.unit_id and r.role = 'secretary'
             union
             select d.item, r.account_id
               from due d join work_plan_item i on i.work_plan_item_id = d.item
               join organization o on o.organization_id = i.owner_organization_id and o.kind = 'committee'
               join account_role r on r.role = 'committee')
         insert into notification (account_id, kind, title, body, link, created_at)
         select x.account_id, 'work_plan_due', d.title, d.body, '/plans/' || d.item, $4
           from recipient x join due d on d.item = x.item
           join account a on a.account_id = x.account_id
          where not a.disabled",
    )
    .bind(items)
    .bind(titles)
    .bind(bodies)
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

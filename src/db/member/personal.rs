//! What the database holds about one member beyond the roster row and its history, for the
//! export of a person's data on request (PIPL art. 45, issue 18 item 7): the yearly
//! evaluations and the transfers. The volunteer record is `participation::record_of_member`.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::domain::ids::MemberId;

/// Year, grade and when the year was registered (团籍注册), oldest first.
pub async fn evaluations(
    db: &PgPool,
    member: MemberId,
) -> sqlx::Result<Vec<(i32, String, Option<DateTime<Utc>>)>> {
    sqlx::query_as(
        "select year, grade, registered_at from member_evaluation where member_id = $1 order by year",
    )
    .bind(member)
    .fetch_all(db)
    .await
}

/// One transfer (组织关系转接) as the export lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TransferLine {
    pub from_organization: String,
    pub to_organization: Option<String>,
    pub destination: Option<String>,
    pub state: String,
    pub reason: Option<String>,
    pub requested_at: DateTime<Utc>,
}

/// The member's transfers, oldest first.
pub async fn transfers(db: &PgPool, member: MemberId) -> sqlx::Result<Vec<TransferLine>> {
    sqlx::query_as(
        "select f.name as from_organization, t.name as to_organization, x.destination, x.state,
                x.reason, x.requested_at
           from member_transfer x
           join organization f on f.organization_id = x.from_organization_id
           left join organization t on t.organization_id = x.to_organization_id
          where x.member_id = $1 order by x.requested_at, x.member_transfer_id",
    )
    .bind(member)
    .fetch_all(db)
    .await
}

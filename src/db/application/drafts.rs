//! What a secretary writes: creating a draft, and changing it while it is a draft or
//! returned.

use serde::Serialize;
use sqlx::PgConnection;

use crate::domain::application::State;
use crate::domain::ids::{AccountId, ApplicationId, UnitId};

/// What the secretary writes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    pub proposed_name: String,
    pub proposed_kind: crate::domain::organization::Kind,
    pub member_count: i32,
    pub youth_count: i32,
    pub proposed_secretary: Option<String>,
    pub reasons: Option<String>,
}

pub async fn create_draft(
    db: &mut PgConnection,
    unit: UnitId,
    input: &Input,
    by: AccountId,
) -> sqlx::Result<ApplicationId> {
    sqlx::query_scalar(
        "insert into formation_application
                (unit_id, state, proposed_name, proposed_kind, member_count, youth_count,
                 proposed_secretary, reasons, created_by)
         values ($1, $9, $2, $3, $4, $5, $6, $7, $8) returning formation_application_id",
    )
    .bind(unit)
    .bind(&input.proposed_name)
    .bind(input.proposed_kind)
    .bind(input.member_count)
    .bind(input.youth_count)
    .bind(&input.proposed_secretary)
    .bind(&input.reasons)
    .bind(by)
    .bind(State::Draft)
    .fetch_one(db)
    .await
}

/// Changes the content while the application is a draft or returned; false otherwise.
pub async fn update(db: &mut PgConnection, id: ApplicationId, input: &Input) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update formation_application
            set proposed_name = $2, proposed_kind = $3, member_count = $4, youth_count = $5,
                proposed_secretary = $6, reasons = $7
          where formation_application_id = $1 and state = any($8)",
    )
    .bind(id)
    .bind(&input.proposed_name)
    .bind(input.proposed_kind)
    .bind(input.member_count)
    .bind(input.youth_count)
    .bind(&input.proposed_secretary)
    .bind(&input.reasons)
    .bind(&State::EDITABLE[..])
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

//! Formation applications (建团申请), as far as the unit pages show them.

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::domain::ids::UnitId;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApplicationRow {
    pub formation_application_id: i64,
    pub state: String,
    pub proposed_name: String,
    pub member_count: i32,
    pub submitted_at: Option<DateTime<Utc>>,
}

impl ApplicationRow {
    pub fn state_label(&self) -> &'static str {
        state_label(&self.state)
    }
}

pub fn state_label(state: &str) -> &'static str {
    match state {
        "draft" => "草稿",
        "submitted" => "已提交，待批复",
        "returned" => "已退回修改",
        "resubmitted" => "已重新提交，待批复",
        "approved" => "已批复",
        "rejected" => "未予批复",
        _ => "未知",
    }
}

pub async fn for_unit(db: &PgPool, unit: UnitId) -> sqlx::Result<Vec<ApplicationRow>> {
    sqlx::query_as(
        "select formation_application_id, state, proposed_name, member_count, submitted_at
           from formation_application where unit_id = $1 order by created_at desc",
    )
    .bind(unit)
    .fetch_all(db)
    .await
}

//! `GET /api/v1/members?organization=&q=`: the league members in scope, by name, with
//! resident IDs and phones masked; the cursor is the last name and id.

use axum::Json;
use axum::extract::{Query, State};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{PAGE_SIZE, Page};
use crate::auth::extract::{Business, Require};
use crate::db;
use crate::db::member::{Filter, MemberRow};
use crate::domain::ids::{MemberId, OrganizationId};
use crate::error::{AppError, Result};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct MembersQuery {
    /// A name, or two of its characters; one character is a surname.
    #[serde(default)]
    q: String,
    after: Option<String>,
    organization: Option<String>,
    /// `14-17`, `18-22`, `23-27`, `28+`.
    age: Option<String>,
    /// `true` for members with a league post, `false` for those without.
    post: Option<String>,
    state: Option<String>,
}

impl MembersQuery {
    /// The filters: a mangled organisation is refused, any other odd value ignored.
    fn filter(&self, today: NaiveDate) -> Result<Filter> {
        let organization = match self.organization.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => Some(
                s.parse::<OrganizationId>()
                    .map_err(|_| AppError::BadRequest("organization 应为团组织编号".into()))?,
            ),
        };
        Ok(crate::web::query::member_filter(
            organization,
            &self.q,
            self.age.as_deref(),
            self.post.as_deref(),
            self.state.as_deref(),
            today,
        ))
    }
}

#[derive(Debug, Serialize)]
pub struct MemberItem {
    pub id: MemberId,
    pub organization_id: OrganizationId,
    pub name: String,
    pub sex: String,
    pub ethnicity: String,
    /// Masked: the first six and the last four characters; null once erased.
    pub resident_id: Option<String>,
    /// Masked.
    pub phone: Option<String>,
    /// `YYYY-MM`.
    pub joined_on: String,
    pub league_post: Option<String>,
    pub state: crate::domain::member::State,
    /// When the resident ID and phone were erased after the retention period, or null.
    pub erased_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<MemberRow> for MemberItem {
    fn from(m: MemberRow) -> MemberItem {
        MemberItem {
            id: m.member_id,
            organization_id: m.organization_id,
            name: m.name,
            sex: m.sex,
            ethnicity: m.ethnicity,
            resident_id: Some(m.resident_id_masked).filter(|_| m.erased_at.is_none()),
            phone: m.phone_masked,
            joined_on: m.joined_on.format("%Y-%m").to_string(),
            league_post: m.league_post,
            state: m.state,
            erased_at: m.erased_at,
        }
    }
}

pub async fn list_members(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    Query(query): Query<MembersQuery>,
) -> Result<Json<Page<MemberItem>>> {
    let filter = query.filter(state.clock.today())?;
    let rows = db::member::list(
        &state.db,
        &user.scope,
        &filter,
        crate::web::pair_cursor(query.after.as_deref()).as_ref(),
        PAGE_SIZE + 1,
    )
    .await?;
    Ok(Json(Page::of(rows, |m| {
        crate::web::encode_pair(&m.name, m.member_id)
    })))
}

//! The members roster (团员管理): masked personal data, search, pages, the member form,
//! age lists, workbook import, transfers (接转) and the yearly evaluation (评议). Resident IDs
//! and phones are shown in full only to the committee and the member's own secretary, after
//! a click that is audited.

mod age;
mod evaluation;
mod form;
mod import;
mod personal;
mod roster;
mod show;
mod transfer;
mod transfers;

pub use age::{age_out, compare, show_age_lists};
pub use evaluation::{register_members, save_evaluation, show_evaluation};
pub use form::{create_member, delete_member, edit_member, new_member, reveal, update_member};
pub use import::{download_template, import_form, import_roster};
pub use roster::{export, show_all, show_roster};
pub use show::show_member;
pub use transfer::{request_transfer, start_transfer_in, transfer_in_form};
pub use transfers::{decide_transfer, show_transfers};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::auth::extract::{Business, Reporter, Staff};
use crate::config::UPLOAD_LIMIT;
use crate::db::{self, member::MemberRow};
use crate::domain::codes::{EDUCATION, ETHNICITIES, POLITICAL_STATUS};
use crate::domain::disclosure::{ADULT_AGE, Field, Reader, Shown, shown};
use crate::domain::ids::{MemberId, OrganizationId};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::only;
use crate::web::scoped::open_for;

pub const PAGE_SIZE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct RosterQuery {
    #[serde(default)]
    pub q: String,
    pub after: Option<String>,
    pub organization: Option<String>,
    /// `14-17`, `18-22`, `23-27`, `28+`.
    pub age: Option<String>,
    /// `true` for members with a league post.
    pub post: Option<String>,
    pub state: Option<String>,
}

impl RosterQuery {
    /// The filters; an odd value is ignored rather than refused.
    pub fn filter(
        &self,
        organization: Option<OrganizationId>,
        today: NaiveDate,
    ) -> db::member::Filter {
        let organization = organization.or_else(|| {
            self.organization
                .as_deref()
                .and_then(|o| o.trim().parse().ok())
        });
        crate::web::query::member_filter(
            organization,
            &self.q,
            self.age.as_deref(),
            self.post.as_deref(),
            self.state.as_deref(),
            today,
        )
    }
}

/// Counted exactly up to this many; beyond, pages say "10000+".
pub const COUNT_CAP: i64 = 10_000;

/// A name search is counted up to this many: a common surname matches hundreds of
/// thousands of members in a province, and counting ten thousand of them cost more than
/// the page itself (BENCHMARKS.md); past it the page says "1000+" and a longer search text finds fewer.
pub const SEARCH_COUNT_CAP: i64 = 1_000;

/// How far a list with this filter is counted.
pub fn count_cap(filter: &crate::db::member::Filter) -> i64 {
    if filter.q.is_empty() {
        COUNT_CAP
    } else {
        SEARCH_COUNT_CAP
    }
}

pub fn cursor(after: &Option<String>) -> Option<(String, MemberId)> {
    crate::web::pair_cursor(after.as_deref())
}

pub fn encode_cursor(row: &MemberRow) -> String {
    crate::web::encode_pair(&row.name, row.member_id)
}

pub struct CodeLists {
    ethnicities: &'static [(&'static str, &'static str)],
    education: &'static [(&'static str, &'static str)],
    political: &'static [(&'static str, &'static str)],
}

const CODES: CodeLists = CodeLists {
    ethnicities: &ETHNICITIES,
    education: &EDUCATION,
    political: &POLITICAL_STATUS,
};

async fn open_member(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: MemberId,
) -> Result<MemberRow> {
    db::member::get(&state.db, &user.scope, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A member to change or whose full numbers to show: in the scope of the user's
/// committee or secretary grants (`Reporter`), whatever else they may read.
async fn member_to_change(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: MemberId,
) -> Result<MemberRow> {
    open_for::<Reporter, _, _, _>(user, |scope| async move {
        db::member::get(&state.db, &scope, id).await
    })
    .await
}

/// An organisation members can be registered in or moved to: in scope, not the committee.
async fn open_branch(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: OrganizationId,
) -> Result<db::organization::OrganizationRow> {
    let org = crate::web::organizations::open_org(state, user, id).await?;
    if org.kind.is_committee() {
        return Err(AppError::NotFound);
    }
    Ok(org)
}

/// A branch whose members to change: `open_branch` in the scope of the user's committee or
/// secretary grants.
async fn branch_to_change(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: OrganizationId,
) -> Result<db::organization::OrganizationRow> {
    let org = open_for::<Reporter, _, _, _>(user, |scope| async move {
        db::organization::get(&state.db, id, &scope).await
    })
    .await?;
    if org.kind.is_committee() {
        return Err(AppError::NotFound);
    }
    Ok(org)
}

/// The roster's routes: reading for every business role, writing for the committee and
/// the unit's secretary (`Reporter`), comparisons for the staff.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/organizations/{id}/members",
            only::<Business>(get(show_roster)).merge(only::<Reporter>(post(create_member))),
        )
        .route(
            "/organizations/{id}/members/new",
            only::<Reporter>(get(new_member)),
        )
        .route(
            "/organizations/{id}/members/import",
            only::<Reporter>(get(import_form).post(import_roster))
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/organizations/{id}/members/template",
            only::<Reporter>(get(download_template)),
        )
        .route("/members", only::<Business>(get(show_all)))
        .route("/members/compare", only::<Staff>(get(compare)))
        .route("/members/export", only::<Business>(get(export)))
        .route(
            "/members/{id}",
            only::<Business>(get(show_member)).merge(only::<Reporter>(post(update_member))),
        )
        .route(
            "/members/{id}/transfer",
            only::<Reporter>(post(request_transfer)),
        )
        .route(
            "/organizations/{id}/members/transfer-in",
            only::<Reporter>(get(transfer_in_form).post(start_transfer_in)),
        )
        .route(
            "/organizations/{id}/evaluation",
            only::<Business>(get(show_evaluation)).merge(only::<Reporter>(post(save_evaluation))),
        )
        .route(
            "/organizations/{id}/registration",
            only::<Reporter>(post(register_members)),
        )
        .route("/members/transfers", only::<Business>(get(show_transfers)))
        .route("/transfers/{id}", only::<Reporter>(post(decide_transfer)))
        .route("/members/{id}/edit", only::<Reporter>(get(edit_member)))
        .route(
            "/members/{id}/delete",
            only::<Reporter>(post(delete_member)),
        )
        .route("/members/age", only::<Business>(get(show_age_lists)))
        .route("/members/{id}/age-out", only::<Reporter>(post(age_out)))
        .route("/members/{id}/reveal", only::<Reporter>(post(reveal)))
        .route(
            "/members/{id}/personal-data",
            only::<Reporter>(get(personal::export_personal_data)),
        )
}

/// Whether `reader` may see `member`'s full numbers on `today`, as `domain::disclosure`
/// says: the committee for everyone, the own secretary for adults. Whoever may, may also
/// export the member's data for them.
fn may_see_whole(reader: Reader, member: &MemberRow, today: NaiveDate) -> bool {
    let adult = member.age_on(today) >= ADULT_AGE;
    shown(reader, Field::ResidentId, adult) == Shown::OnRequest
}

/// Whether `reader` may ask for `member`'s full numbers on `today` (the reveal button):
/// as `may_see_whole`, while the numbers are not erased.
fn reveals(reader: Reader, member: &MemberRow, today: NaiveDate) -> bool {
    may_see_whole(reader, member, today) && !member.is_erased()
}

/// The refusal to reveal or change numbers erased after the retention period.
fn erased(member: &MemberRow, state: &AppState) -> AppError {
    AppError::BadRequest(format!(
        "{}的个人信息（身份证号码、联系电话）已于{}按保存期限删除，不能再查看或修改。",
        member.name,
        member
            .erased_at
            .map(|at| state.clock.local(at).format("%Y年%-m月%-d日").to_string())
            .unwrap_or_default()
    ))
}

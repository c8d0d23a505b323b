//! Age lists (超龄) with one-click 离团, and counted beside reported members.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::auth::extract::{Business, ClientAddr, Reporter, Require};
use crate::db::{
    self,
    member::{AgeList, MemberRow},
};
use crate::domain::ids::MemberId;
use crate::domain::role::Scope;
use crate::error::Result;
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::paging::Pager;

#[derive(Template, WebTemplate)]
#[template(path = "members/age.html")]
pub struct AgePage {
    ctx: PageContext,
    turning: AgeSection,
    past: AgeSection,
    can_act: bool,
    /// The members of `past` the user may act on: in the scope of their committee or
    /// secretary grants, not merely one they read.
    actionable: Vec<MemberId>,
}

/// One age list's page: its members, how many in all, and its pager.
pub struct AgeSection {
    rows: Vec<MemberRow>,
    count: i64,
    pager: Pager,
}

impl AgeSection {
    fn count_text(&self) -> String {
        crate::web::paging::count_text(self.count, super::COUNT_CAP)
    }
}

impl AgePage {
    fn acts_on(&self, m: &MemberRow) -> bool {
        self.actionable.contains(&m.member_id)
    }

    fn turns_28(&self, m: &MemberRow) -> String {
        crate::domain::member::birthday(m.birth_date, 28).to_string()
    }
}

/// Members per page of each age list.
const PAGE: i64 = 100;

#[derive(Debug, Default, Deserialize)]
pub struct AgeQuery {
    /// Each list's cursor: the last member shown (birth date and id).
    past_after: Option<String>,
    turning_after: Option<String>,
}

fn age_cursor(text: &Option<String>) -> Option<(NaiveDate, MemberId)> {
    let (date, id) = crate::web::pair_cursor(text.as_deref())?;
    Some((date.parse().ok()?, id))
}

async fn section(
    state: &AppState,
    scope: &crate::domain::role::Scope,
    list: AgeList,
    after: &Option<String>,
    (key, label, test_id): (&str, &'static str, &'static str),
) -> Result<AgeSection> {
    let after = age_cursor(after);
    let mut rows = db::member::by_age(&state.db, scope, list, after, PAGE + 1).await?;
    let count = crate::web::paging::counted(
        after.is_none(),
        rows.len(),
        PAGE,
        db::member::count_by_age(&state.db, scope, list, super::COUNT_CAP + 1),
    )
    .await?;
    let next = crate::web::next_page(&mut rows, PAGE, |m| {
        crate::web::encode_pair(&m.birth_date.to_string(), m.member_id)
    });
    let pager = Pager::new("/members/age", "", &format!("{key}_after"), next.as_deref())
        .paged(after.is_some())
        .texts("← 第一页", "下一页 →")
        .labelled(label, test_id);
    Ok(AgeSection { rows, count, pager })
}

/// 超龄: members turning 28 within 90 days, and those past 28 without a league post.
pub async fn show_age_lists(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    Query(query): Query<AgeQuery>,
) -> Result<AgePage> {
    let today = state.clock.today();
    // Turning 28 after today: whoever turns 28 today is past it, so that each member is on
    // one list only.
    let turning = AgeList {
        from: Some(today + chrono::Days::new(1)),
        until: today + chrono::Days::new(90),
        without_post: false,
    };
    let past = AgeList {
        from: None,
        until: today,
        without_post: true,
    };
    let turning = section(
        &state,
        &user.scope,
        turning,
        &query.turning_after,
        ("turning", "90天内年满28周岁分页", "turning-next"),
    )
    .await?;
    let past = section(
        &state,
        &user.scope,
        past,
        &query.past_after,
        ("past", "已满28周岁分页", "past-next"),
    )
    .await?;
    let acting = user.scope_for::<Reporter>();
    let listed: Vec<MemberId> = past.rows.iter().map(|m| m.member_id).collect();
    let actionable = match acting {
        Scope::Nothing => Vec::new(),
        _ if acting == user.scope => listed,
        _ => db::member::in_scope(&state.db, &acting, &listed).await?,
    };
    Ok(AgePage {
        turning,
        past,
        can_act: acting != Scope::Nothing,
        actionable,
        ctx,
    })
}

pub async fn age_out(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<MemberId>,
) -> Result<Response> {
    let member = super::member_to_change(&state, &user, id).await?;
    let now = state.clock.now();
    let done = crate::services::members::age_out(
        &state.db,
        &user.actor(&address),
        &member,
        (now, state.clock.today()),
    )
    .await;
    flash::outcome(
        &state.settings,
        "/members/age",
        done,
        &format!("{} 已办理超龄离团。", member.name),
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "members/compare.html")]
pub struct ComparePage {
    ctx: PageContext,
    as_of: Option<NaiveDate>,
    reported: i64,
    counted: i64,
    rows: Vec<db::member::Comparison>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RoundQuery {
    /// Kept as text so that a mangled value reads as "no such round", not a 400.
    survey: Option<String>,
}

/// Counted members (the roster) beside reported members (the survey), per unit, for the
/// round asked for (the dashboard's) or else the latest.
pub async fn compare(
    State(state): State<AppState>,
    _user: Require<crate::auth::extract::Staff>,
    ctx: PageContext,
    Query(query): Query<RoundQuery>,
) -> Result<ComparePage> {
    let asked = crate::web::query::optional_id(query.survey.as_deref())?;
    let round = db::survey::get_or_latest(&state.db, asked).await?;
    if asked.is_some() && round.is_none() {
        return Err(crate::error::AppError::NotFound);
    }
    let Some(round) = round else {
        return Ok(ComparePage {
            ctx,
            as_of: None,
            reported: 0,
            counted: 0,
            rows: Vec::new(),
        });
    };
    let (reported, counted) = db::member::totals(&state.db, round.survey_id).await?;
    Ok(ComparePage {
        rows: db::member::differences(&state.db, round.survey_id, 500).await?,
        as_of: Some(round.as_of),
        reported,
        counted,
        ctx,
    })
}

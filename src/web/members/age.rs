//! Age lists (超龄) with one-click 离团, and counted beside reported members.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use serde_json::json;

use crate::auth::extract::{Business, ClientAddr, Reporter, Require};
use crate::db::{self, audit::Event, member::MemberRow};
use crate::error::{AppError, Result};
use crate::startup::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;

#[derive(Template, WebTemplate)]
#[template(path = "members/age.html")]
pub struct AgePage {
    ctx: PageContext,
    turning: Vec<MemberRow>,
    past: Vec<MemberRow>,
    can_act: bool,
}

impl AgePage {
    fn turns_28(&self, m: &MemberRow) -> String {
        m.birth_date
            .with_year(m.birth_date.year() + 28)
            .unwrap_or(m.birth_date)
            .to_string()
    }
}

/// 超龄: members turning 28 within 90 days, and those past 28 without a league post.
pub async fn show_age_lists(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
) -> Result<AgePage> {
    let today = state.clock.now().date_naive();
    Ok(AgePage {
        turning: db::member::by_age(
            &state.db,
            &user.scope,
            Some(today),
            today + chrono::Days::new(90),
            false,
        )
        .await?,
        past: db::member::by_age(&state.db, &user.scope, None, today, true).await?,
        can_act: user.has_any(&[
            crate::domain::role::Role::Committee,
            crate::domain::role::Role::Secretary,
        ]),
        ctx,
    })
}

pub async fn age_out(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response> {
    let member = db::member::get(&state.db, &user.scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = state.clock.now().date_naive();
    let back = "/members/age";
    if today.years_since(member.birth_date).unwrap_or(0) < 28 || member.league_post.is_some() {
        return Ok(flash::redirect(
            &state.settings,
            back,
            "error",
            "只有年满28周岁且未担任团内职务的团员才能办理超龄离团",
        ));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if !db::member::age_out(&mut tx, id, (user.account_id, user.name()), now).await? {
        return Ok(flash::redirect(
            &state.settings,
            back,
            "error",
            "该团员已不在团，无需办理",
        ));
    }
    db::audit::record(
        &mut *tx,
        now,
        &user.actor(&address),
        Event::new("member.aged_out", "member", id)
            .before(json!({"state": "active"}))
            .after(json!({"state": "aged_out"})),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect(
        &state.settings,
        back,
        "ok",
        &format!("{} 已办理超龄离团。", member.name),
    ))
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

/// Counted members (the roster) beside reported members (the survey), per unit.
pub async fn compare(
    State(state): State<AppState>,
    _user: Require<crate::auth::extract::Staff>,
    ctx: PageContext,
) -> Result<ComparePage> {
    let Some(round) = db::survey::get_or_latest(&state.db, None).await? else {
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

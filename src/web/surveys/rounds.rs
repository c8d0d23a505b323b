//! Survey rounds (摸排轮次): the list, opening one (carrying the units over), a round's page
//! with who has reported, changing its settings and locking it for good.
//! Just over 300 lines: the round's whole life (open, show, settings, lock, discard) shares
//! one form and one page struct here, and splitting it would split those.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::auth::extract::{ClientAddr, Committee, Require, Staff};
use crate::db::{self, survey::PendingUnit, survey::RoundDetail, survey::RoundSettings};
use crate::domain::form::FieldErrors;
use crate::domain::role::Role;
use crate::domain::survey::check_round_date;
use crate::domain::text::parse_date_text;
use crate::error::Result;
use crate::services::{Error, rounds};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::respond::invalid;

use super::{load_round, locked_refusal};
use crate::domain::ids::SurveyId;

#[derive(Template, WebTemplate)]
#[template(path = "surveys/index.html")]
pub struct RoundsPage {
    ctx: PageContext,
    rounds: Vec<RoundDetail>,
    can_edit: bool,
}

pub async fn list_rounds(
    State(state): State<AppState>,
    Require(user, ..): Require<Staff>,
    ctx: PageContext,
) -> Result<RoundsPage> {
    Ok(RoundsPage {
        ctx,
        rounds: db::survey::rounds(&state.db, None, 200).await?,
        can_edit: user.has(Role::Committee),
    })
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct RoundForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    as_of: String,
    #[serde(default)]
    opens_on: String,
    #[serde(default)]
    closes_on: String,
    #[serde(default)]
    formation_deadline: String,
    #[serde(default)]
    carry_over: Option<String>,
}

impl RoundForm {
    fn from_round(round: &RoundDetail) -> RoundForm {
        let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        RoundForm {
            title: round.title.clone(),
            as_of: round.as_of.to_string(),
            opens_on: day(round.opens_on),
            closes_on: day(round.closes_on),
            formation_deadline: day(round.formation_deadline),
            carry_over: None,
        }
    }
}

/// The round's settings: every date readable, the reporting window in order.
impl TryFrom<&RoundForm> for RoundSettings {
    type Error = FieldErrors;

    fn try_from(form: &RoundForm) -> std::result::Result<RoundSettings, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut date = |label: &'static str, text: &str, required: bool| -> Option<NaiveDate> {
            let text = text.trim();
            if text.is_empty() {
                if required {
                    errors.push(label, "不能为空");
                }
                return None;
            }
            match parse_date_text(text).map(check_round_date) {
                Some(Ok(date)) => Some(date),
                Some(Err(reason)) => {
                    errors.push(label, reason);
                    None
                }
                None => {
                    errors.push(label, "不是有效的日期（例如 2019-06-01）");
                    None
                }
            }
        };
        let as_of = date("统计截止日期", &form.as_of, true);
        let opens_on = date("开始填报日期", &form.opens_on, true);
        let closes_on = date("截止填报日期", &form.closes_on, true);
        let formation_deadline = date("建团截止日期", &form.formation_deadline, false);
        let title = form.title.trim().to_string();
        if title.is_empty() {
            errors.push("标题", "不能为空");
        }
        if let (Some(open), Some(close)) = (opens_on, closes_on)
            && open > close
        {
            errors.push("截止填报日期", "不能早于开始填报日期");
        }
        match (as_of, opens_on, closes_on, errors.is_empty()) {
            (Some(as_of), Some(opens_on), Some(closes_on), true) => Ok(RoundSettings {
                title,
                as_of,
                opens_on,
                closes_on,
                formation_deadline,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/new.html")]
pub struct NewRoundPage {
    ctx: PageContext,
    form: RoundForm,
    errors: Vec<String>,
}

pub async fn new_round(_user: Require<Committee>, ctx: PageContext) -> NewRoundPage {
    NewRoundPage {
        ctx,
        form: RoundForm {
            carry_over: Some("true".into()),
            ..Default::default()
        },
        errors: Vec::new(),
    }
}

pub async fn open_round(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    ctx: PageContext,
    address: ClientAddr,
    Form(form): Form<RoundForm>,
) -> Result<Response> {
    let refuse = |ctx, form, errors| Ok(invalid(NewRoundPage { ctx, form, errors }));
    let settings = match RoundSettings::try_from(&form) {
        Ok(s) => s,
        Err(errors) => return refuse(ctx, form, errors.messages()),
    };
    let carry_over = form.carry_over.is_some();
    let actor = user.actor(&address);
    let now = state.clock.now();
    let (id, carried) = match rounds::open(&state.db, &actor, &settings, carry_over, now).await {
        Ok(done) => done,
        Err(Error::Refused(message)) => return refuse(ctx, form, vec![message.into_owned()]),
        Err(Error::Database(e)) => return Err(e.into()),
    };
    let message = format!("已开启新一轮摸排，沿用上一轮的{carried}个单位。");
    Ok(flash::ok(
        &state.settings,
        &format!("/surveys/{id}"),
        &message,
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "surveys/show.html")]
pub struct RoundPage {
    ctx: PageContext,
    round: RoundDetail,
    form: RoundForm,
    errors: Vec<String>,
    pending: Vec<PendingUnit>,
    can_edit: bool,
    open_now: bool,
}

async fn round_page(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    ctx: PageContext,
    round: RoundDetail,
    form: Option<RoundForm>,
    errors: Vec<String>,
) -> Result<RoundPage> {
    let today = state.clock.today();
    let open_now = !round.locked
        && round.opens_on.is_some_and(|d| d <= today)
        && round.closes_on.is_some_and(|d| d >= today);
    Ok(RoundPage {
        pending: db::survey::not_reported(&state.db, round.survey_id, 500).await?,
        form: form.unwrap_or_else(|| RoundForm::from_round(&round)),
        can_edit: user.has(Role::Committee) && !round.locked,
        ctx,
        round,
        errors,
        open_now,
    })
}

pub async fn show_round(
    State(state): State<AppState>,
    Require(user, ..): Require<Staff>,
    ctx: PageContext,
    PathOr404(id): PathOr404<SurveyId>,
) -> Result<RoundPage> {
    let round = load_round(&state, id).await?;
    round_page(&state, &user, ctx, round, None, Vec::new()).await
}

pub async fn update_round(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404(id): PathOr404<SurveyId>,
    Form(form): Form<RoundForm>,
) -> Result<Response> {
    let round = load_round(&state, id).await?;
    if round.locked {
        return Ok(locked_refusal(&state, id));
    }
    let settings = match RoundSettings::try_from(&form) {
        Ok(s) => s,
        Err(errors) => {
            let errors = errors.messages();
            let page = round_page(&state, &user, ctx, round, Some(form), errors).await?;
            return Ok(invalid(page));
        }
    };
    let actor = user.actor(&address);
    let now = state.clock.now();
    match rounds::update(&state.db, &actor, &round, &settings, now).await {
        Ok(Ok(())) => {}
        Ok(Err(rounds::Locked)) => return Ok(locked_refusal(&state, id)),
        Err(Error::Refused(message)) => {
            let errors = vec![message.into_owned()];
            let page = round_page(&state, &user, ctx, round, Some(form), errors).await?;
            return Ok(invalid(page));
        }
        Err(Error::Database(e)) => return Err(e.into()),
    }
    Ok(flash::ok(
        &state.settings,
        &format!("/surveys/{id}"),
        "轮次设置已保存。",
    ))
}

pub async fn lock_round(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<SurveyId>,
) -> Result<Response> {
    let round = load_round(&state, id).await?;
    let done = rounds::lock(
        &state.db,
        &user.actor(&address),
        round.survey_id,
        &state.clock,
    )
    .await;
    flash::outcome(
        &state.settings,
        &format!("/surveys/{id}"),
        done,
        "本轮摸排已结束并锁定，数据不再变动。",
    )
}

pub async fn discard_round(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<SurveyId>,
) -> Result<Response> {
    let round = load_round(&state, id).await?;
    let now = state.clock.now();
    match rounds::discard(&state.db, &user.actor(&address), &round, now).await {
        Ok(()) => Ok(flash::ok(
            &state.settings,
            "/surveys",
            &format!("已删除误开的摸排轮次“{}”。", round.title),
        )),
        Err(Error::Refused(message)) => Ok(flash::error(
            &state.settings,
            &format!("/surveys/{id}"),
            &message,
        )),
        Err(Error::Database(e)) => Err(e.into()),
    }
}

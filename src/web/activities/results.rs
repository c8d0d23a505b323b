//! A contest's results (比赛结果): the ranked entries with their scores and awards for every
//! reader of the activity, with the forms that record them for its writers; the printable
//! awards list (《…》获奖名单, A4, print CSS) and the results as a workbook.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;

use crate::auth::CurrentUser;
use crate::auth::extract::{Business, Reporter, Require};
use crate::db::{self, activity::ActivityRow};
use crate::domain::activity::Kind;
use crate::domain::contest::{Award, Method};
use crate::domain::ids::ActivityId;
use crate::error::{AppError, Result};
use crate::export::contest::{AwardLines, RankLine};
use crate::services::contests::{AwardGroup, Results, results};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::layout::PageContext;
use crate::web::respond::{XLSX, download};

/// The contest if the user may read it: 404 when they cannot, or when it is not a contest.
async fn open_contest(state: &AppState, user: &CurrentUser, id: ActivityId) -> Result<ActivityRow> {
    db::activity::get(&state.db, id, &user.scope)
        .await?
        .filter(|a| a.kind == Kind::Contest)
        .ok_or(AppError::NotFound)
}

#[derive(Template, WebTemplate)]
#[template(path = "activities/results.html")]
pub struct ResultsPage {
    ctx: PageContext,
    activity: ActivityRow,
    when: String,
    results: Results,
    can_edit: bool,
    methods: [Method; 3],
    awards: [Award; 4],
}

pub async fn show_results(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    PathOr404(id): PathOr404<ActivityId>,
) -> Result<ResultsPage> {
    let activity = open_contest(&state, &user, id).await?;
    let can_edit = db::activity::get_for_write(&state.db, id, &user.scope_for::<Reporter>())
        .await?
        .is_some();
    Ok(ResultsPage {
        when: super::list::span_text(&state, activity.starts_at, activity.ends_at),
        results: results(&state.db, id).await?,
        activity,
        can_edit,
        methods: Method::ALL,
        awards: Award::FOR_ENTRY,
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "activities/results_print.html")]
pub struct AwardsListPage {
    ctx: PageContext,
    activity: ActivityRow,
    groups: Vec<AwardGroup>,
    /// The day of the contest, as the list is signed (2018年6月28日).
    day: String,
}

pub async fn print_results(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    PathOr404(id): PathOr404<ActivityId>,
) -> Result<AwardsListPage> {
    let activity = open_contest(&state, &user, id).await?;
    let groups = results(&state.db, id).await?.by_award();
    let day = state
        .clock
        .local(activity.ends_at)
        .format("%Y年%-m月%-d日")
        .to_string();
    Ok(AwardsListPage {
        activity,
        groups,
        day,
        ctx,
    })
}

pub async fn export_results(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    PathOr404(id): PathOr404<ActivityId>,
) -> Result<Response> {
    let activity = open_contest(&state, &user, id).await?;
    let results = results(&state.db, id).await?;
    let groups = results.by_award();
    let awards: Vec<AwardLines> = groups
        .iter()
        .map(|g| AwardLines {
            award: g.award.label(),
            winners: g
                .winners
                .iter()
                .map(|(w, t)| (w.as_str(), t.as_str()))
                .collect(),
        })
        .collect();
    let texts: Vec<[String; 5]> = results
        .lines
        .iter()
        .map(|l| {
            [
                l.place_text(),
                l.entry.entrant(),
                l.scores_text(),
                l.result_text(),
                l.award_label().to_string(),
            ]
        })
        .collect();
    let ranking: Vec<RankLine> = results
        .lines
        .iter()
        .zip(&texts)
        .map(|(l, [place, entrant, scores, result, award])| RankLine {
            place,
            entrant,
            title: &l.entry.title,
            scores,
            result,
            award,
        })
        .collect();
    let bytes = crate::export::contest::workbook(&activity.title, &awards, &ranking)
        .map_err(|e| anyhow::anyhow!("writing the contest results: {e}"))?;
    Ok(download(
        &format!("{}-获奖名单.xlsx", activity.title),
        "contest-results.xlsx",
        XLSX,
        bytes,
    ))
}

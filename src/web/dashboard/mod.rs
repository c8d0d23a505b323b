//! The dashboard, home of committee staff and leaders: the figures of a survey round,
//! computed from its entries in one query, with the member ratio, organisation coverage
//! and the days left before the formation deadline.

mod activities;
mod charts;

use crate::web::only;
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use serde::Deserialize;

use crate::auth::extract::{Require, Staff};
use crate::db;
use crate::db::survey::SurveyRow;
use crate::domain::ids::SurveyId;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::layout::PageContext;
use chrono::Datelike;

#[derive(Deserialize)]
pub struct RoundQuery {
    /// Kept as text so that a mangled value reads as "no such round", not a 400.
    survey: Option<String>,
}

impl RoundQuery {
    fn id(&self) -> Result<Option<SurveyId>> {
        crate::web::query::optional_id(self.survey.as_deref())
    }
}

pub struct Figure {
    pub label: &'static str,
    pub value: String,
    pub key: &'static str,
    /// The list behind the figure: it counts the list's rows, or adds up one column.
    pub link: Option<String>,
    /// The heading of the list's column the figure adds up, for a sum of people.
    pub adds: Option<&'static str>,
    /// For a percentage: the figure it takes the share of, and of what, when not of the
    /// rows of its own list.
    pub part: Option<&'static str>,
    pub whole: Option<&'static str>,
}

impl Figure {
    fn new(key: &'static str, label: &'static str, value: String, link: Option<String>) -> Figure {
        let adds = match key {
            "members" => Some("团员"),
            "youth" => Some("青年"),
            "activity_participants" => Some("人数"),
            "activity_units" => Some("单位"),
            "volunteer_hours" => Some("服务时长（小时）"),
            _ => None,
        };
        Figure {
            label,
            value,
            key,
            link,
            adds,
            part: None,
            whole: None,
        }
    }

    fn share(self, part: &'static str, whole: Option<&'static str>) -> Figure {
        Figure {
            part: Some(part),
            whole,
            ..self
        }
    }
}

/// The units-list filters behind each figure of the summary.
pub fn drill_down(key: &str) -> Option<&'static str> {
    Some(match key {
        "enterprises_operating" => "kind=enterprise&status=运行",
        "enterprises_total" => "kind=enterprise",
        "departments" => "kind=department",
        "communities" => "kind=community",
        "members" => "has_members=true",
        "youth" => "",
        "enterprises_with_members" => "kind=enterprise&has_members=true",
        "enterprises_with_organization" => "kind=enterprise&has_organization=true",
        "departments_communities_approved" => "kind=department_community&has_organization=true",
        "departments_communities_pending" => {
            "kind=department_community&has_organization=false&pending=true"
        }
        "eligible_without_organization" => "eligible_missing=true",
        _ => return None,
    })
}

/// The units of the round (those it has an entry for, which its figures count) that
/// pass `filters`.
pub fn units_link(filters: &str, survey: SurveyId) -> String {
    if filters.is_empty() {
        format!("/units?in_round=true&survey={survey}")
    } else {
        format!("/units?{filters}&in_round=true&survey={survey}")
    }
}

/// How far an open round has come: units reported so far of those listed in it. The
/// others' figures are carried over from the round before.
pub struct Progress {
    pub reported: i64,
    pub entries: i64,
}

impl Progress {
    pub fn carried(&self) -> i64 {
        self.entries - self.reported
    }
}

pub struct Deadline {
    pub date: String,
    /// Negative once the deadline has passed.
    pub days_left: i64,
}

impl Deadline {
    pub fn days_late(&self) -> i64 {
        -self.days_left
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard/index.html")]
pub struct DashboardPage {
    ctx: PageContext,
    rounds: Vec<SurveyRow>,
    current: Option<SurveyRow>,
    figures: Vec<Figure>,
    ratios: Vec<Figure>,
    deadline: Option<Deadline>,
    /// Only for an open round.
    progress: Option<Progress>,
    /// Some units of the open round have not reported: its figures hold theirs from the
    /// round before.
    carried: bool,
    /// The year of the activity figures: the selected round's, else this year.
    activity_year: i32,
    activity_figures: Vec<Figure>,
    team_figures: Vec<Figure>,
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{v:.1}%"))
}

pub async fn show_dashboard(
    State(state): State<AppState>,
    Require(user, ..): Require<Staff>,
    ctx: PageContext,
    Query(query): Query<RoundQuery>,
) -> Result<DashboardPage> {
    let requested = query.id()?;
    let rounds = db::survey::list(&state.db).await?;
    let current = db::survey::get_or_latest(&state.db, requested).await?;
    if requested.is_some() && current.is_none() {
        return Err(AppError::NotFound);
    }
    let (figures, mut ratios, deadline) = match &current {
        Some(round) => {
            let summary = db::survey::summary(&state.db, round.survey_id).await?;
            let (reported, counted) = db::member::totals(&state.db, round.survey_id).await?;
            let id = round.survey_id;
            let figures = summary
                .figures()
                .into_iter()
                .map(|(key, label, value)| {
                    let link = drill_down(key).map(|f| units_link(f, id));
                    Figure::new(key, label, value.to_string(), link)
                })
                .collect();
            let ratios = vec![
                Figure::new(
                    "campaign_formed",
                    "建团进度：已建团的单位（3名以上团员）",
                    summary.eligible_with_organization.to_string(),
                    Some(units_link("eligible=true&has_organization=true", id)),
                ),
                Figure::new(
                    "campaign_pending",
                    "建团进度：已申请待批复",
                    summary.eligible_pending.to_string(),
                    Some(units_link("eligible_missing=true&pending=true", id)),
                ),
                Figure::new(
                    "campaign_not_applied",
                    "建团进度：尚未申请（督促名单）",
                    (summary.eligible_without_organization - summary.eligible_pending).to_string(),
                    // Not the reminder list: that is today's units, without those
                    // closed since the round counted them.
                    Some(units_link("eligible_missing=true&pending=false", id)),
                ),
                Figure::new(
                    "roster_vs_survey",
                    if counted == reported {
                        "名册团员（与摸排一致）"
                    } else {
                        "名册团员（与摸排不一致，点击查看）"
                    },
                    format!("{counted}／{reported}"),
                    Some(format!("/members/compare?survey={id}")),
                ),
                Figure::new(
                    "member_ratio",
                    "团青比（团员数÷青年数）",
                    percent(summary.member_ratio()),
                    None,
                )
                .share("members", Some("youth")),
                Figure::new(
                    "coverage",
                    "建团覆盖率（3名以上团员的单位中已建团的比例）",
                    percent(summary.coverage()),
                    Some(units_link("eligible=true", id)),
                )
                .share("campaign_formed", None),
            ];
            let today = state.clock.today();
            let deadline = round.formation_deadline.map(|d| Deadline {
                date: d.format("%Y年%-m月%-d日").to_string(),
                days_left: (d - today).num_days(),
            });
            (figures, ratios, deadline)
        }
        None => (Vec::new(), Vec::new(), None),
    };
    let progress = match &current {
        Some(round) if !round.locked => {
            let (entries, reported) = db::survey::progress(&state.db, round.survey_id).await?;
            Some(Progress { reported, entries })
        }
        _ => None,
    };
    if let (Some(round), Some(p)) = (&current, &progress) {
        // The units still to report, listed on the round's page.
        ratios.push(Figure::new(
            "not_reported",
            "尚未填报本轮的单位",
            p.carried().to_string(),
            Some(format!("/surveys/{}", round.survey_id)),
        ));
    }
    let activity_year = current
        .as_ref()
        .map_or_else(|| state.clock.today().year(), |r| r.as_of.year());
    Ok(DashboardPage {
        activity_figures: activities::figures(&state, &user.scope, activity_year).await?,
        team_figures: activities::team_figures(&state, &user.scope).await?,
        activity_year,
        ctx,
        rounds,
        current,
        figures,
        ratios,
        deadline,
        carried: progress.as_ref().is_some_and(|p| p.carried() > 0),
        progress,
    })
}

/// The leaders' dashboard and its chart data, for the staff.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard", only::<Staff>(get(show_dashboard)))
        .route("/dashboard/charts", only::<Staff>(get(charts::chart_data)))
}

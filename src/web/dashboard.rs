//! The dashboard, home of committee staff and leaders: the figures of a survey round,
//! computed from its entries in one query, with the member ratio, organisation coverage
//! and the days left before the formation deadline.

use crate::web::only;
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
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
    /// The units list behind the figure.
    pub link: Option<String>,
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

pub fn units_link(filters: &str, survey: SurveyId) -> String {
    if filters.is_empty() {
        format!("/units?survey={survey}")
    } else {
        format!("/units?{filters}&survey={survey}")
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
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{v:.1}%"))
}

pub async fn show_dashboard(
    State(state): State<AppState>,
    _user: Require<Staff>,
    ctx: PageContext,
    Query(query): Query<RoundQuery>,
) -> Result<DashboardPage> {
    let requested = query.id()?;
    let rounds = db::survey::list(&state.db).await?;
    let current = db::survey::get_or_latest(&state.db, requested).await?;
    if requested.is_some() && current.is_none() {
        return Err(AppError::NotFound);
    }
    let (figures, ratios, deadline) = match &current {
        Some(round) => {
            let summary = db::survey::summary(&state.db, round.survey_id).await?;
            let (reported, counted) = db::member::totals(&state.db, round.survey_id).await?;
            let figures = summary
                .figures()
                .into_iter()
                .map(|(key, label, value)| Figure {
                    label,
                    value: value.to_string(),
                    key,
                    link: drill_down(key).map(|f| units_link(f, round.survey_id)),
                })
                .collect();
            let ratios = vec![
                Figure {
                    label: "建团进度：已建团的单位（3名以上团员）",
                    value: summary.eligible_with_organization.to_string(),
                    key: "campaign_formed",
                    link: Some(units_link(
                        "has_members=true&has_organization=true",
                        round.survey_id,
                    )),
                },
                Figure {
                    label: "建团进度：已申请待批复",
                    value: summary.eligible_pending.to_string(),
                    key: "campaign_pending",
                    link: Some("/applications".to_string()),
                },
                Figure {
                    label: "建团进度：尚未申请（督促名单）",
                    value: (summary.eligible_without_organization - summary.eligible_pending)
                        .to_string(),
                    key: "campaign_not_applied",
                    link: Some("/reminders".to_string()),
                },
                Figure {
                    label: if counted == reported {
                        "名册团员（与摸排一致）"
                    } else {
                        "名册团员（与摸排不一致，点击查看）"
                    },
                    value: format!("{counted}／{reported}"),
                    key: "roster_vs_survey",
                    link: Some("/members/compare".to_string()),
                },
                Figure {
                    label: "团青比（团员数÷青年数）",
                    value: percent(summary.member_ratio()),
                    key: "member_ratio",
                    link: None,
                },
                Figure {
                    label: "建团覆盖率（3名以上团员的单位中已建团的比例）",
                    value: percent(summary.coverage()),
                    key: "coverage",
                    link: Some(units_link("has_members=true", round.survey_id)),
                },
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
    Ok(DashboardPage {
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

/// `GET /dashboard/charts[?survey=ID]`: the data behind the dashboard's charts, each bar
/// with the link to the units list behind it.
pub async fn chart_data(
    State(state): State<AppState>,
    _user: Require<Staff>,
    Query(query): Query<RoundQuery>,
) -> Result<Json<serde_json::Value>> {
    use serde_json::json;
    let round = db::survey::get_or_latest(&state.db, query.id()?)
        .await?
        .ok_or(AppError::NotFound)?;
    let id = round.survey_id;
    let kinds = db::survey::totals_by_kind(&state.db, id).await?;
    let summary = db::survey::summary(&state.db, id).await?;
    let top = db::survey::most_youth_without_organization(&state.db, id, 10).await?;
    let previous = db::survey::previous(&state.db, id).await?;
    let previous_kinds = match &previous {
        Some(p) => db::survey::totals_by_kind(&state.db, p.survey_id).await?,
        None => Vec::new(),
    };
    let by_kind: Vec<_> = kinds
        .iter()
        .map(|k| {
            json!({
                "label": k.kind.label(),
                "youth": k.youth,
                "members": k.members,
                "link": units_link(&format!("kind={}", k.kind), id),
            })
        })
        .collect();
    let change: Vec<_> = kinds
        .iter()
        .map(|k| {
            let before = previous_kinds.iter().find(|p| p.kind == k.kind);
            json!({
                "label": k.kind.label(),
                "members": k.members,
                "members_before": before.map(|p| p.members),
                "youth": k.youth,
                "youth_before": before.map(|p| p.youth),
                "link": units_link(&format!("kind={}", k.kind), id),
            })
        })
        .collect();
    Ok(Json(json!({
        "as_of": round.as_of,
        "previous_as_of": previous.map(|p| p.as_of),
        "by_kind": by_kind,
        "coverage": [
            { "label": "已建团", "value": summary.eligible_with_organization,
              "link": units_link("has_members=true&has_organization=true", id) },
            { "label": "具备条件未建团", "value": summary.eligible_without_organization,
              "link": units_link("eligible_missing=true", id) },
        ],
        "top_without_organization": top.iter().map(|u| json!({
            "label": u.name, "youth": u.youth, "members": u.members,
            "link": format!("/units/{}", u.unit_id),
        })).collect::<Vec<_>>(),
        "change": change,
    })))
}

/// The leaders' dashboard and its chart data, for the staff.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard", only::<Staff>(get(show_dashboard)))
        .route("/dashboard/charts", only::<Staff>(get(chart_data)))
}

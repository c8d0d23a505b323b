//! The dashboard's activity and volunteer figures for a year, each drilling down to the
//! activity list it counts.

use super::Figure;
use crate::db;
use crate::domain::volunteer_team::Domain;
use crate::error::Result;
use crate::state::AppState;

/// The activity and volunteer figures of `year` in `scope`, each drilling down to the
/// activity list of that year (of a kind, or a column of it added up).
pub async fn figures(
    state: &AppState,
    scope: &crate::domain::role::Scope,
    year: i32,
) -> Result<Vec<Figure>> {
    let first = |y: i32| chrono::NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default();
    let (from, to) = (
        state.clock.start_of(first(year)),
        state.clock.start_of(first(year + 1)),
    );
    let filter = crate::db::activity::Filter {
        from: Some(from),
        to: Some(to),
        ..Default::default()
    };
    let t = match scope {
        crate::domain::role::Scope::Zone => db::activity_total::year(&state.db, year).await?,
        _ => db::activity::totals(&state.db, scope, &filter).await?,
    };
    let list = |kind: &str| Some(format!("/activities?year={year}{kind}"));
    Ok(vec![
        Figure::new(
            "activities",
            "活动（项）",
            t.activities.to_string(),
            list(""),
        ),
        Figure::new(
            "volunteer_activities",
            "志愿服务活动（项）",
            t.volunteer.to_string(),
            list("&kind=volunteer"),
        ),
        Figure::new(
            "contests",
            "竞赛/评比（项）",
            t.contests.to_string(),
            list("&kind=contest"),
        ),
        Figure::new(
            "activity_participants",
            "参与人次",
            t.participants.to_string(),
            list(""),
        ),
        Figure::new(
            "activity_units",
            "参与单位（家次）",
            t.units.to_string(),
            list(""),
        ),
        Figure::new(
            "volunteer_hours",
            "志愿服务时长（小时）",
            crate::domain::participation::hours_text(t.hours_tenths),
            list(""),
        ),
        Figure::new(
            "active_volunteers",
            "获得服务时长的志愿者（人）",
            db::participation::volunteers(&state.db, scope, (year, from, to))
                .await?
                .to_string(),
            Some(format!("/volunteers?year={year}")),
        ),
    ])
}

/// The figure's key and label for the teams of a domain.
fn team_figure(domain: Domain) -> (&'static str, &'static str) {
    match domain {
        Domain::Stability => ("teams_stability", "服务队：维护社会稳定（支）"),
        Domain::Safety => ("teams_safety", "服务队：安全生产（支）"),
        Domain::Environment => ("teams_environment", "服务队：环境保护（支）"),
        Domain::Poverty => ("teams_poverty", "服务队：扶贫帮困（支）"),
        Domain::Community => ("teams_community", "服务队：社区服务（支）"),
        Domain::Innovation => ("teams_innovation", "服务队：创新技术（支）"),
        Domain::Afforestation => ("teams_afforestation", "服务队：植树造林（支）"),
        Domain::Other => ("teams_other", "服务队：其他（支）"),
    }
}

/// The volunteer teams in `scope`: all of them, then each domain that has any, in the
/// seed's order, each drilling down to the team list.
pub async fn team_figures(
    state: &AppState,
    scope: &crate::domain::role::Scope,
) -> Result<Vec<Figure>> {
    let counts = db::volunteer_team::by_domain(&state.db, scope).await?;
    let all: i64 = counts.iter().map(|(_, n)| n).sum();
    let mut figures = vec![Figure::new(
        "volunteer_teams",
        "志愿服务队（支）",
        all.to_string(),
        Some("/teams".into()),
    )];
    for domain in Domain::ALL {
        if let Some((_, n)) = counts.iter().find(|(d, _)| *d == domain) {
            let (key, label) = team_figure(domain);
            figures.push(Figure::new(
                key,
                label,
                n.to_string(),
                Some(format!("/teams?domain={}", domain.code())),
            ));
        }
    }
    Ok(figures)
}

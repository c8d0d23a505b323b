//! The activity list with its filters (kind, month, organiser, unit, series), one keyset
//! page at a time; the month calendar is in `calendar`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::Deserialize;

use crate::auth::extract::{Business, Reporter, Require};
use crate::db::{self, activity::ActivityRow, activity::Filter};
use crate::domain::activity::Kind;
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::{ActivityId, OrganizationId, UnitId, VolunteerTeamId};
use crate::error::Result;
use crate::export::activities::ActivityLine;
use crate::state::AppState;
use crate::web::layout::PageContext;
use crate::web::paging::Pager;
use crate::web::respond::{XLSX, download};

/// Activities per page of the list.
pub const PAGE: i64 = 50;

/// The list counts its matches up to this many; beyond, it says "1000+".
pub const COUNT_CAP: i64 = 1_000;

/// The list's filters as the query gives them; anything unreadable is no filter.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub kind: String,
    /// `YYYY-MM`.
    #[serde(default)]
    pub month: String,
    /// A year, when no month narrows it further.
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub organizer: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub series: String,
    /// A volunteer team's id.
    #[serde(default)]
    pub team: String,
    pub after: Option<String>,
}

/// The first day of a year typed `YYYY`.
pub fn parse_year(text: &str) -> Option<NaiveDate> {
    let year: i32 = text.trim().parse().ok()?;
    crate::domain::activity::YEARS
        .contains(&year)
        .then(|| NaiveDate::from_ymd_opt(year, 1, 1))
        .flatten()
}

/// The first day of a `YYYY-MM` month.
pub fn parse_month(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d")
        .ok()
        .filter(|d| crate::domain::activity::YEARS.contains(&d.year()))
}

impl ListQuery {
    fn filter(&self, state: &AppState) -> Filter {
        let (from, to) = match (parse_month(&self.month), parse_year(&self.year)) {
            (Some(month), _) => (Some(month), month.checked_add_months(Months::new(1))),
            (None, Some(year)) => (Some(year), year.checked_add_months(Months::new(12))),
            (None, None) => (None, None),
        };
        Filter {
            kind: Kind::from_code(self.kind.trim()),
            from: from.map(|d| state.clock.start_of(d)),
            to: to.map(|d| state.clock.start_of(d)),
            organizer: self.organizer.trim().parse().ok().map(OrganizationId),
            unit: self.unit.trim().parse().ok().map(UnitId),
            series: Some(self.series.trim().to_string()).filter(|s| !s.is_empty()),
            team: self.team.trim().parse().ok().map(VolunteerTeamId),
        }
    }

    /// The filters as a query string, for the pager and the export.
    fn encoded(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("kind", self.kind.trim()),
            ("month", self.month.trim()),
            ("year", self.year.trim()),
            ("organizer", self.organizer.trim()),
            ("unit", self.unit.trim()),
            ("series", self.series.trim()),
            ("team", self.team.trim()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// One line of the list, with its times in the zone's local time.
pub struct Line {
    pub row: ActivityRow,
    pub when: String,
    /// Confirmed volunteer hours, as written.
    pub hours: String,
}

/// `6月9日 09:00–18:30`, or across days `6月9日 09:00 – 6月10日 12:00`, with the year when
/// it is not `this_year`.
pub fn span_text(state: &AppState, starts: DateTime<Utc>, ends: DateTime<Utc>) -> String {
    let (s, e) = (state.clock.local(starts), state.clock.local(ends));
    let this_year = state.clock.today().year();
    let day = |d: &chrono::DateTime<chrono_tz::Tz>| {
        if d.year() == this_year {
            format!("{}月{}日", d.month(), d.day())
        } else {
            format!("{}年{}月{}日", d.year(), d.month(), d.day())
        }
    };
    if s.date_naive() == e.date_naive() {
        format!("{} {}–{}", day(&s), s.format("%H:%M"), e.format("%H:%M"))
    } else {
        format!(
            "{} {} – {} {}",
            day(&s),
            s.format("%H:%M"),
            day(&e),
            e.format("%H:%M")
        )
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "activities/index.html")]
pub struct ListPage {
    ctx: PageContext,
    lines: Vec<Line>,
    count: String,
    query: ListQuery,
    kinds: [Kind; 6],
    series: Vec<String>,
    /// The organiser or unit the list is narrowed to, named.
    narrowed: Vec<String>,
    can_record: bool,
    pager: Pager,
    /// The filters as a query string, for the export link.
    encoded: String,
}

/// A cursor as the list writes it; a broken one is the first page.
fn cursor(after: Option<&str>) -> Option<(DateTime<Utc>, ActivityId)> {
    let (at, id) = crate::web::pair_cursor::<ActivityId>(after)?;
    Some((
        DateTime::parse_from_rfc3339(&at).ok()?.with_timezone(&Utc),
        id,
    ))
}

pub async fn list_activities(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    Query(query): Query<ListQuery>,
) -> Result<ListPage> {
    let filter = query.filter(&state);
    let after = cursor(query.after.as_deref());
    let mut rows = db::activity::list(&state.db, &user.scope, &filter, after, PAGE + 1).await?;
    let next = crate::web::next_page(&mut rows, PAGE, |a| {
        crate::web::encode_pair(&a.starts_at.to_rfc3339(), a.activity_id)
    });
    let count = crate::web::paging::count_text(
        db::activity::count(&state.db, &user.scope, &filter, COUNT_CAP + 1).await?,
        COUNT_CAP,
    );
    let mut narrowed = Vec::new();
    if let Some(org) = filter.organizer
        && let Some(org) = db::organization::get(&state.db, org, &user.scope).await?
    {
        narrowed.push(format!("主办：{}", org.name));
    }
    if let Some(unit) = filter.unit
        && let Some(unit) = db::unit::get(&state.db, unit, &user.scope).await?
    {
        narrowed.push(format!("参与单位：{}", unit.name));
    }
    if let Some(team) = filter.team
        && let Some(team) = db::volunteer_team::get(&state.db, team, &user.scope).await?
    {
        narrowed.push(format!("志愿服务队：{}", team.name));
    }
    let pager = Pager::new("/activities", &query.encoded(), "after", next.as_deref())
        .paged(after.is_some());
    Ok(ListPage {
        lines: rows
            .into_iter()
            .map(|row| Line {
                when: span_text(&state, row.starts_at, row.ends_at),
                hours: crate::domain::participation::hours_text(row.hours_tenths),
                row,
            })
            .collect(),
        count,
        kinds: Kind::ALL,
        series: db::activity::series(&state.db, &user.scope).await?,
        narrowed,
        can_record: user.scope_for::<Reporter>() != crate::domain::role::Scope::Nothing,
        pager,
        encoded: query.encoded(),
        query,
        ctx,
    })
}

/// The most activities one export holds.
const EXPORT_LIMIT: i64 = 20_000;

/// The list with its filters as a workbook (活动登记表), audited.
pub async fn export_activities(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    address: crate::auth::extract::ClientAddr,
    Query(query): Query<ListQuery>,
) -> Result<axum::response::Response> {
    let filter = query.filter(&state);
    let rows = db::activity::list(&state.db, &user.scope, &filter, None, EXPORT_LIMIT).await?;
    let local = |at: DateTime<Utc>| state.clock.local(at).format("%Y-%m-%d %H:%M").to_string();
    let lines: Vec<ActivityLine> = rows
        .iter()
        .map(|a| ActivityLine {
            title: &a.title,
            kind: a.kind.label(),
            starts: local(a.starts_at),
            ends: local(a.ends_at),
            place: &a.place,
            organizer: &a.organizer,
            series: match a.edition {
                Some(n) => format!("{} 第{n}届", a.series),
                None => a.series.clone(),
            },
            units: a.units,
            participants: a.participants,
            hours_tenths: a.hours_tenths,
            state: a.state.label(),
        })
        .collect();
    let bytes = crate::export::activities::list("活动登记表", &lines)
        .map_err(|e| anyhow::anyhow!("writing the activity list: {e}"))?;
    db::audit::record(
        &state.db,
        state.clock.now(),
        &user.actor(&address),
        db::audit::Event::new(AuditAction::ActivityExported, "activity", "list")
            .after(serde_json::json!({ "filter": query.encoded(), "activities": lines.len() })),
    )
    .await?;
    Ok(download("活动登记表.xlsx", "activities.xlsx", XLSX, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_reads_and_anything_else_is_no_filter() {
        assert_eq!(parse_month("2018-06"), NaiveDate::from_ymd_opt(2018, 6, 1));
        assert_eq!(parse_month("2018-13"), None);
        assert_eq!(parse_month("1899-01"), None);
        assert_eq!(parse_month(""), None);
    }

    #[test]
    fn a_cursor_reads_back_and_a_broken_one_is_the_first_page() {
        let at = DateTime::parse_from_rfc3339("2018-06-09T01:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let written = crate::web::encode_pair(&at.to_rfc3339(), ActivityId(7));
        assert_eq!(cursor(Some(&written)), Some((at, ActivityId(7))));
        assert_eq!(cursor(Some("%%%")), None);
    }
}

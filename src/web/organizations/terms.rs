//! 换届提醒: the organisations in scope whose term ends within 90 days or has passed, the
//! longest overdue first, with the days left or overdue, one keyset page at a time.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::auth::extract::{Business, Require};
use crate::db::{self, organization_term::TermRow};
use crate::domain::ids::OrganizationId;
use crate::error::Result;
use crate::state::AppState;
use crate::web::layout::PageContext;
use crate::web::paging::Pager;

/// Organisations per page of the list.
const PAGE: i64 = 50;

/// One line: the organisation and its days to the term end (negative when past).
pub struct TermLine {
    pub org: TermRow,
    pub days: i64,
}

impl TermLine {
    pub fn overdue(&self) -> bool {
        self.days < 0
    }

    /// How many days overdue, for a term already past.
    pub fn days_over(&self) -> i64 {
        -self.days
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "organizations/terms.html")]
pub struct TermsPage {
    ctx: PageContext,
    lines: Vec<TermLine>,
    count: i64,
    overdue: i64,
    today: NaiveDate,
    pager: Pager,
}

#[derive(Debug, Default, Deserialize)]
pub struct TermsQuery {
    after: Option<String>,
}

/// A cursor as the list writes it: the term end and the id; a broken one is the first page.
fn cursor(after: Option<&str>) -> Option<(NaiveDate, OrganizationId)> {
    let (day, id) = crate::web::pair_cursor::<OrganizationId>(after)?;
    Some((day.parse().ok()?, id))
}

pub async fn show_terms(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    Query(query): Query<TermsQuery>,
) -> Result<TermsPage> {
    let today = state.clock.today();
    let after = cursor(query.after.as_deref());
    let mut rows =
        db::organization_term::due(&state.db, &user.scope, today, after, PAGE + 1).await?;
    let next = crate::web::next_page(&mut rows, PAGE, |o| {
        crate::web::encode_pair(&o.term_ends_on.to_string(), o.organization_id)
    });
    let (count, overdue) = db::organization_term::due_count(&state.db, &user.scope, today).await?;
    let pager =
        Pager::new("/organizations/terms", "", "after", next.as_deref()).paged(after.is_some());
    Ok(TermsPage {
        lines: rows
            .into_iter()
            .map(|org| TermLine {
                days: (org.term_ends_on - today).num_days(),
                org,
            })
            .collect(),
        count,
        overdue,
        today,
        pager,
        ctx,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_and_a_broken_one_is_the_first_page() {
        let written = crate::web::encode_pair("2021-03-24", OrganizationId(7));
        assert_eq!(
            cursor(Some(&written)),
            Some((
                NaiveDate::from_ymd_opt(2021, 3, 24).unwrap(),
                OrganizationId(7)
            ))
        );
        let not_a_day = crate::web::encode_pair("soon", OrganizationId(7));
        assert_eq!(cursor(Some(&not_a_day)), None);
        assert_eq!(cursor(Some("%%%")), None);
        assert_eq!(cursor(None), None);
    }
}

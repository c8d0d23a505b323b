//! Cadre assessment (团干部考核): the year's table for the committee (entry links) and the
//! leaders (read only) with its .xlsx export, one cadre's entry form and the year's
//! components and weights for the committee, and each cadre's own results
//! (`/assessments/mine`) for whoever is a cadre: committee staff and secretaries.

mod entry;
mod mine;
mod table;
mod weights;

use axum::Router;
use axum::routing::get;
use chrono::{Datelike, NaiveDate};

use crate::auth::extract::{Committee, Reporter, Staff};
use crate::state::AppState;
use crate::web::only;

/// The first year that may be assessed.
pub const FIRST_YEAR: i32 = 2000;

/// Whether `year` may be assessed on `today`: from 2000 to this year.
fn assessable(year: i32, today: NaiveDate) -> bool {
    (FIRST_YEAR..=today.year()).contains(&year)
}

/// The year a query or form names: `default` when blank, none when it is no assessable year.
fn chosen_year(text: Option<&str>, default: i32, today: NaiveDate) -> Option<i32> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Some(default),
        Some(t) => t.parse().ok().filter(|y| assessable(*y, today)),
    }
}

/// The assessment routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assessments", only::<Staff>(get(table::show_table)))
        .route(
            "/assessments/export",
            only::<Staff>(get(table::export_table)),
        )
        .route("/assessments/mine", only::<Reporter>(get(mine::show_mine)))
        .route(
            "/assessments/weights",
            only::<Committee>(get(weights::show_weights).post(weights::save_weights)),
        )
        .route(
            "/assessments/{year}/{account}",
            only::<Committee>(get(entry::show_entry).post(entry::save_entry)),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_years_from_2000_to_this_one_are_chosen() {
        let today = NaiveDate::from_ymd_opt(2019, 3, 1).unwrap();
        assert_eq!(chosen_year(None, 2018, today), Some(2018));
        assert_eq!(chosen_year(Some(" "), 2018, today), Some(2018));
        assert_eq!(chosen_year(Some("2019"), 2018, today), Some(2019));
        assert_eq!(chosen_year(Some("2020"), 2018, today), None);
        assert_eq!(chosen_year(Some("1999"), 2018, today), None);
        assert_eq!(chosen_year(Some("x"), 2018, today), None);
    }
}

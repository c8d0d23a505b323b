//! When a 青年文明号 is next reviewed (复核): two years after its recognition or last review,
//! flagged from 60 days before that day, by the zone's today.

use chrono::{Months, NaiveDate};

use super::State;

/// A recognised post is reviewed this many months after its recognition or last review.
pub const REVIEW_MONTHS: u32 = 24;
/// A review falling due within this many days is flagged with the overdue ones.
pub const DUE_WINDOW_DAYS: i64 = 60;

/// When a post recognised or reviewed on `on` is next due for review.
pub fn review_due(on: NaiveDate) -> NaiveDate {
    on.checked_add_months(Months::new(REVIEW_MONTHS))
        .unwrap_or(NaiveDate::MAX)
}

/// How a post's review stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Overdue,
    Soon,
}

impl Due {
    pub fn label(self) -> &'static str {
        match self {
            Due::Overdue => "复核已逾期",
            Due::Soon => "即将复核",
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Due::Overdue => "tag-late",
            Due::Soon => "tag-warn",
        }
    }
}

/// Whether a post in `state` whose review falls on `due` is to be flagged on `today`: past
/// it, or within `DUE_WINDOW_DAYS` of it. Only posts that hold the title are reviewed.
pub fn due_flag(state: State, due: Option<NaiveDate>, today: NaiveDate) -> Option<Due> {
    let due = due.filter(|_| state.holds_title())?;
    if due < today {
        Some(Due::Overdue)
    } else if (due - today).num_days() <= DUE_WINDOW_DAYS {
        Some(Due::Soon)
    } else {
        None
    }
}

/// The last day a review due on or before it is flagged on `today`.
pub fn due_horizon(today: NaiveDate) -> NaiveDate {
    today + chrono::Duration::days(DUE_WINDOW_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn reviews_fall_due_two_years_on_and_are_flagged_sixty_days_ahead() {
        assert_eq!(review_due(day(2019, 10, 8)), day(2021, 10, 8));
        assert_eq!(review_due(day(2020, 2, 29)), day(2022, 2, 28));
        let due = Some(day(2021, 10, 8));
        assert_eq!(due_flag(State::Recognized, due, day(2021, 8, 8)), None);
        assert_eq!(
            due_flag(State::Recognized, due, day(2021, 8, 9)),
            Some(Due::Soon)
        );
        assert_eq!(
            due_flag(State::Warned, due, day(2021, 10, 8)),
            Some(Due::Soon)
        );
        assert_eq!(
            due_flag(State::Recognized, due, day(2021, 10, 9)),
            Some(Due::Overdue)
        );
        assert_eq!(due_flag(State::Revoked, due, day(2022, 1, 1)), None);
        assert_eq!(due_horizon(day(2021, 8, 9)), day(2021, 10, 8));
    }
}

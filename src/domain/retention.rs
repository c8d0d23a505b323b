//! How long a member's resident ID and phone are kept after they leave (离团, 超龄离团,
//! transferred out of the zone): PIPL art. 19 keeps personal information no longer than
//! its purpose needs, and art. 47 asks for its deletion once the retention period ends.
//! The league keeps a leaver's numbers for a while (a transfer queried, a certificate
//! asked for, a record corrected), then the hourly pass erases them.

use chrono::{DateTime, Months, Utc};

/// What a member's masked resident ID reads once the numbers are erased (migration 0042).
pub const ERASED_MASK: &str = "已删除";

/// The retention period, in whole years after leaving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    years: u32,
}

impl Retention {
    /// Three years unless configured (`--retention-years`, `TUANJIAN_RETENTION_YEARS`).
    pub const DEFAULT_YEARS: u32 = 3;
    /// The longest period accepted: a longer one would amount to keeping the data for good.
    pub const MAX_YEARS: u32 = 30;

    /// A period of `years` (1 to `MAX_YEARS`), or None.
    pub fn of_years(years: u32) -> Option<Retention> {
        (1..=Self::MAX_YEARS)
            .contains(&years)
            .then_some(Retention { years })
    }

    pub fn years(self) -> u32 {
        self.years
    }

    /// The latest moment of leaving whose numbers are due for erasure at `now`: the same
    /// instant `years` calendar years back (28 February for 29 February in a common year).
    pub fn left_by(self, now: DateTime<Utc>) -> DateTime<Utc> {
        now.checked_sub_months(Months::new(self.years * 12))
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    }
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            years: Self::DEFAULT_YEARS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_period_is_whole_calendar_years_and_bounded() {
        let r = Retention::default();
        assert_eq!(r.years(), 3);
        let now = Utc.with_ymd_and_hms(2029, 12, 1, 8, 30, 0).unwrap();
        assert_eq!(
            r.left_by(now),
            Utc.with_ymd_and_hms(2026, 12, 1, 8, 30, 0).unwrap()
        );
        let leap = Utc.with_ymd_and_hms(2028, 2, 29, 0, 0, 0).unwrap();
        assert_eq!(
            Retention::of_years(1).unwrap().left_by(leap),
            Utc.with_ymd_and_hms(2027, 2, 28, 0, 0, 0).unwrap()
        );
        assert_eq!(Retention::of_years(0), None);
        assert_eq!(Retention::of_years(31), None);
        assert_eq!(Retention::of_years(30).map(Retention::years), Some(30));
    }
}

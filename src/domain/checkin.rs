//! Check-in by phone (issue 16 item 3): when a check-in link answers, how often it may be
//! used, and the hours proposed from a person's check-in and check-out times.

use chrono::{DateTime, Duration, Utc};

use super::participation::{Tenths, span_tenths};

/// How long before an activity starts, and after it ends, its check-in link answers:
/// volunteers gather and sign in before the start (the rally's volunteers met an hour and
/// more early) and sign out after clearing up, but a link passed around days later must
/// not record anything.
pub const MARGIN: Duration = Duration::hours(2);

/// A second form this soon after checking in is the same check-in sent again (a double
/// tap, a reload), answered as such, not a check-out.
pub const REPEAT_WITHIN: Duration = Duration::minutes(5);

/// Check-in forms one client address may send per `RATE_WINDOW`. Loose, because at a venue
/// many phones share one Wi-Fi and so one public address; enough for a person's retries.
pub const PER_ADDRESS_LIMIT: i64 = 30;
/// Check-in forms one link takes per `RATE_WINDOW`, all addresses together: a crowd of a
/// few hundred checks in over minutes, while guessing other people's numbers through the
/// link stays slow.
pub const PER_LINK_LIMIT: i64 = 300;
pub const RATE_WINDOW: Duration = Duration::minutes(1);

/// Where `now` stands against an activity's check-in window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    Early,
    Open,
    Late,
}

/// The window of an activity from `starts` to `ends`: `MARGIN` before to `MARGIN` after,
/// both ends included.
pub fn window(starts: DateTime<Utc>, ends: DateTime<Utc>, now: DateTime<Utc>) -> Window {
    if now < starts - MARGIN {
        Window::Early
    } else if now > ends + MARGIN {
        Window::Late
    } else {
        Window::Open
    }
}

/// The service time proposed for a person who checked in at `checked_in` and out at
/// `checked_out`: the time between, clipped to the activity's span (`starts`..`ends`), in
/// whole tenths of an hour (as `span_tenths` counts); 0 when the two do not overlap.
pub fn proposed_tenths(
    checked_in: DateTime<Utc>,
    checked_out: DateTime<Utc>,
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
) -> Tenths {
    let from = checked_in.max(starts);
    let to = checked_out.min(ends);
    if to <= from { 0 } else { span_tenths(from, to) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        chrono::NaiveDate::from_ymd_opt(2018, 6, 9)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
            .and_utc()
    }

    #[test]
    fn the_window_runs_from_two_hours_before_to_two_hours_after() {
        let (starts, ends) = (at(9, 0), at(12, 0));
        assert_eq!(window(starts, ends, at(6, 59)), Window::Early);
        assert_eq!(window(starts, ends, at(7, 0)), Window::Open);
        assert_eq!(window(starts, ends, at(14, 0)), Window::Open);
        assert_eq!(window(starts, ends, at(14, 1)), Window::Late);
    }

    #[test]
    fn proposed_hours_are_clipped_to_the_span() {
        let (starts, ends) = (at(9, 0), at(12, 0));
        assert_eq!(proposed_tenths(at(8, 0), at(13, 0), starts, ends), 30);
        assert_eq!(proposed_tenths(at(9, 30), at(11, 45), starts, ends), 22);
        assert_eq!(proposed_tenths(at(12, 30), at(13, 0), starts, ends), 0);
        assert_eq!(proposed_tenths(at(7, 0), at(8, 0), starts, ends), 0);
    }
}

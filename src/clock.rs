//! The application's clock and the zone's time zone: real time, shifted in tests to reach
//! lock expiry and session timeouts without waiting, or to a chosen hour.
//!
//! "Today" for every rule (ages, 超龄, deadlines, round windows, default 批复 dates) is the
//! zone's local date, and every time shown to a person is local (DESIGN.md §3). Storage and
//! the JSON API keep UTC instants.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// The time zone when none is configured: Beijing time.
pub const DEFAULT_ZONE: Tz = chrono_tz::Asia::Shanghai;

#[derive(Debug, Clone)]
pub struct Clock {
    offset_millis: Arc<AtomicI64>,
    zone: Tz,
}

impl Default for Clock {
    fn default() -> Self {
        Clock::new(DEFAULT_ZONE)
    }
}

impl Clock {
    /// The real time, shown and dated in `zone`.
    pub fn new(zone: Tz) -> Self {
        Clock {
            offset_millis: Arc::new(AtomicI64::new(0)),
            zone,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.offset_millis.load(Ordering::Relaxed))
    }

    /// The zone's local date now: the "today" of every rule.
    pub fn today(&self) -> NaiveDate {
        self.local(self.now()).date_naive()
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// How a time shown in the zone's local time is labelled: 北京时间 for China's zone,
    /// the zone's name otherwise.
    pub fn zone_label(&self) -> String {
        match self.zone {
            chrono_tz::Asia::Shanghai => "北京时间".to_string(),
            zone => zone.name().to_string(),
        }
    }

    /// An instant in the zone's local time, for showing it.
    pub fn local(&self, at: DateTime<Utc>) -> DateTime<Tz> {
        at.with_timezone(&self.zone)
    }

    /// The instant the local `day` begins (its first existing minute, should a zone skip
    /// midnight), for turning a local date range into instants.
    pub fn start_of(&self, day: NaiveDate) -> DateTime<Utc> {
        self.instant_of(day.and_hms_opt(0, 0, 0).unwrap_or_default())
    }

    /// The instant of a local time as a person typed it (an activity's start); a time the
    /// zone skips (a clock change) is the first existing minute after it.
    pub fn instant_of(&self, local: chrono::NaiveDateTime) -> DateTime<Utc> {
        (0..=24 * 60)
            .find_map(|minute| {
                self.zone
                    .from_local_datetime(&(local + Duration::minutes(minute)))
                    .earliest()
            })
            .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
    }

    /// Moves this clock (and every clone of it) forward.
    pub fn advance(&self, by: Duration) {
        self.offset_millis
            .fetch_add(by.num_milliseconds(), Ordering::Relaxed);
    }

    /// Sets this clock (and every clone of it) to `at`, from where it runs on.
    pub fn set(&self, at: DateTime<Utc>) {
        self.offset_millis
            .store((at - Utc::now()).num_milliseconds(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_local_date() {
        let clock = Clock::default();
        // 01:30 in Beijing on 1 December is 17:30 UTC on 30 November.
        clock.set(Utc.with_ymd_and_hms(2026, 11, 30, 17, 30, 0).unwrap());
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(
            clock.start_of(day),
            Utc.with_ymd_and_hms(2026, 11, 30, 16, 0, 0).unwrap()
        );
    }

    #[test]
    fn beijing_time_is_named_in_chinese_and_other_zones_by_name() {
        assert_eq!(Clock::default().zone_label(), "北京时间");
        assert_eq!(
            Clock::new(chrono_tz::Asia::Urumqi).zone_label(),
            "Asia/Urumqi"
        );
    }

    #[test]
    fn a_day_that_skips_midnight_starts_at_its_first_minute() {
        // Sao Paulo skipped 00:00-01:00 on 4 November 2018 (start of summer time).
        let clock = Clock::new(chrono_tz::America::Sao_Paulo);
        let day = NaiveDate::from_ymd_opt(2018, 11, 4).unwrap();
        assert_eq!(
            clock.local(clock.start_of(day)).format("%H:%M").to_string(),
            "01:00"
        );
    }
}

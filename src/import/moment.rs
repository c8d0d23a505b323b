//! A sign-in or sign-out time as offices type it in a cell: text (`09:00`, `９：３０`,
//! `2018-06-09 18:30`), an Excel time serial (a fraction of a day) or date-time serial; a
//! time without a date falls on the day given.

use calamine::Data;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::cell::{parse_date_text, serial_date, text};

/// A time of day as text: `9:00`, `09:00:00`, `09：00`.
fn time_text(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S"))
        .ok()
}

/// A sign-in or sign-out as a local date-time: a date-time or time cell, an Excel serial
/// (a fraction of a day is a time), or text; `Ok(None)` for an empty cell.
pub(super) fn moment(cell: &Data, day: NaiveDate) -> Result<Option<NaiveDateTime>, &'static str> {
    const WRONG: &str = "不是有效的时间（例如 09:00 或 2018-06-09 09:00）";
    let serial = match cell {
        Data::Empty => return Ok(None),
        Data::DateTime(d) => d.as_f64(),
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        _ => {
            let s = crate::domain::normalize_width(&text(cell)).replace('：', ":");
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            let (date, time) = match s.rsplit_once([' ', 'T']) {
                Some((date, time)) => (parse_date_text(date.trim()).ok_or(WRONG)?, time),
                None => (day, s),
            };
            return time_text(time.trim())
                .map(|t| Some(date.and_time(t)))
                .ok_or(WRONG);
        }
    };
    if !(0.0..2_958_466.0).contains(&serial) {
        return Err(WRONG);
    }
    let days = serial.trunc();
    let seconds = ((serial - days) * 86_400.0).round() as u32;
    let date = if days == 0.0 {
        day
    } else {
        serial_date(days).ok().flatten().ok_or(WRONG)?
    };
    let time =
        NaiveTime::from_num_seconds_from_midnight_opt(seconds.min(86_399), 0).ok_or(WRONG)?;
    Ok(Some(date.and_time(time)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2018, 6, 9).unwrap()
    }

    #[test]
    fn times_are_read_as_text_serials_and_date_times() {
        let at = |h, m| day().and_hms_opt(h, m, 0).unwrap();
        let s = |t: &str| Data::String(t.into());
        assert_eq!(moment(&s("09:00"), day()), Ok(Some(at(9, 0))));
        assert_eq!(moment(&s("９：３０"), day()), Ok(Some(at(9, 30))));
        assert_eq!(moment(&s("2018-06-09 18:30"), day()), Ok(Some(at(18, 30))));
        assert_eq!(moment(&s("2018/6/9 8:05:00"), day()), Ok(Some(at(8, 5))));
        assert_eq!(moment(&Data::Float(0.375), day()), Ok(Some(at(9, 0))));
        // 43260 is 2018-06-09.
        assert_eq!(moment(&Data::Float(43260.75), day()), Ok(Some(at(18, 0))));
        assert_eq!(moment(&Data::Empty, day()), Ok(None));
        assert!(moment(&s("上午"), day()).is_err());
        assert!(moment(&s("25:00"), day()).is_err());
    }
}

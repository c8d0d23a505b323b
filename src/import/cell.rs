//! Cells as offices type them: numbers stored as text, full-width digits, stray spaces,
//! dates as text or as Excel serials. Each reader says what is wrong in Chinese.

use calamine::Data;
use chrono::NaiveDate;

use crate::domain::normalize_width;
pub use crate::domain::text::parse_date_text;
use crate::domain::text::{check_count, parse_count};

/// The cell as text: trimmed, numbers without a trailing ".0".
pub fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
            let s = crate::domain::text::strip_controls(s);
            let s = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
            // The export's guard against formulas: '=..., '+..., '-..., '@...
            match s.strip_prefix('\'') {
                Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
                _ => s.to_string(),
            }
        }
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|dt| dt.date().to_string())
            .unwrap_or_else(|| d.as_f64().to_string()),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Text with full-width letters and digits made half-width and all spaces removed, for
/// codes, numbers and phones.
pub fn compact(cell: &Data) -> String {
    normalize_width(&text(cell))
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect()
}

/// A head count: a whole number, not negative. `Ok(None)` for an empty cell.
pub fn count(cell: &Data) -> Result<Option<i64>, &'static str> {
    let value = match cell {
        Data::Empty => return Ok(None),
        Data::Int(i) => *i,
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e12 => *f as i64,
        Data::Float(_) => return Err("应为整数"),
        Data::String(s) => return parse_count(s),
        _ => return Err("不是数字"),
    };
    check_count(value).map(Some)
}

/// A date as a date cell, an Excel serial number, or text such as 2018-06-01,
/// 2018/6/1, 2018.6.1, 2018年6月1日 or 20180601. `Ok(None)` for an empty cell.
pub fn date(cell: &Data) -> Result<Option<NaiveDate>, &'static str> {
    match cell {
        Data::Empty => Ok(None),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|dt| Some(dt.date()))
            .ok_or("不是有效的日期"),
        Data::Int(i) => serial_date(*i as f64),
        Data::Float(f) => serial_date(*f),
        _ => {
            let s = compact(cell);
            if s.is_empty() {
                return Ok(None);
            }
            parse_date_text(&s)
                .map(Some)
                .ok_or("不是有效的日期（例如 2018-06-01）")
        }
    }
}

/// An Excel serial day number (1900 date system) in a cell not formatted as a date.
fn serial_date(serial: f64) -> Result<Option<NaiveDate>, &'static str> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return Err("不是有效的日期");
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30).expect("a valid date");
    Ok(base.checked_add_days(chrono::Days::new(serial as u64)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_typed_in_every_way_mean_the_same() {
        for cell in [
            Data::Int(12),
            Data::Float(12.0),
            Data::String("12".into()),
            Data::String(" １２ ".into()),
            Data::String("1 2".into()),
            Data::String("12人".into()),
        ] {
            assert_eq!(count(&cell), Ok(Some(12)), "{cell:?}");
        }
        assert_eq!(count(&Data::Empty), Ok(None));
        assert_eq!(count(&Data::String("  ".into())), Ok(None));
        assert_eq!(count(&Data::Int(-4)), Err("不能为负数"));
        assert_eq!(count(&Data::String("-4".into())), Err("不能为负数"));
        assert_eq!(count(&Data::String("十二".into())), Err("不是数字"));
        assert_eq!(count(&Data::Float(2.5)), Err("应为整数"));
    }

    #[test]
    fn dates_in_the_usual_spellings() {
        let day = NaiveDate::from_ymd_opt(2018, 6, 1);
        for s in [
            "2018-06-01",
            "2018/6/1",
            "2018.6.1",
            "2018年6月1日",
            "20180601",
            "统计截止日期：2018年6月1日",
        ] {
            assert_eq!(parse_date_text(s), day, "{s}");
        }
        assert_eq!(date(&Data::Float(43252.0)), Ok(day));
        assert_eq!(parse_date_text("2018-02-30"), None);
        assert!(date(&Data::String("明天".into())).is_err());
    }

    #[test]
    fn numbers_read_as_text_without_a_trailing_zero() {
        assert_eq!(text(&Data::Float(17646661608.0)), "17646661608");
        assert_eq!(
            text(&Data::String("  开发区财政局 ".into())),
            "开发区财政局"
        );
        assert_eq!(
            compact(&Data::String("１３８ 1234 5678".into())),
            "13812345678"
        );
    }
}

//! Cells as offices type them: numbers stored as text, full-width digits, stray spaces,
//! dates as text or as Excel serials. Each reader says what is wrong in Chinese.

use calamine::Data;
use chrono::{Datelike, NaiveDate};

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
            // The export's guard against formulas ('=..., '+..., '-..., '@...), and the
            // apostrophe typed (or pasted from a text file) to keep a number as text
            // ('652301..., with a Chinese input method ‘652301... or ＇652301...).
            match s.strip_prefix(['\'', '\u{ff07}', '\u{2018}', '\u{2019}']) {
                Some(rest)
                    if rest.starts_with(['=', '+', '-', '@'])
                        || rest.starts_with(|c: char| {
                            c.is_ascii_digit() || ('\u{ff10}'..='\u{ff19}').contains(&c)
                        }) =>
                {
                    rest.to_string()
                }
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

/// Rows searched for a header: titles and notes come above it.
pub const HEADER_ROWS: usize = 20;

/// Header text reduced to what names the column: half-width, without spaces, anything in
/// brackets (身份证号码（18位）, 时长（小时）) or a trailing colon or required-mark.
pub fn header_title(cell: &Data) -> String {
    let s = compact(cell);
    let cut = s.find(['（', '(']).unwrap_or(s.len());
    s[..cut].trim_end_matches(['：', ':', '*']).to_string()
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
        Data::Int(i) if year_like(*i as f64) => {
            Err("像是年份或“年.月”，不是完整日期；请写成2018-06-01")
        }
        Data::Int(i) => serial_date(*i as f64),
        Data::Float(f) if year_like(*f) => Err("像是年份或“年.月”，不是完整日期；请写成2018-06-01"),
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

/// A number whose whole part is a year (1900 to 2100): as a serial it would be a day in
/// 1905, which no date in these workbooks is; it is a year, or a year and month typed
/// with a dot (2015.5) in a cell of the General format.
fn year_like(number: f64) -> bool {
    (1900.0..2101.0).contains(&number)
}

/// A year and month (入团年月) as the first day of that month, from a date cell, an Excel
/// serial number (42125 is 2015-05-01), a number 201505, text (`cell::text`, read as
/// `domain::text::parse_date_text` reads it, with or without a day), or a number typed as
/// year.month in a cell of the General format. Such a number is read when it can only be
/// one month (2015.5, 2015.05, 2015.11); 2015.1 is refused, since Excel stores 2015.10
/// (October) as 2015.1 too. `Ok(None)` for an empty cell; the error is the Chinese reason.
pub fn month(cell: &Data) -> Result<Option<NaiveDate>, String> {
    let first_of_month = |d: NaiveDate| d.with_day(1).unwrap_or(d);
    let number = match cell {
        Data::Int(i) => *i as f64,
        Data::Float(f) => *f,
        Data::DateTime(_) => return Ok(date(cell)?.map(first_of_month)),
        _ => {
            let s = text(cell);
            if s.is_empty() {
                return Ok(None);
            }
            return parse_date_text(&format!("{s}-01"))
                .or_else(|| parse_date_text(&s))
                .map(|d| Some(first_of_month(d)))
                .ok_or_else(|| format!("“{s}”不是有效的年月（例如 2015-05）"));
        }
    };
    let not_a_month = || format!("数字{number}不是有效的年月，请写成2015-05或2015年5月");
    if number.fract() == 0.0 && (190_001.0..=210_012.0).contains(&number) {
        let n = number as i32;
        return NaiveDate::from_ymd_opt(n / 100, (n % 100) as u32, 1)
            .map(Some)
            .ok_or_else(not_a_month);
    }
    if number.fract() == 0.0 && year_like(number) {
        return Err(format!("只有年份{number}，请写明月份，例如 {number}-05"));
    }
    if !year_like(number) {
        return serial_date(number)
            .map_err(|_| not_a_month())
            .map(|d| d.map(first_of_month));
    }
    let shown = number.to_string();
    let (year, digits) = shown.split_once('.').ok_or_else(not_a_month)?;
    if digits == "1" {
        return Err(format!(
            "数字{shown}有歧义：可能是{year}年1月，也可能是{year}年10月（Excel会把输入的{year}.10存成{shown}）；请写成{year}-01或{year}-10"
        ));
    }
    let month: u32 = match digits.len() {
        1 | 2 => digits.parse().map_err(|_| not_a_month())?,
        _ => return Err(not_a_month()),
    };
    NaiveDate::from_ymd_opt(year.parse().map_err(|_| not_a_month())?, month, 1)
        .map(Some)
        .ok_or_else(not_a_month)
}

/// An Excel serial day number (1900 date system) in a cell not formatted as a date.
pub(super) fn serial_date(serial: f64) -> Result<Option<NaiveDate>, &'static str> {
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
    fn months_typed_as_numbers_are_read_only_when_they_can_be_one_month() {
        let may = NaiveDate::from_ymd_opt(2015, 5, 1);
        for cell in [
            Data::Float(42125.0),
            Data::Int(42125),
            Data::Float(2015.5),
            Data::Float(2015.05),
            Data::Int(201505),
            Data::String("2015.5".into()),
            Data::String("2015年5月".into()),
            Data::String("2015-05-20".into()),
        ] {
            assert_eq!(month(&cell), Ok(may), "{cell:?}");
        }
        assert_eq!(
            month(&Data::Float(2015.11)),
            Ok(NaiveDate::from_ymd_opt(2015, 11, 1))
        );
        let ambiguous = month(&Data::Float(2015.1)).unwrap_err();
        assert!(
            ambiguous.contains("歧义") && ambiguous.contains("2015年10月"),
            "{ambiguous}"
        );
        assert!(month(&Data::Float(2015.13)).is_err());
        assert!(month(&Data::Int(2015)).unwrap_err().contains("只有年份"));
        assert_eq!(month(&Data::Empty), Ok(None));
    }

    #[test]
    fn a_year_and_month_is_not_read_as_a_day_in_1905() {
        assert!(date(&Data::Float(2018.6)).is_err());
        assert!(date(&Data::Int(2018)).is_err());
        assert_eq!(
            date(&Data::Int(42125)),
            Ok(NaiveDate::from_ymd_opt(2015, 5, 1))
        );
    }

    #[test]
    fn a_typed_apostrophe_before_a_number_goes() {
        for typed in [
            "'652301200003150012",
            "＇652301200003150012",
            "‘652301200003150012",
        ] {
            assert_eq!(
                text(&Data::String(typed.into())),
                "652301200003150012",
                "{typed}"
            );
        }
        assert_eq!(text(&Data::String("'=SUM(A1)".into())), "=SUM(A1)");
        assert_eq!(text(&Data::String("'甲".into())), "'甲");
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

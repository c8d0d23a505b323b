//! Numbers and dates as people type them, in a form field or a workbook cell: full-width
//! digits, stray spaces, thousands separators, 人 after a head count, and the usual date
//! spellings. The workbook readers and the web forms share these, so that a figure means
//! the same wherever it was typed.

use std::borrow::Cow;

use chrono::NaiveDate;

use super::normalize_width;

/// A character no typed text should hold: C0 controls but tab, line feed and carriage
/// return, DEL, C1 controls, and U+FFFE/U+FFFF. PostgreSQL refuses a NUL in text, and XML
/// 1.0 (so a .docx) allows none of the C0 ones.
pub fn is_stray_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// The text without stray control characters (`is_stray_control`); borrowed when it has
/// none, as nearly all text has.
pub fn strip_controls(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_stray_control) {
        Cow::Owned(text.chars().filter(|c| !is_stray_control(*c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// A head count typed as text: a whole number, not negative, at most ten million.
/// `Ok(None)` for blank text. Errors are the Chinese reason, for a form or a fault list.
pub fn parse_count(text: &str) -> Result<Option<i64>, &'static str> {
    let s: String = normalize_width(text)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != ',')
        .collect();
    if s.is_empty() {
        return Ok(None);
    }
    let s = s.strip_suffix('人').unwrap_or(&s);
    match s.parse::<i64>() {
        Ok(n) => check_count(n).map(Some),
        Err(_) if s.parse::<f64>().is_ok() => Err("应为整数"),
        Err(_) => Err("不是数字"),
    }
}

/// The bounds of a head count: not negative, at most ten million.
pub fn check_count(value: i64) -> Result<i64, &'static str> {
    if value < 0 {
        Err("不能为负数")
    } else if value > 10_000_000 {
        Err("数值过大")
    } else {
        Ok(value)
    }
}

/// The first date written in `s` as year, month and day.
pub fn parse_date_text(s: &str) -> Option<NaiveDate> {
    let s = normalize_width(s);
    let mut numbers: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            current.push(c);
        } else if !current.is_empty() {
            numbers.push(std::mem::take(&mut current));
            if numbers.len() == 3 {
                break;
            }
        }
    }
    if !current.is_empty() && numbers.len() < 3 {
        numbers.push(current);
    }
    match numbers.as_slice() {
        [compact] if compact.len() == 8 => NaiveDate::parse_from_str(compact, "%Y%m%d").ok(),
        [y, m, d, ..] if y.len() == 4 => {
            NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_typed_as_text() {
        for text in ["12", " １２ ", "1 2", "12人", "1,2"] {
            assert_eq!(parse_count(text), Ok(Some(12)), "{text}");
        }
        assert_eq!(parse_count("  "), Ok(None));
        assert_eq!(parse_count("-4"), Err("不能为负数"));
        assert_eq!(parse_count("2.5"), Err("应为整数"));
        assert_eq!(parse_count("十二"), Err("不是数字"));
        assert_eq!(parse_count("10000001"), Err("数值过大"));
    }

    #[test]
    fn stray_controls_go_and_line_breaks_stay() {
        assert_eq!(super::strip_controls("a\0b\u{b}c\u{7f}d\u{85}"), "abcd");
        assert_eq!(
            super::strip_controls("第一行\r\n第二行\t"),
            "第一行\r\n第二行\t"
        );
        assert!(matches!(
            super::strip_controls("王小明"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}

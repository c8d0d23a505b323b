//! The generated work summary and plan (工作总结及工作计划, issue 17 item 4): its shape —
//! sections of numbered items whose text is words and computed figures — the period it
//! covers, and the way the seed writes numbers and dates. It knows neither the database
//! nor the web: `work_summary::compose` turns facts gathered elsewhere into a report, and
//! `text` writes it out plainly.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::ids::{ActivityId, SurveyId};

pub mod docx;
pub mod text;
pub mod work_summary;

#[cfg(test)]
mod composition;

/// A report's period: a calendar year or one of its halves, written `2018`, `2018H1`,
/// `2018H2` in addresses and on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub year: i32,
    /// 1 or 2 for a half year, None for the whole year.
    pub half: Option<u8>,
}

impl Period {
    /// Parses `2018`, `2018H1` or `2018H2` (also lower-case h), years 2000–2100.
    pub fn parse(text: &str) -> Option<Period> {
        let text = text.trim();
        let (year, half) = match text.to_ascii_uppercase().split_once('H') {
            Some((year, "1")) => (year.to_string(), Some(1)),
            Some((year, "2")) => (year.to_string(), Some(2)),
            Some(_) => return None,
            None => (text.to_string(), None),
        };
        let year: i32 = year.parse().ok().filter(|y| (2000..=2100).contains(y))?;
        Some(Period { year, half })
    }

    /// `2018H1`, `2018`.
    pub fn code(&self) -> String {
        match self.half {
            Some(h) => format!("{}H{h}", self.year),
            None => self.year.to_string(),
        }
    }

    /// 2018年上半年, 2018年下半年, 2018年.
    pub fn label(&self) -> String {
        match self.half {
            Some(1) => format!("{}年上半年", self.year),
            Some(_) => format!("{}年下半年", self.year),
            None => format!("{}年", self.year),
        }
    }

    /// The first day and the day after the last, in the zone's calendar.
    pub fn days(&self) -> (NaiveDate, NaiveDate) {
        let date = |y, m| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default();
        match self.half {
            Some(1) => (date(self.year, 1), date(self.year, 7)),
            Some(_) => (date(self.year, 7), date(self.year + 1, 1)),
            None => (date(self.year, 1), date(self.year + 1, 1)),
        }
    }

    /// The last day of the period.
    pub fn last_day(&self) -> NaiveDate {
        self.days().1 - Duration::days(1)
    }
}

/// What a figure links to, for the HTML view: the list behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Link {
    /// The round's units passing a units-list filter (a key of the dashboard's figures).
    Units { survey: SurveyId, figure: String },
    /// One activity.
    Activity(ActivityId),
    /// The activities of the period, of one kind or all.
    Activities {
        period: Period,
        kind: Option<String>,
    },
    /// The units still to be reminded (督促).
    Reminders,
}

/// A piece of an item's text: words, or a computed figure with the list behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Part {
    Words(String),
    Figure { value: String, link: Option<Link> },
}

/// A numbered item: （一）heading。text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Item {
    /// Which item this is, for the staff's words kept with it (`organization`,
    /// `kind:volunteer`, `series:好声音`, `branches`, `plan:3`).
    pub key: String,
    pub number: String,
    pub heading: String,
    pub parts: Vec<Part>,
    /// The whole text: the parts joined.
    pub text: String,
    /// What the data wrote of it, before the staff's words: the editor compares it with
    /// what it was at their last save.
    pub computed: String,
}

impl Item {
    /// An item of `parts`, then the staff's `words` if any.
    pub fn new(
        key: String,
        number: usize,
        heading: String,
        mut parts: Vec<Part>,
        words: Option<&str>,
    ) -> Item {
        let joined = |parts: &[Part]| -> String {
            parts
                .iter()
                .map(|p| match p {
                    Part::Words(w) => w.as_str(),
                    Part::Figure { value, .. } => value.as_str(),
                })
                .collect()
        };
        let computed = joined(&parts);
        if let Some(words) = words.map(str::trim).filter(|w| !w.is_empty()) {
            parts.push(Part::Words(words.to_string()));
        }
        Item {
            key,
            number: format!("（{}）", numeral(number)),
            heading,
            text: joined(&parts),
            parts,
            computed,
        }
    }
}

/// A numbered section: 一、heading.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Section {
    pub number: String,
    pub heading: String,
    pub items: Vec<Item>,
}

/// The whole report: the sections between the staff's opening and closing paragraphs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorkSummary {
    pub title: String,
    pub period: String,
    pub survey_as_of: Option<NaiveDate>,
    pub sections: Vec<Section>,
    pub opening: String,
    pub closing: String,
}

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 23 → 二十三 (up to 99), as headings number them.
pub fn numeral(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n - 10] }),
        20..=99 => format!(
            "{}十{}",
            DIGITS[n / 10],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[n % 10]
            }
        ),
        _ => n.to_string(),
    }
}

/// A day as the seed writes it: 6月9日.
pub fn month_day(day: NaiveDate) -> String {
    format!("{}月{}日", day.month(), day.day())
}

/// A deadline as the seed writes it: the last day of a month is 8月底, any other 8月15日.
pub fn deadline(day: NaiveDate) -> String {
    if (day + Duration::days(1)).month() != day.month() {
        format!("{}月底", day.month())
    } else {
        month_day(day)
    }
}

/// A span of days: 6月9日, 6月9日至10日, 6月30日至7月2日.
pub fn day_span(first: NaiveDate, last: NaiveDate) -> String {
    if last <= first {
        month_day(first)
    } else if last.month() == first.month() && last.year() == first.year() {
        format!("{}至{}日", month_day(first), last.day())
    } else {
        format!("{}至{}", month_day(first), month_day(last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2018, m, d).unwrap()
    }

    #[test]
    fn periods_parse_and_name_their_days() {
        let h1 = Period::parse("2018H1").unwrap();
        assert_eq!(
            (h1.code(), h1.label()),
            ("2018H1".into(), "2018年上半年".into())
        );
        assert_eq!(h1.days(), (day(1, 1), day(7, 1)));
        assert_eq!(h1.last_day(), day(6, 30));
        let h2 = Period::parse("2018h2").unwrap();
        assert_eq!(h2.days().1, NaiveDate::from_ymd_opt(2019, 1, 1).unwrap());
        assert_eq!(Period::parse(" 2018 ").unwrap().label(), "2018年");
        for bad in ["2018H3", "18", "1999", "2018-1", "", "H1"] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_and_dates_are_written_as_the_seed_writes_them() {
        let written: Vec<String> = [1, 5, 10, 11, 20, 23].map(numeral).into();
        assert_eq!(written, ["一", "五", "十", "十一", "二十", "二十三"]);
        assert_eq!(month_day(day(6, 9)), "6月9日");
        assert_eq!(deadline(day(8, 31)), "8月底");
        assert_eq!(deadline(day(2, 28)), "2月底");
        assert_eq!(deadline(day(8, 15)), "8月15日");
        assert_eq!(day_span(day(6, 9), day(6, 9)), "6月9日");
        assert_eq!(day_span(day(6, 9), day(6, 10)), "6月9日至10日");
        assert_eq!(day_span(day(6, 30), day(7, 2)), "6月30日至7月2日");
    }

    #[test]
    fn an_items_text_joins_its_words_and_figures() {
        let item = Item::new(
            "x".into(),
            2,
            "标题".into(),
            vec![
                Part::Words("团员".into()),
                Part::Figure {
                    value: "1779".into(),
                    link: None,
                },
                Part::Words("人。".into()),
            ],
            Some(" 较上年增加。"),
        );
        assert_eq!(
            (
                item.number.as_str(),
                item.text.as_str(),
                item.computed.as_str()
            ),
            ("（二）", "团员1779人。较上年增加。", "团员1779人。")
        );
    }
}

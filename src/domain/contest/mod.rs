//! Contests (竞赛/评比, issue 16 item 6): how an entry's judges' scores become its result
//! (`Method`), the awards (`Award`), and the values a person types — an entry's title, a
//! judge's name, a score of 0–100 to one decimal, a rank. Ranking is in `ranking`.

use super::stored::stored_as_code;

mod ranking;

pub use ranking::{AwardCounts, Placed, Scored, award_by_rank, rank};

/// The longest entry title and judge name, in characters.
pub const TITLE_MAX: usize = 100;
pub const JUDGE_MAX: usize = 40;
/// The highest score a judge may give, in tenths of a point.
pub const SCORE_MAX_TENTHS: i32 = 1000;
/// The lowest and highest rank a person may type.
pub const RANKS: std::ops::RangeInclusive<i32> = 1..=999;
/// From this many judges on, `Method::TrimmedMean` drops the highest and the lowest score
/// (去掉一个最高分和一个最低分): the practice of Chinese singing and speech contests, which
/// keeps at least three scores in the mean.
pub const TRIM_FROM_JUDGES: usize = 5;

/// How a contest turns its judges' work into a result, chosen per contest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Method {
    /// 平均分: the mean of every judge's score.
    Mean,
    /// 去掉最高分和最低分后的平均分: with at least `TRIM_FROM_JUDGES` judges the mean
    /// without one highest and one lowest score, with fewer the plain mean. The default.
    #[default]
    TrimmedMean,
    /// 直接录入名次: no scores; the rank is typed for each entry.
    Rank,
}

impl Method {
    pub const ALL: [Method; 3] = [Method::TrimmedMean, Method::Mean, Method::Rank];

    pub fn code(self) -> &'static str {
        match self {
            Method::Mean => "mean",
            Method::TrimmedMean => "trimmed_mean",
            Method::Rank => "rank",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Method::Mean => "评委平均分",
            Method::TrimmedMean => "去掉最高、最低分后的平均分（5名及以上评委时）",
            Method::Rank => "直接录入名次",
        }
    }

    /// Whether the judges score (rather than a rank being typed).
    pub fn scores(self) -> bool {
        self != Method::Rank
    }
}

stored_as_code!(Method);

/// The awards of a contest, highest first. An entry gets at most one of the first four;
/// 优秀组织奖 goes to a unit for organising its people, not to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Award {
    First,
    Second,
    Third,
    Excellent,
    Organizing,
}

impl Award {
    pub const ALL: [Award; 5] = [
        Award::First,
        Award::Second,
        Award::Third,
        Award::Excellent,
        Award::Organizing,
    ];
    /// The awards an entry may get.
    pub const FOR_ENTRY: [Award; 4] = [Award::First, Award::Second, Award::Third, Award::Excellent];

    pub fn code(self) -> &'static str {
        match self {
            Award::First => "first",
            Award::Second => "second",
            Award::Third => "third",
            Award::Excellent => "excellent",
            Award::Organizing => "organizing",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Award::First => "一等奖",
            Award::Second => "二等奖",
            Award::Third => "三等奖",
            Award::Excellent => "优秀奖",
            Award::Organizing => "优秀组织奖",
        }
    }

    /// An entry's award from the form: `Ok(None)` for none (empty), refused for
    /// 优秀组织奖 or an unknown code.
    pub fn parse_for_entry(code: &str) -> Result<Option<Award>, String> {
        match code.trim() {
            "" => Ok(None),
            code => match Award::from_code(code) {
                Some(Award::Organizing) => {
                    Err("优秀组织奖颁给单位，请在下方“优秀组织奖”中按单位添加".into())
                }
                Some(award) => Ok(Some(award)),
                None => Err("请选择奖项".into()),
            },
        }
    }
}

stored_as_code!(Award);

/// Text as typed, with runs of white space made one space; refused when empty or longer
/// than `max` characters, with `what` naming the field.
fn one_line(text: &str, max: usize, what: &str) -> Result<String, String> {
    let text = super::normalize_width(text.trim())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if text.is_empty() || text.chars().count() > max {
        return Err(format!("{what}：请填写（不超过{max}个字）"));
    }
    Ok(text)
}

/// An entry's title (the video's or the song's name): 1–100 characters.
pub fn parse_title(text: &str) -> Result<String, String> {
    one_line(text, TITLE_MAX, "作品名称")
}

/// A judge's name: 1–40 characters.
pub fn parse_judge(text: &str) -> Result<String, String> {
    one_line(text, JUDGE_MAX, "评委")
}

/// A score as a judge gives it (`87`, `87.5`, `８７．５`), in tenths: 0–100 with at most one
/// decimal; refused when empty, not a number, out of range or with more decimals.
pub fn parse_score(text: &str) -> Result<i32, String> {
    const FAULT: &str = "分数：请填写0到100之间的数，最多保留一位小数（例如 87.5）";
    let text = super::normalize_width(text.trim());
    let (whole, tenth) = match text.split_once('.') {
        None => (text.as_str(), "0"),
        Some((w, t)) if t.len() == 1 => (w, t),
        Some(_) => return Err(FAULT.into()),
    };
    let digits = |s: &str| !s.is_empty() && s.len() <= 3 && s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !digits(tenth) {
        return Err(FAULT.into());
    }
    let tenths =
        whole.parse::<i32>().map_err(|_| FAULT)? * 10 + tenth.parse::<i32>().map_err(|_| FAULT)?;
    if tenths > SCORE_MAX_TENTHS {
        return Err(FAULT.into());
    }
    Ok(tenths)
}

/// A rank as typed: `Ok(None)` when empty (no rank), else a whole number in `RANKS`.
pub fn parse_rank(text: &str) -> Result<Option<i32>, String> {
    let text = super::normalize_width(text.trim());
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<i32>() {
        Ok(rank) if RANKS.contains(&rank) => Ok(Some(rank)),
        _ => Err(format!(
            "名次：请填写{}到{}之间的整数",
            RANKS.start(),
            RANKS.end()
        )),
    }
}

/// Points in hundredths as a page writes them: `87.25`, `90`, `87.5`.
pub fn points_text(hundredths: i64) -> String {
    let whole = hundredths / 100;
    match hundredths % 100 {
        0 => whole.to_string(),
        part if part % 10 == 0 => format!("{whole}.{}", part / 10),
        part => format!("{whole}.{part:02}"),
    }
}

/// A judge's score in tenths as a page writes it: `87.5`, `90`.
pub fn score_text(tenths: i32) -> String {
    points_text(i64::from(tenths) * 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stored::assert_codes_round_trip;

    #[test]
    fn codes_round_trip() {
        assert_codes_round_trip(&Method::ALL, Method::code, Method::from_code, "median");
        assert_codes_round_trip(&Award::ALL, Award::code, Award::from_code, "gold");
    }

    #[test]
    fn scores_are_0_to_100_with_one_decimal() {
        assert_eq!(parse_score("87.5"), Ok(875));
        assert_eq!(parse_score(" ９０ "), Ok(900));
        assert_eq!(parse_score("100"), Ok(1000));
        assert_eq!(parse_score("0"), Ok(0));
        assert_eq!(parse_score("88."), Err(parse_score("x").unwrap_err()));
        for bad in ["", "100.1", "101", "-1", "87.55", "八十", "1e2", ".5"] {
            assert!(parse_score(bad).is_err(), "{bad}");
        }
        assert!(parse_score("abc").unwrap_err().contains("0到100"));
    }

    #[test]
    fn ranks_are_whole_numbers_from_1() {
        assert_eq!(parse_rank(""), Ok(None));
        assert_eq!(parse_rank("２"), Ok(Some(2)));
        for bad in ["0", "-1", "1.5", "1000", "第一"] {
            assert!(parse_rank(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn titles_and_judges_are_one_line_and_bounded() {
        assert_eq!(parse_title("  绿水  青山 ").unwrap(), "绿水 青山");
        assert!(parse_title(" ").unwrap_err().contains("作品名称"));
        assert!(parse_title(&"字".repeat(101)).is_err());
        assert!(parse_judge(&"字".repeat(41)).unwrap_err().contains("评委"));
    }

    #[test]
    fn the_organizing_award_is_not_an_entrys() {
        assert_eq!(Award::parse_for_entry(""), Ok(None));
        assert_eq!(Award::parse_for_entry("second"), Ok(Some(Award::Second)));
        assert!(
            Award::parse_for_entry("organizing")
                .unwrap_err()
                .contains("单位")
        );
        assert!(Award::parse_for_entry("gold").is_err());
    }

    #[test]
    fn points_are_written_without_needless_zeros() {
        assert_eq!(points_text(8725), "87.25");
        assert_eq!(points_text(8750), "87.5");
        assert_eq!(points_text(9000), "90");
        assert_eq!(points_text(8705), "87.05");
        assert_eq!(score_text(875), "87.5");
    }
}

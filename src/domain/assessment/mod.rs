//! Cadre assessment (团干部考核, DESIGN.md §3, issue 17 item 3): a year's weighted
//! components, a cadre's score from their component scores, the grade that score earns,
//! the committee's explicit grade, and the cap on 优秀.
//!
//! Rules and their sources:
//! - Components default to 德、能、勤、绩、廉, the aspects the 公务员法 (2018, 第三十五条)
//!   and the 党政领导干部考核工作条例 (2019) assess cadres on; the default weights
//!   (20/20/20/30/10) are this system's, the committee sets its own per year (`Weights`),
//!   whole numbers summing to 100.
//! - Score = Σ component score × weight ÷ 100, rounded half up to one decimal (0–100).
//! - Grade thresholds 90 / 75 / 60 (优秀 ≥ 90, 合格 ≥ 75, 基本合格 ≥ 60, else 不合格) follow the
//!   quantified 团干部考核 schemes of local league committees; no national rule fixes them,
//!   so they live here, in one place (`Grade::from_score`).
//! - The committee may set the grade explicitly, but only LOWER than the score earns and
//!   with a reason: the 一票否决 of assessment practice (a disciplinary finding rules out
//!   优秀 whatever the score). Raising a grade above the score is refused, so that every 优秀
//!   rests on its scores.
//! - 优秀 at most `excellent_percent` (default 20, as civil-service assessment practice
//!   under the 公务员考核规定 keeps 优秀 within 20 % of those assessed) of the year's
//!   assessed cadres, rounded down: 4 results allow none, 5 allow one.

mod form;

pub use form::{EntryInput, parse_score};

use super::stored::stored_as_code;

/// The most components a year may have.
pub const MAX_COMPONENTS: usize = 8;
/// The longest component name.
pub const COMPONENT_MAX: usize = 10;
/// The longest reason for an explicit grade.
pub const REASON_MAX: usize = 200;
/// The default share of 优秀, in percent.
pub const DEFAULT_EXCELLENT_PERCENT: i32 = 20;
/// The default components and their weights.
pub const DEFAULT_COMPONENTS: [(&str, i32); 5] =
    [("德", 20), ("能", 20), ("勤", 20), ("绩", 30), ("廉", 10)];

/// An assessment grade (考核等次), best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grade {
    Excellent,
    Pass,
    BasicPass,
    Fail,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Grade::Excellent, Grade::Pass, Grade::BasicPass, Grade::Fail];

    /// The stored code is the grade's name, as `member_evaluation` stores it.
    pub fn code(self) -> &'static str {
        match self {
            Grade::Excellent => "优秀",
            Grade::Pass => "合格",
            Grade::BasicPass => "基本合格",
            Grade::Fail => "不合格",
        }
    }

    pub fn label(self) -> &'static str {
        self.code()
    }

    /// The grade a score (in tenths) earns.
    pub fn from_score(tenths: i32) -> Grade {
        match tenths {
            900.. => Grade::Excellent,
            750..900 => Grade::Pass,
            600..750 => Grade::BasicPass,
            _ => Grade::Fail,
        }
    }
}

stored_as_code!(Grade);

/// A year's components with their weights, and the 优秀 cap.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Weights {
    pub components: Vec<String>,
    pub weights: Vec<i32>,
    pub excellent_percent: i32,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights {
            components: DEFAULT_COMPONENTS
                .iter()
                .map(|(c, _)| c.to_string())
                .collect(),
            weights: DEFAULT_COMPONENTS.iter().map(|(_, w)| *w).collect(),
            excellent_percent: DEFAULT_EXCELLENT_PERCENT,
        }
    }
}

/// The weighted score, in tenths: Σ score × weight ÷ 100, rounded half up.
pub fn score_tenths(scores: &[i32], weights: &[i32]) -> i32 {
    let sum: i64 = scores
        .iter()
        .zip(weights)
        .map(|(s, w)| i64::from(*s) * i64::from(*w))
        .sum();
    ((sum + 50) / 100) as i32
}

/// A score in tenths as it is written: always one decimal (`87.5`, `90.0`).
pub fn score_text(tenths: i32) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// The most 优秀 among `results` assessed cadres at `percent` %, rounded down.
pub fn excellent_cap(results: i64, percent: i32) -> i64 {
    results * i64::from(percent) / 100
}

/// The grade to store: the computed one, or the committee's explicit one when it is lower
/// and explained. The refusal is the reason, for the form.
pub fn decide_grade(computed: Grade, chosen: Option<Grade>, reason: &str) -> Result<Grade, String> {
    match chosen {
        None => Ok(computed),
        Some(grade) if grade == computed => Ok(computed),
        Some(grade) if grade < computed => Err(format!(
            "按得分评定为{}，不能直接评为更高的{}（只能调低等次）",
            computed.label(),
            grade.label()
        )),
        Some(_) if reason.trim().is_empty() => Err("调低等次时请填写原因".into()),
        Some(grade) => Ok(grade),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_round_trip_best_first() {
        crate::domain::stored::assert_codes_round_trip(
            &Grade::ALL,
            Grade::code,
            Grade::from_code,
            "良好",
        );
        assert!(Grade::Excellent < Grade::Pass && Grade::BasicPass < Grade::Fail);
    }

    #[test]
    fn the_score_is_the_weighted_sum_rounded_half_up_to_one_decimal() {
        let weights = [20, 20, 20, 30, 10];
        assert_eq!(score_tenths(&[1000; 5], &weights), 1000);
        assert_eq!(score_tenths(&[0; 5], &weights), 0);
        // 90×.2 + 80×.2 + 85×.2 + 92×.3 + 88×.1 = 87.4
        assert_eq!(score_tenths(&[900, 800, 850, 920, 880], &weights), 874);
        // 85.5×.2 + 85×.8 = 85.1; 85.25 rounds up to 85.3, 85.2 stays, 85.15 to 85.2
        assert_eq!(score_tenths(&[855, 850], &[20, 80]), 851);
        assert_eq!(score_tenths(&[855, 850], &[50, 50]), 853);
        assert_eq!(score_tenths(&[854, 850], &[50, 50]), 852);
        assert_eq!(score_tenths(&[853, 850], &[50, 50]), 852);
        assert_eq!(score_text(874), "87.4");
        assert_eq!(score_text(900), "90.0");
    }

    #[test]
    fn grades_follow_the_thresholds_90_75_60() {
        assert_eq!(Grade::from_score(1000), Grade::Excellent);
        assert_eq!(Grade::from_score(900), Grade::Excellent);
        assert_eq!(Grade::from_score(899), Grade::Pass);
        assert_eq!(Grade::from_score(750), Grade::Pass);
        assert_eq!(Grade::from_score(749), Grade::BasicPass);
        assert_eq!(Grade::from_score(600), Grade::BasicPass);
        assert_eq!(Grade::from_score(599), Grade::Fail);
        assert_eq!(Grade::from_score(0), Grade::Fail);
    }

    #[test]
    fn an_explicit_grade_may_only_lower_the_computed_one_with_a_reason() {
        use Grade::*;
        assert_eq!(decide_grade(Excellent, None, ""), Ok(Excellent));
        assert_eq!(decide_grade(Pass, Some(Pass), ""), Ok(Pass));
        assert_eq!(
            decide_grade(Excellent, Some(Fail), "受到党纪处分"),
            Ok(Fail)
        );
        assert_eq!(
            decide_grade(Excellent, Some(Pass), " "),
            Err("调低等次时请填写原因".into())
        );
        assert!(decide_grade(Pass, Some(Excellent), "表现突出").is_err());
    }

    #[test]
    fn at_most_the_percentage_of_results_are_excellent_rounded_down() {
        assert_eq!(excellent_cap(10, 20), 2);
        assert_eq!(excellent_cap(9, 20), 1);
        assert_eq!(excellent_cap(4, 20), 0);
        assert_eq!(excellent_cap(0, 20), 0);
        for n in 0..200 {
            assert!(excellent_cap(n, 20) * 100 <= n * 20);
            assert!((excellent_cap(n, 20) + 1) * 100 > n * 20);
        }
    }
}

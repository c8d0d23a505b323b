//! The assessment forms as typed: a year's components and weights (`Weights::from_form`)
//! and a cadre's entry (`EntryInput`), each fault named by its field.

use std::collections::HashMap;

use super::{COMPONENT_MAX, Grade, MAX_COMPONENTS, REASON_MAX, Weights};
use crate::domain::form::FieldErrors;

/// A whole number typed in a form, full-width digits allowed.
fn whole(text: &str) -> Option<i32> {
    let text = crate::domain::normalize_width(text.trim());
    if text.is_empty() || text.len() > 4 || !text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

impl Weights {
    /// The weights form (`component_N`, `weight_N` for N in 0..8, `excellent_percent`):
    /// rows with neither a name nor a weight are skipped; each row needs both, a weight is a
    /// whole number 1–100, names are distinct, and the weights sum to 100.
    pub fn from_form(fields: &HashMap<String, String>) -> Result<Weights, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut components: Vec<String> = Vec::new();
        let mut weights = Vec::new();
        let field = move |key: String| fields.get(&key).map(|v| v.trim()).unwrap_or("");
        for n in 0..MAX_COMPONENTS {
            let name: String = crate::domain::text::strip_controls(field(format!("component_{n}")))
                .split_whitespace()
                .collect();
            let weight = field(format!("weight_{n}"));
            if name.is_empty() && weight.is_empty() {
                continue;
            }
            if name.is_empty() {
                errors.push("考核项目", format!("第{}行请填写项目名称", n + 1));
                continue;
            }
            if name.chars().count() > COMPONENT_MAX {
                errors.push("考核项目", format!("“{name}”不能超过{COMPONENT_MAX}个字"));
            } else if components.contains(&name) {
                errors.push("考核项目", format!("“{name}”重复"));
            }
            match whole(weight) {
                Some(w) if (1..=100).contains(&w) => weights.push(w),
                _ => errors.push("权重", format!("“{name}”的权重应为1至100的整数")),
            }
            components.push(name);
        }
        if components.is_empty() {
            errors.push("考核项目", "请至少填写一个考核项目");
        }
        let sum: i32 = weights.iter().sum();
        if errors.is_empty() && sum != 100 {
            errors.push("权重", format!("各项权重合计应为100，现为{sum}"));
        }
        let excellent_percent = match whole(field("excellent_percent".into())) {
            Some(p) if (0..=100).contains(&p) => p,
            _ => {
                errors.push("优秀比例上限", "应为0至100的整数");
                0
            }
        };
        if errors.is_empty() {
            Ok(Weights {
                components,
                weights,
                excellent_percent,
            })
        } else {
            Err(errors)
        }
    }
}

/// A component score as typed (`85`, `85.5`, `８５`), in tenths: 0–100, one decimal.
pub fn parse_score(text: &str) -> Result<i32, &'static str> {
    let text = crate::domain::normalize_width(text.trim());
    if text.is_empty() {
        return Err("请填写");
    }
    let (whole, tenth) = match text.split_once('.') {
        None => (text.as_str(), "0"),
        Some((w, t)) => (w, t),
    };
    let digits = |s: &str| !s.is_empty() && s.len() <= 3 && s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !(tenth.is_empty() || digits(tenth)) {
        return Err("应为0至100的数字，例如 85.5");
    }
    if tenth.len() > 1 {
        return Err("最多保留一位小数");
    }
    let tenths =
        whole.parse::<i32>().unwrap_or(i32::MAX / 20) * 10 + tenth.parse::<i32>().unwrap_or(0);
    if tenths > 1000 {
        return Err("不能超过100");
    }
    Ok(tenths)
}

/// An entry form read against the year's components: each `score_N` a score, `grade`
/// empty (as the score earns) or a grade, `grade_reason` at most `REASON_MAX` characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryInput {
    pub scores: Vec<i32>,
    pub grade: Option<Grade>,
    pub reason: String,
}

impl EntryInput {
    pub fn from_form(
        fields: &HashMap<String, String>,
        components: &[String],
    ) -> Result<EntryInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut scores = Vec::new();
        for (n, name) in components.iter().enumerate() {
            let text = fields.get(&format!("score_{n}")).map_or("", String::as_str);
            match parse_score(text) {
                Ok(tenths) => scores.push(tenths),
                Err(why) => errors.push("得分", format!("{name}：{why}")),
            }
        }
        let grade = match fields.get("grade").map_or("", |g| g.trim()) {
            "" => None,
            text => {
                let found = Grade::from_code(text);
                if found.is_none() {
                    errors.push("评定等次", "请从列表中选择");
                }
                found
            }
        };
        let reason: String = crate::domain::text::strip_controls(
            fields.get("grade_reason").map_or("", |r| r.trim()),
        )
        .into_owned();
        if reason.chars().count() > REASON_MAX {
            errors.push("调整原因", format!("不能超过{REASON_MAX}个字"));
        }
        if errors.is_empty() {
            Ok(EntryInput {
                scores,
                grade,
                reason,
            })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn scores_are_read_as_people_type_them() {
        assert_eq!(parse_score("85"), Ok(850));
        assert_eq!(parse_score(" 85.5 "), Ok(855));
        assert_eq!(parse_score("８５．５"), Ok(855));
        assert_eq!(parse_score("100"), Ok(1000));
        assert_eq!(parse_score("0"), Ok(0));
        assert_eq!(parse_score(""), Err("请填写"));
        assert_eq!(parse_score("100.1"), Err("不能超过100"));
        assert_eq!(parse_score("85.25"), Err("最多保留一位小数"));
        for bad in ["-1", "abc", "8 5", "1e2", ".5", "99999"] {
            assert!(parse_score(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn weights_must_sum_to_100_and_every_fault_is_named() {
        let good = form(&[
            ("component_0", "德"),
            ("weight_0", "40"),
            ("component_1", "绩"),
            ("weight_1", "６０"),
            ("excellent_percent", "15"),
        ]);
        let weights = Weights::from_form(&good).unwrap();
        assert_eq!(weights.components, ["德", "绩"]);
        assert_eq!(weights.weights, [40, 60]);
        assert_eq!(weights.excellent_percent, 15);
        let short = form(&[
            ("component_0", "德"),
            ("weight_0", "40"),
            ("component_1", "绩"),
            ("weight_1", "50"),
            ("excellent_percent", "20"),
        ]);
        assert_eq!(
            Weights::from_form(&short).unwrap_err().messages(),
            ["权重：各项权重合计应为100，现为90"]
        );
        let bad = form(&[
            ("component_0", "德"),
            ("weight_0", "0"),
            ("component_1", "德"),
            ("weight_1", "x"),
            ("weight_2", "10"),
            ("excellent_percent", "120"),
        ]);
        assert_eq!(
            Weights::from_form(&bad).unwrap_err().messages(),
            [
                "权重：“德”的权重应为1至100的整数",
                "考核项目：“德”重复",
                "权重：“德”的权重应为1至100的整数",
                "考核项目：第3行请填写项目名称",
                "优秀比例上限：应为0至100的整数",
            ]
        );
        assert_eq!(Weights::default().weights.iter().sum::<i32>(), 100);
    }

    #[test]
    fn an_entry_needs_every_score_and_a_known_grade() {
        let components: Vec<String> = ["德", "能"].map(String::from).to_vec();
        let entry = EntryInput::from_form(
            &form(&[("score_0", "90"), ("score_1", "88.5"), ("grade", "")]),
            &components,
        )
        .unwrap();
        assert_eq!((entry.scores, entry.grade), (vec![900, 885], None));
        let bad =
            EntryInput::from_form(&form(&[("score_0", "101"), ("grade", "良好")]), &components);
        assert_eq!(
            bad.unwrap_err().messages(),
            [
                "得分：德：不能超过100",
                "得分：能：请填写",
                "评定等次：请从列表中选择"
            ]
        );
    }
}

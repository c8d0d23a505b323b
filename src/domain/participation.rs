//! Taking part in an activity: the roles people have in it, and volunteer hours — service
//! time (not travel), to one decimal, never negative, never more than the activity's span
//! (DESIGN.md §3, 民政部令第67号《志愿服务记录与证明出具办法》 on recording service time).

use super::stored::stored_as_code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// 组织者.
    Organizer,
    /// 志愿者.
    Volunteer,
    /// 参赛.
    Contestant,
    /// 观众.
    Audience,
    /// 评委.
    Judge,
    /// 其他.
    Other,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Volunteer,
        Role::Organizer,
        Role::Contestant,
        Role::Judge,
        Role::Audience,
        Role::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Organizer => "organizer",
            Role::Volunteer => "volunteer",
            Role::Contestant => "contestant",
            Role::Audience => "audience",
            Role::Judge => "judge",
            Role::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Organizer => "组织者",
            Role::Volunteer => "志愿者",
            Role::Contestant => "参赛",
            Role::Audience => "观众",
            Role::Judge => "评委",
            Role::Other => "其他",
        }
    }
}

stored_as_code!(Role);

/// Tenths of an hour, as hours are stored.
pub type Tenths = i32;

/// The longest service time an activity can credit: its span, in whole tenths of an hour
/// (a span of 9 h 25 min credits at most 9.4 h).
pub fn span_tenths(
    starts: chrono::DateTime<chrono::Utc>,
    ends: chrono::DateTime<chrono::Utc>,
) -> Tenths {
    let minutes = (ends - starts).num_minutes().max(0);
    Tenths::try_from(minutes / 6).unwrap_or(Tenths::MAX)
}

/// Hours as a person types them (`2`, `2.5`, `２．５`): `Ok(None)` when empty; refused when
/// not a number, negative, with more than one decimal, or more than `span` tenths.
pub fn parse_hours(text: &str, span: Tenths) -> Result<Option<Tenths>, String> {
    let text = super::normalize_width(text.trim());
    if text.is_empty() {
        return Ok(None);
    }
    if text.starts_with('-') {
        return Err("服务时长不能为负数".into());
    }
    let (whole, tenth) = match text.split_once('.') {
        None => (text.as_str(), "0"),
        Some((w, "")) => (w, "0"),
        Some((w, t)) if t.len() == 1 => (w, t),
        Some((_, t)) if t.chars().all(|c| c.is_ascii_digit()) => {
            return Err("服务时长最多保留一位小数".into());
        }
        Some(_) => return Err("服务时长应为数字，例如 2.5".into()),
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !digits(tenth) {
        return Err("服务时长应为数字，例如 2.5".into());
    }
    let tenths = whole
        .parse::<i64>()
        .ok()
        .and_then(|w| w.checked_mul(10))
        .and_then(|w| w.checked_add(tenth.parse::<i64>().ok()?))
        .unwrap_or(i64::MAX);
    if tenths > i64::from(span) {
        return Err(format!(
            "服务时长不能超过活动时长（{}小时）",
            hours_text(span)
        ));
    }
    Ok(Some(tenths as Tenths))
}

/// Tenths as hours are written: `2.5`, `3`.
pub fn hours_text(tenths: impl Into<i64>) -> String {
    let tenths = tenths.into();
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, (tenths % 10).abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stored::assert_codes_round_trip;

    #[test]
    fn codes_round_trip() {
        assert_codes_round_trip(&Role::ALL, Role::code, Role::from_code, "guest");
    }

    #[test]
    fn hours_are_read_to_one_decimal_within_the_span() {
        assert_eq!(parse_hours("2.5", 95), Ok(Some(25)));
        assert_eq!(parse_hours(" ２．５ ", 95), Ok(Some(25)));
        assert_eq!(parse_hours("3", 95), Ok(Some(30)));
        assert_eq!(parse_hours("9.5", 95), Ok(Some(95)));
        assert_eq!(parse_hours("", 95), Ok(None));
        assert_eq!(parse_hours("0", 95), Ok(Some(0)));
        assert_eq!(parse_hours("-1", 95).unwrap_err(), "服务时长不能为负数");
        assert_eq!(
            parse_hours("2.25", 95).unwrap_err(),
            "服务时长最多保留一位小数"
        );
        assert_eq!(
            parse_hours("两小时", 95).unwrap_err(),
            "服务时长应为数字，例如 2.5"
        );
        assert_eq!(
            parse_hours("9.6", 95).unwrap_err(),
            "服务时长不能超过活动时长（9.5小时）"
        );
        assert!(parse_hours("99999999999999999999", 95).is_err());
    }

    #[test]
    fn the_span_credits_whole_tenths() {
        let at = |h: u32, m: u32| {
            chrono::NaiveDate::from_ymd_opt(2018, 6, 9)
                .unwrap()
                .and_hms_opt(h, m, 0)
                .unwrap()
                .and_utc()
        };
        assert_eq!(span_tenths(at(1, 0), at(10, 25)), 94);
        assert_eq!(span_tenths(at(1, 0), at(1, 0)), 0);
        assert_eq!(hours_text(94), "9.4");
        assert_eq!(hours_text(30), "3");
    }
}

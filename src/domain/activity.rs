//! Activities (活动): what the committee and the organisations do — volunteer service,
//! contests, cultural events, study, meetings — their kinds, their states and the rules a
//! recorded activity keeps (DESIGN.md §3, issue 16).

use chrono::NaiveDateTime;

use super::form::FieldErrors;
use super::stored::stored_as_code;

/// The longest title, place and series name, in characters.
pub const TITLE_MAX: usize = 100;
pub const PLACE_MAX: usize = 100;
pub const SERIES_MAX: usize = 50;
/// The longest description, in characters.
pub const DESCRIPTION_MAX: usize = 5000;
/// The longest span of one activity, in days: a year-long series is recorded as a series of
/// activities, not as one.
pub const SPAN_MAX_DAYS: i64 = 366;
/// The years an activity may fall in.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// 志愿服务.
    Volunteer,
    /// 竞赛/评比.
    Contest,
    /// 文体活动.
    Culture,
    /// 学习教育.
    Study,
    /// 会议.
    Meeting,
    /// 其他.
    Other,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Volunteer,
        Kind::Contest,
        Kind::Culture,
        Kind::Study,
        Kind::Meeting,
        Kind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Volunteer => "volunteer",
            Kind::Contest => "contest",
            Kind::Culture => "culture",
            Kind::Study => "study",
            Kind::Meeting => "meeting",
            Kind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Volunteer => "志愿服务",
            Kind::Contest => "竞赛/评比",
            Kind::Culture => "文体活动",
            Kind::Study => "学习教育",
            Kind::Meeting => "会议",
            Kind::Other => "其他",
        }
    }
}

stored_as_code!(Kind);

/// 计划 → 进行中 → 已完成, or 已取消 before it is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    Planned,
    Ongoing,
    Done,
    Cancelled,
}

impl State {
    pub const ALL: [State; 4] = [
        State::Planned,
        State::Ongoing,
        State::Done,
        State::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            State::Planned => "planned",
            State::Ongoing => "ongoing",
            State::Done => "done",
            State::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            State::Planned => "计划",
            State::Ongoing => "进行中",
            State::Done => "已完成",
            State::Cancelled => "已取消",
        }
    }

    /// The states an activity in this one may move to; none once done or cancelled.
    pub fn next(self) -> &'static [State] {
        match self {
            State::Planned => &[State::Ongoing, State::Done, State::Cancelled],
            State::Ongoing => &[State::Done, State::Cancelled],
            State::Done | State::Cancelled => &[],
        }
    }

    /// What the button that moves an activity into this state says.
    pub fn verb(self) -> &'static str {
        match self {
            State::Planned => "改为计划",
            State::Ongoing => "开始",
            State::Done => "标记为已完成",
            State::Cancelled => "取消活动",
        }
    }
}

stored_as_code!(State);

/// How a unit takes part in an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitRole {
    /// 协办单位.
    CoOrganizer,
    /// 参与单位.
    Participant,
}

impl UnitRole {
    pub const ALL: [UnitRole; 2] = [UnitRole::CoOrganizer, UnitRole::Participant];

    pub fn code(self) -> &'static str {
        match self {
            UnitRole::CoOrganizer => "co_organizer",
            UnitRole::Participant => "participant",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            UnitRole::CoOrganizer => "协办单位",
            UnitRole::Participant => "参与单位",
        }
    }
}

stored_as_code!(UnitRole);

/// An activity as a form gives it, checked; times are the zone's local times.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ActivityInput {
    pub kind: Kind,
    pub title: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub place: String,
    /// The series it belongs to (文化系列活动, 好声音), or empty.
    pub series: String,
    /// Its edition within the series (第三届 is 3), only with a series.
    pub edition: Option<i32>,
    pub description: String,
}

/// The fields of an activity form, as typed.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct ActivityFields {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub series: String,
    #[serde(default)]
    pub edition: String,
    #[serde(default)]
    pub description: String,
}

/// A local time as a `datetime-local` input sends it (`2018-06-09T09:30`), with a space
/// instead of the `T`, or with seconds.
pub fn parse_local_time(text: &str) -> Option<NaiveDateTime> {
    let text = super::normalize_width(text.trim()).replace(' ', "T");
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(&text, format).ok())
}

/// A one-line text field: controls removed, spaces trimmed, at most `max` characters.
fn line(
    errors: &mut FieldErrors,
    field: &'static str,
    text: &str,
    max: usize,
    required: bool,
) -> String {
    let text: String = super::text::strip_controls(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if required && text.is_empty() {
        errors.push(field, "请填写");
    } else if text.chars().count() > max {
        errors.push(field, format!("不能超过{max}个字"));
    }
    text
}

impl TryFrom<&ActivityFields> for ActivityInput {
    type Error = FieldErrors;

    /// Each fault names its field: the kind one of `Kind::ALL`; a title; start and end
    /// times with the end not before the start, within `SPAN_MAX_DAYS` and `YEARS`; an
    /// edition of 1–999 only with a series.
    fn try_from(form: &ActivityFields) -> Result<ActivityInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = Kind::from_code(form.kind.trim());
        if kind.is_none() {
            errors.push("活动类型", "请选择活动类型");
        }
        let title = line(&mut errors, "活动名称", &form.title, TITLE_MAX, true);
        let mut time = |field: &'static str, text: &str| {
            if text.trim().is_empty() {
                errors.push(field, "请填写");
                return None;
            }
            match parse_local_time(text) {
                Some(t) if YEARS.contains(&chrono::Datelike::year(&t)) => Some(t),
                Some(_) => {
                    errors.push(field, "年份应在2000至2100年之间");
                    None
                }
                None => {
                    errors.push(field, "不是有效的日期时间（例如 2018-06-09 09:30）");
                    None
                }
            }
        };
        let starts_at = time("开始时间", &form.starts_at);
        let ends_at = time("结束时间", &form.ends_at);
        if let (Some(start), Some(end)) = (starts_at, ends_at) {
            if end < start {
                errors.push("结束时间", "不能早于开始时间");
            } else if (end - start).num_days() > SPAN_MAX_DAYS {
                errors.push(
                    "结束时间",
                    format!("一次活动不能超过{SPAN_MAX_DAYS}天，系列活动请逐次登记"),
                );
            }
        }
        let place = line(&mut errors, "地点", &form.place, PLACE_MAX, false);
        let series = line(&mut errors, "所属系列", &form.series, SERIES_MAX, false);
        let edition = match super::normalize_width(form.edition.trim()).as_str() {
            "" => None,
            text => match text.parse::<i32>() {
                Ok(n) if (1..=999).contains(&n) && !series.is_empty() => Some(n),
                Ok(n) if (1..=999).contains(&n) => {
                    errors.push("届次", "填写届次时请同时填写所属系列");
                    None
                }
                _ => {
                    errors.push("届次", "应为1至999的整数");
                    None
                }
            },
        };
        let description = super::text::strip_controls(form.description.trim()).into_owned();
        if description.chars().count() > DESCRIPTION_MAX {
            errors.push("活动简介", format!("不能超过{DESCRIPTION_MAX}个字"));
        }
        match (kind, starts_at, ends_at, errors.is_empty()) {
            (Some(kind), Some(starts_at), Some(ends_at), true) => Ok(ActivityInput {
                kind,
                title,
                starts_at,
                ends_at,
                place,
                series,
                edition,
                description,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stored::assert_codes_round_trip;

    fn fields() -> ActivityFields {
        ActivityFields {
            kind: "volunteer".into(),
            title: "青年环保行，助力环塔赛".into(),
            starts_at: "2018-06-09T09:00".into(),
            ends_at: "2018-06-09 18:30".into(),
            place: "五彩湾赛段".into(),
            ..ActivityFields::default()
        }
    }

    #[test]
    fn codes_round_trip() {
        assert_codes_round_trip(&Kind::ALL, Kind::code, Kind::from_code, "party");
        assert_codes_round_trip(&State::ALL, State::code, State::from_code, "open");
        assert_codes_round_trip(&UnitRole::ALL, UnitRole::code, UnitRole::from_code, "x");
    }

    #[test]
    fn a_filled_form_is_read() {
        let input = ActivityInput::try_from(&fields()).unwrap();
        assert_eq!(input.kind, Kind::Volunteer);
        assert_eq!(input.ends_at.to_string(), "2018-06-09 18:30:00");
        assert_eq!(input.edition, None);
    }

    #[test]
    fn every_fault_names_its_field() {
        let bad = ActivityFields {
            kind: "party".into(),
            title: " \u{0} ".into(),
            starts_at: "2018-06-09T09:00".into(),
            ends_at: "2018-06-08T09:00".into(),
            edition: "3".into(),
            ..ActivityFields::default()
        };
        let errors = ActivityInput::try_from(&bad).unwrap_err().messages();
        assert_eq!(
            errors,
            [
                "活动类型：请选择活动类型",
                "活动名称：请填写",
                "结束时间：不能早于开始时间",
                "届次：填写届次时请同时填写所属系列",
            ]
        );
        let long = ActivityFields {
            ends_at: "2020-06-09T09:00".into(),
            starts_at: "1999-01-01T00:00".into(),
            ..fields()
        };
        assert_eq!(
            ActivityInput::try_from(&long).unwrap_err().messages(),
            ["开始时间：年份应在2000至2100年之间"]
        );
    }

    #[test]
    fn states_move_forward_only() {
        assert!(State::Planned.next().contains(&State::Done));
        assert!(State::Ongoing.next().contains(&State::Cancelled));
        assert!(!State::Ongoing.next().contains(&State::Planned));
        assert!(State::Done.next().is_empty());
        assert!(State::Cancelled.next().is_empty());
    }
}

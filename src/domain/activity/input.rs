//! An activity as its form gives it: the typed fields, read into an `ActivityInput` with
//! every fault named by its field, times read as the zone's local times.

use chrono::NaiveDateTime;

use super::{DESCRIPTION_MAX, Kind, PLACE_MAX, SERIES_MAX, SPAN_MAX_DAYS, TITLE_MAX, YEARS};
use crate::domain::form::{FieldErrors, line};
use crate::domain::ids::VolunteerTeamId;

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
    /// The volunteer team carrying it out, if any.
    pub volunteer_team: Option<VolunteerTeamId>,
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
    /// A team's id, or empty.
    #[serde(default)]
    pub volunteer_team: String,
}

/// A local time as a `datetime-local` input sends it (`2018-06-09T09:30`), with a space
/// instead of the `T`, or with seconds.
pub fn parse_local_time(text: &str) -> Option<NaiveDateTime> {
    let text = crate::domain::normalize_width(text.trim()).replace(' ', "T");
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(&text, format).ok())
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
        let edition = match crate::domain::normalize_width(form.edition.trim()).as_str() {
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
        let description = crate::domain::text::strip_controls(form.description.trim()).into_owned();
        if description.chars().count() > DESCRIPTION_MAX {
            errors.push("活动简介", format!("不能超过{DESCRIPTION_MAX}个字"));
        }
        let volunteer_team = match form.volunteer_team.trim() {
            "" => None,
            text => {
                let id = text.parse().ok().map(VolunteerTeamId);
                if id.is_none() {
                    errors.push("志愿服务队", "请从列表中选择");
                }
                id
            }
        };
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
                volunteer_team,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

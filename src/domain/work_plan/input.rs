//! A work-plan item and a progress note as their forms give them, checked: every fault
//! names its field (`FieldErrors`). The owner organisation and account are named as typed;
//! the service looks them up.

use chrono::{Datelike, NaiveDate};

use super::{NUMBER_MAX, State, parse_number};
use crate::domain::activity::YEARS;
use crate::domain::form::{FieldErrors, line};
use crate::domain::text::{parse_date_text, strip_controls};

pub const HEADING_MAX: usize = 60;
pub const TEXT_MAX: usize = 4000;
pub const OWNER_NAME_MAX: usize = 40;
pub const NOTE_MAX: usize = 2000;

/// The fields of an item's form, as typed.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct PlanFields {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub heading: String,
    #[serde(default)]
    pub text: String,
    /// The owner organisation's name.
    #[serde(default)]
    pub owner_organization: String,
    /// The responsible person's name.
    #[serde(default)]
    pub owner_name: String,
    /// The username of an account to tell in its inbox.
    #[serde(default)]
    pub owner_username: String,
    #[serde(default)]
    pub due_on: String,
}

/// An item as its form gives it, checked; at least one of the owners is given.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlanInput {
    pub year: i32,
    pub number: i32,
    pub heading: String,
    pub text: String,
    pub owner_organization: Option<String>,
    pub owner_name: Option<String>,
    pub owner_username: Option<String>,
    pub due_on: NaiveDate,
}

fn date(errors: &mut FieldErrors, field: &'static str, text: &str) -> Option<NaiveDate> {
    match parse_date_text(text.trim()) {
        Some(d) if YEARS.contains(&d.year()) => Some(d),
        _ if text.trim().is_empty() => {
            errors.push(field, "请填写");
            None
        }
        _ => {
            errors.push(field, "不是有效的日期（例如 2019-12-31）");
            None
        }
    }
}

fn given(text: String) -> Option<String> {
    Some(text).filter(|t| !t.is_empty())
}

impl TryFrom<&PlanFields> for PlanInput {
    type Error = FieldErrors;

    /// A year of `YEARS`; a number 1–99 (digits or Chinese); a heading of at most
    /// `HEADING_MAX` characters; a text of at most `TEXT_MAX`; an organisation, a person or
    /// an account as owner; a due date not before the plan's year.
    fn try_from(form: &PlanFields) -> Result<PlanInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let year = crate::domain::normalize_width(form.year.trim())
            .trim_end_matches('年')
            .parse::<i32>()
            .ok()
            .filter(|y| YEARS.contains(y));
        if year.is_none() {
            errors.push("年度", "请填写2000至2100之间的年份");
        }
        let number = parse_number(&form.number);
        if number.is_none() {
            errors.push(
                "序号",
                format!("请填写1至{NUMBER_MAX}之间的序号（例如 3 或 三）"),
            );
        }
        let heading = line(&mut errors, "标题", &form.heading, HEADING_MAX, true);
        let text = strip_controls(form.text.trim()).replace("\r\n", "\n");
        if text.chars().count() > TEXT_MAX {
            errors.push("内容", format!("不能超过{TEXT_MAX}个字"));
        }
        let owner_organization = crate::domain::name::normalize_name(&form.owner_organization);
        let owner_name = crate::domain::name::normalize_name(&form.owner_name);
        if owner_name.chars().count() > OWNER_NAME_MAX {
            errors.push("负责人", format!("不能超过{OWNER_NAME_MAX}个字"));
        }
        let owner_username = match form.owner_username.trim() {
            "" => None,
            typed => match crate::domain::username::Username::parse(typed) {
                Ok(name) => Some(name.as_str().to_string()),
                Err(why) => {
                    errors.push("负责人账户", why);
                    None
                }
            },
        };
        if owner_organization.is_empty() && owner_name.is_empty() && owner_username.is_none() {
            errors.push("负责组织", "请填写负责的团组织或负责人（至少一项）");
        }
        let due_on = date(&mut errors, "完成时限", &form.due_on);
        if let (Some(due), Some(year)) = (due_on, year)
            && due.year() < year
        {
            errors.push("完成时限", format!("不能早于{year}年"));
        }
        match (year, number, due_on, errors.is_empty()) {
            (Some(year), Some(number), Some(due_on), true) => Ok(PlanInput {
                year,
                number,
                heading,
                text,
                owner_organization: given(owner_organization),
                owner_name: given(owner_name),
                owner_username,
                due_on,
            }),
            _ => Err(errors),
        }
    }
}

/// The fields of the progress form, as typed: `state` empty for no change.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct NoteFields {
    #[serde(default)]
    pub noted_on: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub state: String,
}

/// A progress note, checked: its day, what was done, and the state the item moves to.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NoteInput {
    pub noted_on: NaiveDate,
    pub text: String,
    pub state: Option<State>,
}

impl NoteInput {
    /// The note of `form` on `today` (the zone's date): dated today unless a day is given,
    /// and never after today; its text required and at most `NOTE_MAX` characters.
    pub fn parse(form: &NoteFields, today: NaiveDate) -> Result<NoteInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let noted_on = if form.noted_on.trim().is_empty() {
            Some(today)
        } else {
            date(&mut errors, "日期", &form.noted_on)
        };
        if noted_on.is_some_and(|d| d > today) {
            errors.push("日期", "不能晚于今天");
        }
        let text = strip_controls(form.text.trim()).replace("\r\n", "\n");
        if text.is_empty() {
            errors.push("进展情况", "请填写");
        } else if text.chars().count() > NOTE_MAX {
            errors.push("进展情况", format!("不能超过{NOTE_MAX}个字"));
        }
        let state = match form.state.trim() {
            "" => None,
            code => {
                let state = State::from_code(code);
                if state.is_none() {
                    errors.push("状态", "请选择状态");
                }
                state
            }
        };
        match noted_on {
            Some(noted_on) if errors.is_empty() => Ok(NoteInput {
                noted_on,
                text,
                state,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_filled_item_is_read_and_every_fault_names_its_field() {
        let fields = PlanFields {
            year: "２０１９".into(),
            number: "三".into(),
            heading: " 创建“青年文明号” ".into(),
            text: "由团工委负责。".into(),
            owner_organization: "开发区团工委".into(),
            due_on: "2019-12-31".into(),
            ..PlanFields::default()
        };
        let input = PlanInput::try_from(&fields).unwrap();
        assert_eq!((input.year, input.number), (2019, 3));
        assert_eq!(input.heading, "创建“青年文明号”");
        assert_eq!(input.owner_organization.as_deref(), Some("开发区团工委"));
        assert_eq!(input.owner_name, None);
        let bad = PlanFields {
            year: "19".into(),
            number: "一百".into(),
            heading: "标".repeat(61),
            owner_username: "张三".into(),
            due_on: "2019-02-30".into(),
            ..PlanFields::default()
        };
        let messages = PlanInput::try_from(&bad).unwrap_err().messages();
        assert_eq!(
            messages,
            [
                "年度：请填写2000至2100之间的年份",
                "序号：请填写1至99之间的序号（例如 3 或 三）",
                "标题：不能超过60个字",
                "负责人账户：用户名须为2至32位小写字母、数字、点、下划线或连字符，并以字母或数字开头",
                "负责组织：请填写负责的团组织或负责人（至少一项）",
                "完成时限：不是有效的日期（例如 2019-12-31）",
            ]
        );
        let early = PlanFields {
            due_on: "2018-12-31".into(),
            ..fields
        };
        assert_eq!(
            PlanInput::try_from(&early).unwrap_err().messages(),
            ["完成时限：不能早于2019年"]
        );
    }

    #[test]
    fn a_note_is_dated_today_unless_told_and_never_later() {
        let today = day(2019, 6, 1);
        let note = NoteInput::parse(
            &NoteFields {
                text: "召开专题会议".into(),
                state: "ongoing".into(),
                ..NoteFields::default()
            },
            today,
        )
        .unwrap();
        assert_eq!(note.noted_on, today);
        assert_eq!(note.state, Some(State::Ongoing));
        let bad = NoteFields {
            noted_on: "2019-06-02".into(),
            text: " ".into(),
            state: "paused".into(),
        };
        assert_eq!(
            NoteInput::parse(&bad, today).unwrap_err().messages(),
            ["日期：不能晚于今天", "进展情况：请填写", "状态：请选择状态"]
        );
    }
}

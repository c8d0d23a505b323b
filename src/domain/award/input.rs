//! A 青年文明号's forms as typed and checked: registering a creation (the collective, its unit
//! by full name, its leader, the date) and recording a step (its date, not after today; a
//! reason for 警告, 撤销 and 退回; the level and 文号 for 认定). Every fault names its field.

use chrono::{Datelike, NaiveDate};

use super::{Collective, Level, Step};
use crate::domain::form::{FieldErrors, line};

pub const NAME_MAX: usize = 60;
pub const LEADER_MAX: usize = 40;
pub const NOTE_MAX: usize = 2000;
pub const NUMBER_MAX: usize = 50;

/// The fields of the registration form, as typed.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct AwardFields {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub collective: String,
    #[serde(default)]
    pub unit_name: String,
    #[serde(default)]
    pub leader_name: String,
    #[serde(default)]
    pub registered_on: String,
    #[serde(default)]
    pub description: String,
}

/// A registration, checked. The unit is named by its full name and looked up by the service.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AwardInput {
    pub name: String,
    pub collective: Collective,
    pub unit_name: String,
    pub leader_name: String,
    pub registered_on: NaiveDate,
    pub description: String,
}

/// A date field: required, a real date, not after `today`.
fn date(
    errors: &mut FieldErrors,
    field: &'static str,
    text: &str,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let text = text.trim();
    match crate::domain::text::parse_date_text(text) {
        _ if text.is_empty() => errors.push(field, "请填写"),
        Some(d) if d > today => errors.push(field, "不能晚于今天"),
        Some(d) if d.year() >= 2000 => return Some(d),
        _ => errors.push(field, "不是有效的日期（例如 2019-06-01）"),
    }
    None
}

/// Free text kept as typed (controls removed), at most `NOTE_MAX` characters.
fn note(errors: &mut FieldErrors, field: &'static str, text: &str) -> String {
    let text = crate::domain::text::strip_controls(text.trim()).into_owned();
    if text.chars().count() > NOTE_MAX {
        errors.push(field, format!("不能超过{NOTE_MAX}个字"));
    }
    text
}

impl AwardInput {
    /// Every fault at once: a name of at most `NAME_MAX` characters, a kind of collective,
    /// a unit, a leader, a registration date not after `today`, a description of at most
    /// `NOTE_MAX` characters.
    pub fn parse(form: &AwardFields, today: NaiveDate) -> Result<AwardInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = line(&mut errors, "集体名称", &form.name, NAME_MAX, true);
        let collective = Collective::from_code(form.collective.trim());
        if collective.is_none() {
            errors.push("集体类型", "请选择科室、工段、班组或团队");
        }
        let unit_name = crate::domain::name::normalize_name(&form.unit_name);
        if unit_name.is_empty() {
            errors.push("所属单位", "请填写所属单位的全称");
        }
        let leader_name = line(&mut errors, "负责人", &form.leader_name, LEADER_MAX, true);
        let registered_on = date(&mut errors, "备案日期", &form.registered_on, today);
        let description = note(&mut errors, "创建目标", &form.description);
        match (collective, registered_on, errors.is_empty()) {
            (Some(collective), Some(registered_on), true) => Ok(AwardInput {
                name,
                collective,
                unit_name,
                leader_name,
                registered_on,
                description,
            }),
            _ => Err(errors),
        }
    }
}

/// The fields of a step's form, as typed.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct StepFields {
    #[serde(default)]
    pub step: String,
    #[serde(default)]
    pub dated_on: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub document_number: String,
}

/// A step, checked on its own; whether the post may take it now is `super::next`'s answer.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StepInput {
    pub step: Step,
    pub dated_on: NaiveDate,
    pub note: String,
    /// For 认定: the level and the 文号.
    pub recognition: Option<(Level, String)>,
}

impl StepInput {
    /// Every fault at once: a step other than registration, a date not after `today`, a
    /// reason where the step needs one, the level and 文号 of a recognition.
    pub fn parse(form: &StepFields, today: NaiveDate) -> Result<StepInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let step = Step::from_code(form.step.trim()).filter(|s| *s != Step::Register);
        if step.is_none() {
            errors.push("办理事项", "请选择要办理的事项");
        }
        let dated_on = date(&mut errors, "日期", &form.dated_on, today);
        let reason = step.is_some_and(Step::needs_reason);
        let field = if reason { "理由" } else { "说明" };
        let note = note(&mut errors, field, &form.note);
        if reason && note.is_empty() {
            errors.push("理由", "请写明理由");
        }
        let mut recognition = None;
        if step == Some(Step::Recognize) {
            let level = Level::from_code(form.level.trim());
            if level.is_none() {
                errors.push("认定级别", "请选择开发区级、地市级、省级或全国");
            }
            let number = line(
                &mut errors,
                "认定文号",
                &crate::domain::normalize_width(&form.document_number),
                NUMBER_MAX,
                true,
            );
            recognition = level.map(|l| (l, number));
        }
        match (step, dated_on, errors.is_empty()) {
            (Some(step), Some(dated_on), true) => Ok(StepInput {
                step,
                dated_on,
                note,
                recognition,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2019, 12, 31).unwrap()
    }

    #[test]
    fn a_registration_is_read_and_every_fault_names_its_field() {
        let fields = AwardFields {
            name: " 电仪工段 ".into(),
            collective: "section".into(),
            unit_name: "新疆宜化化工有限公司".into(),
            leader_name: "王磊".into(),
            registered_on: "2019-03-01".into(),
            description: String::new(),
        };
        let input = AwardInput::parse(&fields, today()).unwrap();
        assert_eq!(input.name, "电仪工段");
        assert_eq!(input.collective, Collective::Section);
        let bad = AwardFields {
            name: "段".repeat(61),
            collective: "factory".into(),
            registered_on: "2020-01-01".into(),
            ..AwardFields::default()
        };
        assert_eq!(
            AwardInput::parse(&bad, today()).unwrap_err().messages(),
            [
                "集体名称：不能超过60个字",
                "集体类型：请选择科室、工段、班组或团队",
                "所属单位：请填写所属单位的全称",
                "负责人：请填写",
                "备案日期：不能晚于今天",
            ]
        );
    }

    #[test]
    fn a_step_needs_its_date_its_reason_and_for_recognition_its_level_and_number() {
        let recognize = StepFields {
            step: "recognize".into(),
            dated_on: "2019-10-08".into(),
            level: "zone".into(),
            document_number: "开团工委〔２０１９〕８号".into(),
            ..StepFields::default()
        };
        let input = StepInput::parse(&recognize, today()).unwrap();
        assert_eq!(
            input.recognition,
            Some((Level::Zone, "开团工委〔2019〕8号".to_string()))
        );
        let bad = StepFields {
            step: "recognize".into(),
            dated_on: "2019-13-40".into(),
            ..StepFields::default()
        };
        assert_eq!(
            StepInput::parse(&bad, today()).unwrap_err().messages(),
            [
                "日期：不是有效的日期（例如 2019-06-01）",
                "认定级别：请选择开发区级、地市级、省级或全国",
                "认定文号：请填写",
            ]
        );
        let warn = StepFields {
            step: "warn".into(),
            dated_on: "2019-11-01".into(),
            note: "  ".into(),
            ..StepFields::default()
        };
        assert_eq!(
            StepInput::parse(&warn, today()).unwrap_err().messages(),
            ["理由：请写明理由"]
        );
        let register = StepFields {
            step: "register".into(),
            dated_on: "2019-11-01".into(),
            ..StepFields::default()
        };
        assert_eq!(
            StepInput::parse(&register, today()).unwrap_err().messages(),
            ["办理事项：请选择要办理的事项"]
        );
    }
}

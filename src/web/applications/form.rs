//! The application form (建团申请表) as the secretary fills it in, its checks, and the page
//! that shows it again with the faults (422).

use askama::Template;
use askama_web::WebTemplate;
use axum::response::Response;
use serde::Deserialize;

use crate::db::application::{Application, Input};
use crate::domain::application::Action;
use crate::domain::form::FieldErrors;
use crate::domain::ids::ApplicationId;
use crate::domain::organization::Kind as OrganizationKind;
use crate::web::layout::PageContext;
use crate::web::respond::invalid;

#[derive(Debug, Default, Clone, Deserialize)]
pub struct ApplicationForm {
    #[serde(default)]
    pub(super) unit: String,
    #[serde(default)]
    pub(super) proposed_name: String,
    #[serde(default)]
    pub(super) proposed_kind: String,
    #[serde(default)]
    pub(super) member_count: String,
    #[serde(default)]
    pub(super) youth_count: String,
    #[serde(default)]
    pub(super) proposed_secretary: String,
    #[serde(default)]
    pub(super) reasons: String,
    /// `save` or `submit`.
    #[serde(default)]
    pub(super) action: String,
}

impl ApplicationForm {
    pub(super) fn from_app(app: &Application) -> Self {
        ApplicationForm {
            unit: app.unit_id.to_string(),
            proposed_name: app.proposed_name.clone(),
            proposed_kind: app.proposed_kind.code().to_string(),
            member_count: app.member_count.to_string(),
            youth_count: app.youth_count.to_string(),
            proposed_secretary: app.proposed_secretary.clone().unwrap_or_default(),
            reasons: app.reasons.clone().unwrap_or_default(),
            action: String::new(),
        }
    }

    pub(super) fn action(&self) -> Action {
        if self.action == "submit" {
            Action::Submit
        } else {
            Action::Save
        }
    }
}

/// The application as the secretary may save it; every fault names its field.
impl TryFrom<&ApplicationForm> for Input {
    type Error = FieldErrors;

    fn try_from(form: &ApplicationForm) -> Result<Input, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = form.proposed_name.trim().to_string();
        if name.is_empty() {
            errors.push("团组织名称", "不能为空");
        } else if name.chars().count() > 60 {
            errors.push("团组织名称", "不能超过60个字符");
        }
        let kind = OrganizationKind::parse(&form.proposed_kind);
        if kind.is_none() {
            errors.push("组织类型", "请选择基层团委、团总支、团支部或联合团支部");
        }
        let mut number = |label: &'static str, text: &str| -> Option<i32> {
            match crate::domain::text::parse_count(text) {
                Ok(Some(n)) if n <= 1_000_000 => Some(n as i32),
                Ok(Some(_)) => {
                    errors.push(label, "数值过大");
                    None
                }
                Ok(None) => {
                    errors.push(label, "不能为空");
                    None
                }
                Err(reason) => {
                    errors.push(label, reason);
                    None
                }
            }
        };
        let members = number("团员人数", &form.member_count);
        let youth = number("青年人数", &form.youth_count);
        if let (Some(m), Some(y)) = (members, youth)
            && m > y
        {
            errors.push("团员人数", format!("团员人数（{m}）多于青年人数（{y}）"));
        }
        let optional = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let reasons = optional(&form.reasons);
        if reasons.as_ref().is_some_and(|r| r.chars().count() > 2000) {
            errors.push("申请理由", "不能超过2000字");
        }
        match (kind, members, youth, errors.is_empty()) {
            (Some(kind), Some(member_count), Some(youth_count), true) => Ok(Input {
                proposed_name: name,
                proposed_kind: kind,
                member_count,
                youth_count,
                proposed_secretary: optional(&form.proposed_secretary),
                reasons,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "applications/form.html")]
pub struct FormPage {
    pub(super) ctx: PageContext,
    pub(super) form: ApplicationForm,
    pub(super) errors: Vec<String>,
    pub(super) application_id: Option<ApplicationId>,
    pub(super) unit_name: String,
    pub(super) kinds: [OrganizationKind; 4],
    pub(super) warnings: Vec<&'static str>,
}

pub(super) fn refuse_form(
    ctx: PageContext,
    form: ApplicationForm,
    errors: Vec<String>,
    id: Option<ApplicationId>,
    unit_name: String,
) -> Response {
    let page = FormPage {
        ctx,
        form,
        errors,
        application_id: id,
        unit_name,
        kinds: OrganizationKind::OF_UNIT,
        warnings: Vec::new(),
    };
    invalid(page)
}

#[cfg(test)]
mod tests {
    use super::{ApplicationForm, Input};

    #[test]
    fn a_bad_application_form_names_every_faulty_field() {
        let form = ApplicationForm {
            proposed_name: "  ".into(),
            proposed_kind: "党支部".into(),
            member_count: "9".into(),
            youth_count: "5".into(),
            ..Default::default()
        };

        let errors = Input::try_from(&form).unwrap_err();

        assert_eq!(
            errors.messages(),
            [
                "团组织名称：不能为空",
                "组织类型：请选择基层团委、团总支、团支部或联合团支部",
                "团员人数：团员人数（9）多于青年人数（5）",
            ]
        );
        let blank = ApplicationForm::default();
        let errors = Input::try_from(&blank).unwrap_err().messages();
        assert!(
            errors.contains(&"青年人数：不能为空".to_string()),
            "{errors:?}"
        );
    }
}

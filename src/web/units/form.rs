//! The unit form (committee only): its fields, the import's validation, and the page that
//! shows it again with the faults.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::Response;
use serde::Deserialize;

use crate::db::{self, unit::UnitInput};
use crate::domain::credit_code::CreditCode;
use crate::domain::form::FieldErrors;
use crate::domain::ids::UnitId;
use crate::domain::phone::Phone;
use crate::domain::unit::{Status, UnitKind};
use crate::web::layout::PageContext;
use crate::web::respond::invalid;

#[derive(Debug, Default, Clone, Deserialize)]
pub struct UnitForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub credit_code: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub industry: String,
    #[serde(default)]
    pub staff: String,
    #[serde(default)]
    pub contact_person: String,
    #[serde(default)]
    pub contact_phone: String,
}

fn optional(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

impl UnitForm {
    pub(super) fn from_unit(unit: &db::unit::Unit) -> UnitForm {
        UnitForm {
            name: unit.name.clone(),
            kind: unit.kind.code().to_string(),
            credit_code: unit.credit_code.clone().unwrap_or_default(),
            status: unit.status.map_or("", Status::code).to_string(),
            industry: unit.industry.clone().unwrap_or_default(),
            staff: unit.staff.map(|n| n.to_string()).unwrap_or_default(),
            contact_person: unit.contact_person.clone().unwrap_or_default(),
            contact_phone: unit.contact_phone.clone().unwrap_or_default(),
        }
    }
}

/// The same rules as the survey import; each fault names its field.
impl TryFrom<&UnitForm> for UnitInput {
    type Error = FieldErrors;

    fn try_from(form: &UnitForm) -> Result<UnitInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = crate::domain::unit::check_name(&form.name).unwrap_or_else(|reason| {
            errors.push("单位名称", reason);
            String::new()
        });
        let kind = UnitKind::parse(&form.kind);
        if kind.is_none() {
            errors.push("单位类型", "请选择部门、社区或企业");
        }
        let credit_code = match optional(&form.credit_code) {
            None => None,
            Some(raw) => match CreditCode::parse(&raw) {
                Ok(code) => Some(code.as_str().to_string()),
                Err(e) => {
                    errors.push("统一社会信用代码", e.message());
                    None
                }
            },
        };
        let status = match kind {
            Some(UnitKind::Enterprise) => {
                let status = Status::parse(&form.status);
                if status.is_none() {
                    errors.push("运行状态", "企业须选择运行、在建、停产或注销");
                }
                status
            }
            _ => None,
        };
        let staff = match optional(&crate::domain::normalize_width(&form.staff)) {
            None => None,
            Some(raw) => match raw.parse::<i32>() {
                Ok(n) if n >= 0 => Some(n),
                Ok(_) => {
                    errors.push("职工总数", "不能为负数");
                    None
                }
                Err(_) => {
                    errors.push("职工总数", "不是数字");
                    None
                }
            },
        };
        let contact_phone = match optional(&form.contact_phone) {
            None => None,
            Some(raw) => match Phone::parse(&raw) {
                Some(phone) => Some(phone.as_str().to_string()),
                None => {
                    errors.push("联系电话", "不是有效的手机号或固定电话（固定电话请带区号）");
                    None
                }
            },
        };
        match (kind, errors.is_empty()) {
            (Some(kind), true) => Ok(UnitInput {
                kind,
                name,
                credit_code,
                status,
                industry: optional(&form.industry),
                staff,
                contact_person: optional(&form.contact_person),
                contact_phone,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "units/form.html")]
pub struct UnitFormPage {
    ctx: PageContext,
    form: UnitForm,
    errors: Vec<String>,
    /// None for a new unit.
    unit_id: Option<UnitId>,
    statuses: [Status; 4],
}

impl UnitFormPage {
    pub(super) fn page(
        ctx: PageContext,
        form: UnitForm,
        errors: Vec<String>,
        unit_id: Option<UnitId>,
    ) -> Self {
        UnitFormPage {
            ctx,
            form,
            errors,
            unit_id,
            statuses: Status::ALL,
        }
    }
}

pub(super) fn refused(
    ctx: PageContext,
    form: UnitForm,
    errors: Vec<String>,
    unit_id: Option<UnitId>,
) -> Response {
    invalid(UnitFormPage::page(ctx, form, errors, unit_id))
}

#[cfg(test)]
mod tests {
    use super::{UnitForm, UnitInput};

    #[test]
    fn a_bad_unit_form_names_every_faulty_field() {
        let form = UnitForm {
            name: " ".into(),
            kind: "enterprise".into(),
            status: "倒闭".into(),
            staff: "-3".into(),
            contact_phone: "12345".into(),
            ..Default::default()
        };

        let errors = UnitInput::try_from(&form).unwrap_err();

        assert_eq!(
            errors.messages(),
            [
                "单位名称：不能为空",
                "运行状态：企业须选择运行、在建、停产或注销",
                "职工总数：不能为负数",
                "联系电话：不是有效的手机号或固定电话（固定电话请带区号）",
            ]
        );
    }

    #[test]
    fn a_good_unit_form_becomes_a_trimmed_input() {
        let form = UnitForm {
            name: " 甲公司 ".into(),
            kind: "community".into(),
            status: "运行".into(),
            staff: "１２".into(),
            ..Default::default()
        };

        let input = UnitInput::try_from(&form).unwrap();

        assert_eq!(input.name, "甲公司");
        assert_eq!(input.status, None, "only enterprises have a status");
        assert_eq!(input.staff, Some(12));
        assert_eq!(input.industry, None);
    }
}

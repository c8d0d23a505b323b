//! The unit form (committee only): its fields, the import's validation, and the page that
//! shows it again with the faults.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::Response;
use serde::Deserialize;

use crate::db::{self, unit::UnitInput};
use crate::domain::credit_code::CreditCode;
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

    /// The same rules as the survey import; each error names its field.
    pub fn check(&self) -> std::result::Result<UnitInput, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let name = self.name.trim().to_string();
        if name.is_empty() {
            errors.push(("单位名称", "不能为空".to_string()));
        } else if name.chars().count() > 100 {
            errors.push(("单位名称", "不能超过100个字符".to_string()));
        }
        let kind = UnitKind::parse(&self.kind);
        if kind.is_none() {
            errors.push(("单位类型", "请选择部门、社区或企业".to_string()));
        }
        let credit_code = match optional(&self.credit_code) {
            None => None,
            Some(raw) => match CreditCode::parse(&raw) {
                Ok(code) => Some(code.as_str().to_string()),
                Err(e) => {
                    errors.push(("统一社会信用代码", e.message().to_string()));
                    None
                }
            },
        };
        let status = match kind {
            Some(UnitKind::Enterprise) => {
                let status = Status::parse(&self.status);
                if status.is_none() {
                    errors.push(("运行状态", "企业须选择运行、在建、停产或注销".to_string()));
                }
                status
            }
            _ => None,
        };
        let staff = match optional(&crate::domain::normalize_width(&self.staff)) {
            None => None,
            Some(raw) => match raw.parse::<i32>() {
                Ok(n) if n >= 0 => Some(n),
                Ok(_) => {
                    errors.push(("职工总数", "不能为负数".to_string()));
                    None
                }
                Err(_) => {
                    errors.push(("职工总数", "不是数字".to_string()));
                    None
                }
            },
        };
        let contact_phone = match optional(&self.contact_phone) {
            None => None,
            Some(raw) => match Phone::parse(&raw) {
                Some(phone) => Some(phone.as_str().to_string()),
                None => {
                    errors.push((
                        "联系电话",
                        "不是有效的手机号或固定电话（固定电话请带区号）".to_string(),
                    ));
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
                industry: optional(&self.industry),
                staff,
                contact_person: optional(&self.contact_person),
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

pub(super) fn conflict_message(e: &sqlx::Error) -> String {
    let constraint = e
        .as_database_error()
        .and_then(|d| d.constraint())
        .unwrap_or("");
    if constraint.contains("credit_code") {
        "统一社会信用代码：已有单位使用该代码".to_string()
    } else {
        "单位名称：已有同名单位".to_string()
    }
}

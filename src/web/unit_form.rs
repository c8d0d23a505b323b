//! Creating, editing and closing units (committee only), with the import's validation.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use crate::auth::extract::{ClientAddr, Committee, Require};
use crate::db::is_unique_violation;
use crate::db::{self, audit::Event, unit::UnitInput};
use crate::domain::credit_code::CreditCode;
use crate::domain::ids::UnitId;
use crate::domain::phone::Phone;
use crate::domain::unit::{STATUSES, UnitKind, parse_status};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;

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
    fn from_unit(unit: &db::unit::Unit) -> UnitForm {
        UnitForm {
            name: unit.name.clone(),
            kind: unit.kind.clone(),
            credit_code: unit.credit_code.clone().unwrap_or_default(),
            status: unit.status.clone().unwrap_or_default(),
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
                let status = parse_status(&self.status);
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
                kind: kind.code(),
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
    statuses: [&'static str; 4],
}

impl UnitFormPage {
    fn page(
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
            statuses: STATUSES,
        }
    }
}

pub async fn new_unit(_user: Require<Committee>, ctx: PageContext) -> UnitFormPage {
    UnitFormPage::page(
        ctx,
        UnitForm {
            kind: "enterprise".into(),
            status: "运行".into(),
            ..Default::default()
        },
        Vec::new(),
        None,
    )
}

fn refused(
    ctx: PageContext,
    form: UnitForm,
    errors: Vec<String>,
    unit_id: Option<UnitId>,
) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        UnitFormPage::page(ctx, form, errors, unit_id),
    )
        .into_response()
}

fn conflict_message(e: &sqlx::Error) -> String {
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

pub async fn create_unit(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    ctx: PageContext,
    address: ClientAddr,
    Form(form): Form<UnitForm>,
) -> Result<Response> {
    let input = match form.check() {
        Ok(input) => input,
        Err(errors) => {
            let errors = errors
                .into_iter()
                .map(|(f, m)| format!("{f}：{m}"))
                .collect();
            return Ok(refused(ctx, form, errors, None));
        }
    };
    let mut tx = state.db.begin().await?;
    let id = match db::unit::create(&mut tx, &input).await {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            return Ok(refused(ctx, form, vec![conflict_message(&e)], None));
        }
        Err(e) => return Err(e.into()),
    };
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &user.actor(&address),
        Event::new("unit.created", "unit", id).after(json!(input)),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect(
        &state.settings,
        &format!("/units/{id}"),
        "ok",
        &format!("已新增单位“{}”。", input.name),
    ))
}

async fn open_unit(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: i64,
) -> Result<db::unit::Unit> {
    db::unit::get(&state.db, UnitId(id), &user.scope)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn edit_unit(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    ctx: PageContext,
    PathOr404(id): PathOr404<i64>,
) -> Result<UnitFormPage> {
    let unit = open_unit(&state, &user, id).await?;
    Ok(UnitFormPage::page(
        ctx,
        UnitForm::from_unit(&unit),
        Vec::new(),
        Some(unit.unit_id),
    ))
}

pub async fn update_unit(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
    Form(form): Form<UnitForm>,
) -> Result<Response> {
    let unit = open_unit(&state, &user, id).await?;
    if unit.closed_on.is_some() {
        return Ok(flash::redirect(
            &state.settings,
            &format!("/units/{id}"),
            "error",
            "该单位已注销，不能再修改。",
        ));
    }
    let input = match form.check() {
        Ok(input) => input,
        Err(errors) => {
            let errors = errors
                .into_iter()
                .map(|(f, m)| format!("{f}：{m}"))
                .collect();
            return Ok(refused(ctx, form, errors, Some(unit.unit_id)));
        }
    };
    let mut tx = state.db.begin().await?;
    if let Err(e) = db::unit::update(&mut tx, unit.unit_id, &input).await {
        if is_unique_violation(&e) {
            return Ok(refused(
                ctx,
                form,
                vec![conflict_message(&e)],
                Some(unit.unit_id),
            ));
        }
        return Err(e.into());
    }
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &user.actor(&address),
        Event::new("unit.updated", "unit", unit.unit_id)
            .before(json!(unit))
            .after(json!(input)),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect(
        &state.settings,
        &format!("/units/{id}"),
        "ok",
        "单位信息已保存。",
    ))
}

pub async fn close_unit(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response> {
    let unit = open_unit(&state, &user, id).await?;
    let today = state.clock.now().date_naive();
    let mut tx = state.db.begin().await?;
    if !db::unit::close(&mut tx, unit.unit_id, today).await? {
        return Ok(flash::redirect(
            &state.settings,
            &format!("/units/{id}"),
            "error",
            "该单位已注销。",
        ));
    }
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &user.actor(&address),
        Event::new("unit.closed", "unit", unit.unit_id)
            .before(json!({ "closed_on": null, "status": unit.status }))
            .after(json!({ "closed_on": today })),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect(
        &state.settings,
        &format!("/units/{id}"),
        "ok",
        &format!("“{}”已注销。", unit.name),
    ))
}

//! Formation applications (建团申请 → 批复): the secretary drafts, submits and resubmits;
//! the committee returns, approves (文号) or rejects, from the queue or the application.
//! Every transition is a history row; an illegal one is refused with a message and no change.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

use crate::auth::CurrentUser;
use crate::auth::extract::{Business, ClientAddr, Committee, Require, Secretary};
use crate::db::application::{Application, AttachmentRow, EventRow, Input};
use crate::db::{self, audit::Event};
use crate::domain::application::{Action, Approval, Reply, State as AppState_, next, warnings};
use crate::domain::ids::UnitId;
use crate::domain::role::Role;
use crate::domain::text::parse_date_text;
use crate::domain::unit::{ORGANIZATION_KINDS, parse_organization_kind};
use crate::error::{AppError, Result};
use crate::services::applications::{self, Decision, Error};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::respond::{DOCX, download};

#[derive(Deserialize)]
pub struct ListQuery {
    state: Option<String>,
    /// The list's cursor: the last id shown (newest first).
    before: Option<String>,
    /// The queue's cursor: the last submission shown (time in microseconds, and id).
    queue_after: Option<String>,
}

pub struct QueueItem {
    pub app: Application,
    pub days_waiting: i64,
}

/// Applications per page, in the queue and in the list.
const PAGE: i64 = 50;

#[derive(Template, WebTemplate)]
#[template(path = "applications/index.html")]
pub struct ApplicationsPage {
    ctx: PageContext,
    queue: Vec<QueueItem>,
    queue_count: i64,
    queue_next: Option<String>,
    queue_paged: bool,
    rows: Vec<Application>,
    next: Option<String>,
    paged: bool,
    state: String,
    states: [AppState_; 6],
    is_committee: bool,
    is_secretary: bool,
    today: String,
}

fn queue_cursor(text: &Option<String>) -> Option<(chrono::DateTime<chrono::Utc>, i64)> {
    let (micros, id) = crate::web::pair_cursor(text.as_deref())?;
    Some((
        chrono::DateTime::from_timestamp_micros(micros.parse().ok()?)?,
        id,
    ))
}

fn encode_queue_cursor(item: &QueueItem) -> String {
    let micros = item.app.submitted_at.map_or(0, |t| t.timestamp_micros());
    crate::web::encode_pair(&micros.to_string(), item.app.formation_application_id)
}

pub async fn list_applications(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    Query(query): Query<ListQuery>,
) -> Result<ApplicationsPage> {
    let filter = query
        .state
        .as_deref()
        .and_then(AppState_::parse)
        .map(AppState_::code);
    let now = state.clock.now();
    let is_committee = user.has(Role::Committee);
    let queue_after = queue_cursor(&query.queue_after);
    let (mut queue, queue_count) = if is_committee {
        (
            db::application::queue(&state.db, queue_after, PAGE + 1)
                .await?
                .into_iter()
                .map(|app| QueueItem {
                    days_waiting: app.submitted_at.map_or(0, |t| (now - t).num_days()),
                    app,
                })
                .collect(),
            db::application::queue_count(&state.db).await?,
        )
    } else {
        (Vec::new(), 0)
    };
    let queue_next = crate::web::next_page(&mut queue, PAGE, encode_queue_cursor);
    let before = query.before.as_deref().and_then(|b| b.parse().ok());
    let mut rows = db::application::list(&state.db, &user.scope, filter, before, PAGE + 1).await?;
    let next = crate::web::next_page(&mut rows, PAGE, |a| a.formation_application_id.to_string());
    Ok(ApplicationsPage {
        rows,
        next,
        paged: before.is_some(),
        queue_paged: queue_after.is_some(),
        state: filter.unwrap_or("").to_string(),
        states: AppState_::ALL,
        is_committee,
        is_secretary: user.has(Role::Secretary),
        today: now.date_naive().to_string(),
        queue,
        queue_count,
        queue_next,
        ctx,
    })
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct ApplicationForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    proposed_name: String,
    #[serde(default)]
    proposed_kind: String,
    #[serde(default)]
    member_count: String,
    #[serde(default)]
    youth_count: String,
    #[serde(default)]
    proposed_secretary: String,
    #[serde(default)]
    reasons: String,
    /// `save` or `submit`.
    #[serde(default)]
    action: String,
}

impl ApplicationForm {
    fn from_app(app: &Application) -> Self {
        ApplicationForm {
            unit: app.unit_id.to_string(),
            proposed_name: app.proposed_name.clone(),
            proposed_kind: app.proposed_kind.clone(),
            member_count: app.member_count.to_string(),
            youth_count: app.youth_count.to_string(),
            proposed_secretary: app.proposed_secretary.clone().unwrap_or_default(),
            reasons: app.reasons.clone().unwrap_or_default(),
            action: String::new(),
        }
    }

    fn action(&self) -> Action {
        if self.action == "submit" {
            Action::Submit
        } else {
            Action::Save
        }
    }

    fn check(&self) -> std::result::Result<Input, Vec<String>> {
        let mut errors = Vec::new();
        let name = self.proposed_name.trim().to_string();
        if name.is_empty() {
            errors.push("团组织名称：不能为空".to_string());
        } else if name.chars().count() > 60 {
            errors.push("团组织名称：不能超过60个字符".to_string());
        }
        let kind = parse_organization_kind(&self.proposed_kind);
        if kind.is_none() {
            errors.push("组织类型：请选择基层团委、团总支、团支部或联合团支部".to_string());
        }
        let mut number = |label: &str, text: &str| -> Option<i32> {
            match crate::domain::text::parse_count(text) {
                Ok(Some(n)) if n <= 1_000_000 => Some(n as i32),
                Ok(Some(_)) => {
                    errors.push(format!("{label}：数值过大"));
                    None
                }
                Ok(None) => {
                    errors.push(format!("{label}：不能为空"));
                    None
                }
                Err(reason) => {
                    errors.push(format!("{label}：{reason}"));
                    None
                }
            }
        };
        let members = number("团员人数", &self.member_count);
        let youth = number("青年人数", &self.youth_count);
        if let (Some(m), Some(y)) = (members, youth)
            && m > y
        {
            errors.push(format!("团员人数：团员人数（{m}）多于青年人数（{y}）"));
        }
        let optional = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let reasons = optional(&self.reasons);
        if reasons.as_ref().is_some_and(|r| r.chars().count() > 2000) {
            errors.push("申请理由：不能超过2000字".to_string());
        }
        match (kind, members, youth, errors.is_empty()) {
            (Some(kind), Some(member_count), Some(youth_count), true) => Ok(Input {
                proposed_name: name,
                proposed_kind: kind,
                member_count,
                youth_count,
                proposed_secretary: optional(&self.proposed_secretary),
                reasons,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "applications/form.html")]
pub struct FormPage {
    ctx: PageContext,
    form: ApplicationForm,
    errors: Vec<String>,
    application_id: Option<i64>,
    unit_name: String,
    kinds: [&'static str; 4],
    warnings: Vec<&'static str>,
}

/// The secretary's unit the form is for: the one asked for if in scope, else their only one.
async fn unit_for(state: &AppState, user: &CurrentUser, asked: &str) -> Result<db::unit::Unit> {
    let id = match asked.trim().parse::<i64>() {
        Ok(id) => UnitId(id),
        Err(_) => user
            .grants
            .iter()
            .find_map(|g| g.unit_id)
            .ok_or(AppError::NotFound)?,
    };
    db::unit::get(&state.db, id, &user.scope)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    unit: String,
}

pub async fn new_application(
    State(state): State<AppState>,
    Require(user, ..): Require<Secretary>,
    ctx: PageContext,
    Query(query): Query<NewQuery>,
) -> Result<FormPage> {
    let unit = unit_for(&state, &user, &query.unit).await?;
    let latest = db::survey::get_or_latest(&state.db, None).await?;
    let entry = match latest {
        Some(r) => db::survey::entry(&state.db, r.survey_id, unit.unit_id).await?,
        None => None,
    };
    let short = unit.name.trim_start_matches("开发区").to_string();
    let form = ApplicationForm {
        unit: unit.unit_id.to_string(),
        proposed_name: format!("{short}团支部"),
        proposed_kind: "团支部".into(),
        member_count: entry
            .as_ref()
            .map(|e| e.members.to_string())
            .unwrap_or_default(),
        youth_count: entry
            .as_ref()
            .map(|e| e.youth.to_string())
            .unwrap_or_default(),
        ..Default::default()
    };
    let warnings = entry
        .map(|e| warnings("团支部", e.members))
        .unwrap_or_default();
    Ok(FormPage {
        ctx,
        form,
        errors: Vec::new(),
        application_id: None,
        unit_name: unit.name,
        kinds: ORGANIZATION_KINDS,
        warnings,
    })
}

fn refuse_form(
    ctx: PageContext,
    form: ApplicationForm,
    errors: Vec<String>,
    id: Option<i64>,
    unit_name: String,
) -> Response {
    let page = FormPage {
        ctx,
        form,
        errors,
        application_id: id,
        unit_name,
        kinds: ORGANIZATION_KINDS,
        warnings: Vec::new(),
    };
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

pub async fn create_application(
    State(state): State<AppState>,
    Require(user, ..): Require<Secretary>,
    ctx: PageContext,
    address: ClientAddr,
    Form(form): Form<ApplicationForm>,
) -> Result<Response> {
    let unit = unit_for(&state, &user, &form.unit).await?;
    let input = match form.check() {
        Ok(input) => input,
        Err(errors) => return Ok(refuse_form(ctx, form, errors, None, unit.name)),
    };
    if db::organization::for_unit(&state.db, unit.unit_id)
        .await?
        .is_some()
    {
        return Ok(refuse_form(
            ctx,
            form,
            vec!["本单位已建立团组织，无需再申请".into()],
            None,
            unit.name,
        ));
    }
    let submit = form.action() == Action::Submit;
    let created = applications::create(
        &state.db,
        &user.actor(&address),
        (unit.unit_id, &unit.name),
        &input,
        submit,
        state.clock.now(),
    )
    .await;
    let id = match created {
        Ok(id) => id,
        Err(Error::Refused(message)) => {
            return Ok(refuse_form(
                ctx,
                form,
                vec![message.into()],
                None,
                unit.name,
            ));
        }
        Err(Error::Database(e)) => return Err(e.into()),
    };
    let message = if submit {
        "建团申请已提交，请等待团工委批复。"
    } else {
        "已保存为草稿。"
    };
    Ok(flash::redirect(
        &state.settings,
        &format!("/applications/{id}"),
        "ok",
        message,
    ))
}

async fn open_application(state: &AppState, user: &CurrentUser, id: i64) -> Result<Application> {
    db::application::get(&state.db, id, &user.scope)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Template, WebTemplate)]
#[template(path = "applications/show.html")]
pub struct ApplicationPage {
    ctx: PageContext,
    app: Application,
    history: Vec<EventRow>,
    attachments: Vec<AttachmentRow>,
    warnings: Vec<&'static str>,
    can_edit: bool,
    can_decide: bool,
    today: String,
}

pub async fn show_application(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    PathOr404(id): PathOr404<i64>,
) -> Result<ApplicationPage> {
    let app = open_application(&state, &user, id).await?;
    let own = user
        .grants
        .iter()
        .any(|g| g.role == Role::Secretary && g.unit_id == Some(app.unit_id));
    Ok(ApplicationPage {
        history: db::application::history(&state.db, id).await?,
        attachments: db::application::attachments(&state.db, id).await?,
        warnings: warnings(&app.proposed_kind, app.member_count),
        can_edit: own && app.state().is_editable(),
        can_decide: user.has(Role::Committee) && app.state().is_pending(),
        today: state.clock.now().date_naive().to_string(),
        app,
        ctx,
    })
}

pub async fn edit_application(
    State(state): State<AppState>,
    Require(user, ..): Require<Secretary>,
    ctx: PageContext,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response> {
    let app = open_application(&state, &user, id).await?;
    if let Err(message) = next(app.state(), Action::Save) {
        return Ok(flash::redirect(
            &state.settings,
            &format!("/applications/{id}"),
            "error",
            message,
        ));
    }
    let warnings = warnings(&app.proposed_kind, app.member_count);
    Ok(FormPage {
        ctx,
        form: ApplicationForm::from_app(&app),
        errors: Vec::new(),
        application_id: Some(id),
        unit_name: app.unit_name,
        kinds: ORGANIZATION_KINDS,
        warnings,
    }
    .into_response())
}

pub async fn update_application(
    State(state): State<AppState>,
    Require(user, ..): Require<Secretary>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
    Form(form): Form<ApplicationForm>,
) -> Result<Response> {
    let app = open_application(&state, &user, id).await?;
    let back = format!("/applications/{id}");
    if let Err(message) = next(app.state(), form.action()) {
        return Ok(flash::redirect(&state.settings, &back, "error", message));
    }
    let input = match form.check() {
        Ok(input) => input,
        Err(errors) => return Ok(refuse_form(ctx, form, errors, Some(id), app.unit_name)),
    };
    let submit = form.action() == Action::Submit;
    let actor = user.actor(&address);
    let now = state.clock.now();
    match applications::update(&state.db, &actor, &app, &input, submit, now).await {
        Ok(()) => {}
        Err(Error::Refused(message)) => {
            return Ok(flash::redirect(&state.settings, &back, "error", message));
        }
        Err(Error::Database(e)) => return Err(e.into()),
    }
    let message = if submit {
        "建团申请已提交，请等待团工委批复。"
    } else {
        "已保存修改。"
    };
    Ok(flash::redirect(&state.settings, &back, "ok", message))
}

pub async fn submit_application(
    State(state): State<AppState>,
    Require(user, ..): Require<Secretary>,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response> {
    let app = open_application(&state, &user, id).await?;
    let now = state.clock.now();
    let done = applications::submit(&state.db, &user.actor(&address), &app, now).await;
    decided(
        &state,
        &format!("/applications/{id}"),
        done,
        "建团申请已提交，请等待团工委批复。",
    )
}

/// The redirect after a use case: back with its message, or with the refusal.
fn decided(
    state: &AppState,
    back: &str,
    done: applications::Outcome<()>,
    ok: &str,
) -> Result<Response> {
    match done {
        Ok(()) => Ok(flash::redirect(&state.settings, back, "ok", ok)),
        Err(Error::Refused(message)) => {
            Ok(flash::redirect(&state.settings, back, "error", message))
        }
        Err(Error::Database(e)) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    approval_number: String,
    #[serde(default)]
    approved_on: String,
    /// Where to go afterwards: the queue or the application.
    #[serde(default)]
    back: String,
}

fn back_to(form: &DecisionForm, id: i64) -> String {
    if form.back == "queue" {
        "/applications".to_string()
    } else {
        format!("/applications/{id}")
    }
}

/// Return or reject: both need a reason for the unit.
async fn decide_with_reason(
    state: AppState,
    user: CurrentUser,
    address: ClientAddr,
    id: i64,
    form: DecisionForm,
    decision: Decision,
) -> Result<Response> {
    let app = open_application(&state, &user, id).await?;
    let now = state.clock.now();
    let done = applications::decide(
        &state.db,
        &user.actor(&address),
        &app,
        decision,
        &form.reason,
        now,
    )
    .await;
    let message = match decision {
        Decision::Return => "已退回，申请单位会收到通知。",
        Decision::Reject => "已作不予批复处理，申请单位会收到通知。",
    };
    decided(&state, &back_to(&form, id), done, message)
}

pub async fn return_application(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
    Form(form): Form<DecisionForm>,
) -> Result<Response> {
    decide_with_reason(state, user, address, id, form, Decision::Return).await
}

pub async fn reject_application(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
    Form(form): Form<DecisionForm>,
) -> Result<Response> {
    decide_with_reason(state, user, address, id, form, Decision::Reject).await
}

pub async fn approve_application(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
    Form(form): Form<DecisionForm>,
) -> Result<Response> {
    let app = open_application(&state, &user, id).await?;
    let back = back_to(&form, id);
    let now = state.clock.now();
    let on: NaiveDate = match form.approved_on.trim() {
        "" => now.date_naive(),
        text => match parse_date_text(text) {
            Some(d) => d,
            None => {
                return Ok(flash::redirect(
                    &state.settings,
                    &back,
                    "error",
                    "批复日期不是有效的日期",
                ));
            }
        },
    };
    let actor = user.actor(&address);
    match applications::approve(&state.db, &actor, &app, &form.approval_number, on, now).await {
        Ok((number, _)) => Ok(flash::redirect(
            &state.settings,
            &back,
            "ok",
            &format!("已批复（{number}），团组织已建立。"),
        )),
        Err(Error::Refused(message)) => {
            Ok(flash::redirect(&state.settings, &back, "error", message))
        }
        Err(Error::Database(e)) => Err(e.into()),
    }
}

/// Accepted attachment types, recognised by their first bytes rather than their names.
fn attachment_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some("application/msword")
    } else {
        None
    }
}

pub const ATTACHMENT_LIMIT: usize = 5 * 1024 * 1024;

pub async fn add_attachment(
    State(state): State<AppState>,
    Require(user, ..): Require<Secretary>,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
    request: axum::extract::Request,
) -> Result<Response> {
    // The scope is checked before the body is read: another unit's id is 404 whatever is sent.
    let app = open_application(&state, &user, id).await?;
    let back = format!("/applications/{id}");
    let mut multipart =
        <axum::extract::Multipart as axum::extract::FromRequest<AppState>>::from_request(
            request, &state,
        )
        .await
        .map_err(|_| AppError::BadRequest("请通过页面上的表单选择文件上传。".into()))?;
    if !app.state().is_editable() {
        return Ok(flash::redirect(
            &state.settings,
            &back,
            "error",
            "该申请当前状态不能再添加附件",
        ));
    }
    let mut file = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            let name: String = field
                .file_name()
                .unwrap_or("附件")
                .chars()
                .take(120)
                .collect();
            let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?;
            file = Some((name, bytes));
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Ok(flash::redirect(
            &state.settings,
            &back,
            "error",
            "请选择要上传的文件",
        ));
    };
    if bytes.len() > ATTACHMENT_LIMIT {
        return Ok(flash::redirect(
            &state.settings,
            &back,
            "error",
            "附件不能超过 5 MB",
        ));
    }
    let Some(content_type) = attachment_type(&bytes) else {
        return Ok(flash::redirect(
            &state.settings,
            &back,
            "error",
            "只接受 PDF、JPG、PNG 或 Word 文件",
        ));
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let attachment = db::application::add_attachment(
        &mut tx,
        id,
        (&name, content_type, &bytes),
        user.account_id,
        now,
    )
    .await?;
    db::audit::record(
        &mut *tx,
        now,
        &user.actor(&address),
        Event::new("application.attachment_added", "formation_application", id)
            .after(json!({"attachment_id": attachment, "file_name": name, "size": bytes.len()})),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect(
        &state.settings,
        &back,
        "ok",
        "附件已上传。",
    ))
}

pub async fn download_attachment(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    PathOr404((id, attachment)): PathOr404<(i64, i64)>,
) -> Result<Response> {
    open_application(&state, &user, id).await?;
    let (name, content_type, bytes) = db::application::attachment(&state.db, id, attachment)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(download(&name, "attachment", &content_type, bytes))
}

/// The reply's text for an approved application; none before approval.
fn reply_of(app: &Application) -> Option<Reply> {
    Some(Reply::new(&Approval {
        unit_name: &app.unit_name,
        name: &app.proposed_name,
        kind: &app.proposed_kind,
        secretary: app.proposed_secretary.as_deref(),
        number: app.approval_number.as_deref()?,
        on: app.approved_on?,
    }))
}

#[derive(Template, WebTemplate)]
#[template(path = "applications/reply.html")]
pub struct ReplyPage {
    ctx: PageContext,
    id: i64,
    reply: Reply,
}

async fn approved(state: &AppState, user: &CurrentUser, id: i64) -> Result<Reply> {
    let app = open_application(state, user, id).await?;
    reply_of(&app).ok_or(AppError::NotFound)
}

pub async fn show_reply(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    PathOr404(id): PathOr404<i64>,
) -> Result<ReplyPage> {
    Ok(ReplyPage {
        ctx,
        id,
        reply: approved(&state, &user, id).await?,
    })
}

pub async fn download_reply(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response> {
    let reply = approved(&state, &user, id).await?;
    let bytes = crate::export::docx::reply(&reply)
        .map_err(|e| anyhow::anyhow!("writing the reply: {e}"))?;
    Ok(download(
        &format!("{}.docx", reply.title),
        "reply.docx",
        DOCX,
        bytes,
    ))
}

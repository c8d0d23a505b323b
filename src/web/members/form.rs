//! The member form: add, edit and remove, and the audited view of the full numbers.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::response::Response;
use serde_json::json;

use super::{CODES, CodeLists, branch_to_change, member_to_change};
use crate::auth::extract::{ClientAddr, Reporter, Require};
use crate::db::{self, audit::Event, member::MemberRow, organization::OrganizationRow};
use crate::error::{AppError, Result};
use crate::services::{Error, members};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::respond::invalid;

use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::{MemberId, OrganizationId};
pub use crate::domain::member::MemberInput as MemberForm;

#[derive(Template, WebTemplate)]
#[template(path = "members/form.html")]
pub struct MemberFormPage {
    ctx: PageContext,
    org: OrganizationRow,
    form: MemberForm,
    errors: Vec<String>,
    codes: CodeLists,
}

/// The national code lists the member forms offer.
impl MemberFormPage {
    fn new(ctx: PageContext, org: OrganizationRow, form: MemberForm, errors: Vec<String>) -> Self {
        MemberFormPage {
            ctx,
            org,
            form,
            errors,
            codes: CODES,
        }
    }
}

pub async fn new_member(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    PathOr404(id): PathOr404<OrganizationId>,
) -> Result<MemberFormPage> {
    let org = branch_to_change(&state, &user, id).await?;
    let form = MemberForm {
        ethnicity: "01".into(),
        political_status: "03".into(),
        ..Default::default()
    };
    Ok(MemberFormPage::new(ctx, org, form, Vec::new()))
}

pub async fn create_member(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404(id): PathOr404<OrganizationId>,
    Form(form): Form<MemberForm>,
) -> Result<Response> {
    let org = branch_to_change(&state, &user, id).await?;
    let member = match form.check(id, state.clock.today()) {
        Ok(m) => m,
        Err(errors) => {
            return Ok(invalid(MemberFormPage::new(
                ctx,
                org,
                form,
                errors.messages(),
            )));
        }
    };
    let actor = user.actor(&address);
    let now = state.clock.now();
    match members::register(&state.db, &state.keys, &actor, &member, now).await {
        Ok(_) => {}
        Err(Error::Refused(message)) => {
            let page = MemberFormPage::new(ctx, org, form, vec![message.into_owned()]);
            return Ok(invalid(page));
        }
        Err(Error::Database(e)) => return Err(e.into()),
    }
    Ok(flash::ok(
        &state.settings,
        &format!("/organizations/{id}/members"),
        &format!("已登记团员 {}。", member.name),
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "members/_revealed.html")]
pub struct RevealedPartial {
    resident_id: String,
    phone: Option<String>,
}

/// The full resident ID and phone, as `domain::disclosure` allows: for the committee, and
/// for the member's own secretary when the member is 18 or over (403 otherwise); each
/// viewing is an audit event.
pub async fn reveal(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<MemberId>,
) -> Result<RevealedPartial> {
    let member = member_to_change(&state, &user, id).await?;
    if member.is_erased() {
        return Err(super::erased(&member, &state));
    }
    // Found in the committee or secretary scope: the user keeps this member's roster.
    if !super::reveals(user.reader(true), &member, state.clock.today()) {
        return Err(AppError::Forbidden);
    }
    let (resident_id, phone) = db::member::reveal(&state.db, &state.keys, member.member_id).await?;
    db::audit::record(
        &state.db,
        state.clock.now(),
        &user.actor(&address),
        Event::new(AuditAction::MemberIdViewed, "member", member.member_id)
            .after(json!({ "resident_id": member.resident_id_masked })),
    )
    .await?;
    Ok(RevealedPartial { resident_id, phone })
}

#[derive(Template, WebTemplate)]
#[template(path = "members/edit.html")]
pub struct EditPage {
    ctx: PageContext,
    member: MemberRow,
    form: MemberForm,
    errors: Vec<String>,
    codes: CodeLists,
}

impl EditPage {
    fn new(ctx: PageContext, member: MemberRow, form: MemberForm, errors: Vec<String>) -> Self {
        EditPage {
            ctx,
            member,
            form,
            errors,
            codes: CODES,
        }
    }
}

pub async fn edit_member(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    PathOr404(id): PathOr404<MemberId>,
) -> Result<EditPage> {
    let member = member_to_change(&state, &user, id).await?;
    if member.is_erased() {
        return Err(super::erased(&member, &state));
    }
    let form = MemberForm {
        name: member.name.clone(),
        sex: member.sex.clone(),
        ethnicity: member.ethnicity.clone(),
        resident_id: String::new(),
        phone: String::new(),
        joined_on: member.joined_on.format("%Y-%m").to_string(),
        education: member.education.clone().unwrap_or_default(),
        political_status: member.political_status.clone(),
        league_post: member.league_post.clone().unwrap_or_default(),
    };
    Ok(EditPage::new(ctx, member, form, Vec::new()))
}

/// Saves the form; a blank resident ID or phone keeps the stored one.
pub async fn update_member(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    ctx: PageContext,
    address: ClientAddr,
    PathOr404(id): PathOr404<MemberId>,
    Form(form): Form<MemberForm>,
) -> Result<Response> {
    let member = member_to_change(&state, &user, id).await?;
    if member.is_erased() {
        return Err(super::erased(&member, &state));
    }
    let (stored_id, stored_phone) = db::member::reveal(&state.db, &state.keys, id).await?;
    let mut complete = form.clone();
    if complete.resident_id.trim().is_empty() {
        complete.resident_id = stored_id;
    }
    if complete.phone.trim().is_empty() {
        complete.phone = stored_phone.unwrap_or_default();
    }
    let updated = match complete.check(member.organization_id, state.clock.today()) {
        Ok(m) => m,
        Err(errors) => {
            return Ok(invalid(EditPage::new(ctx, member, form, errors.messages())));
        }
    };
    let actor = user.actor(&address);
    let now = state.clock.now();
    match members::update(&state.db, &state.keys, &actor, &member, &updated, now).await {
        Ok(()) => {}
        Err(Error::Refused(message)) => {
            let page = EditPage::new(ctx, member, form, vec![message.into_owned()]);
            return Ok(invalid(page));
        }
        Err(Error::Database(e)) => return Err(e.into()),
    }
    Ok(flash::ok(
        &state.settings,
        &format!("/organizations/{}/members", member.organization_id),
        "已保存。",
    ))
}

pub async fn delete_member(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<MemberId>,
) -> Result<Response> {
    let member = member_to_change(&state, &user, id).await?;
    let now = state.clock.now();
    let done = members::delete(&state.db, &user.actor(&address), &member, now).await;
    flash::outcome(
        &state.settings,
        &format!("/organizations/{}/members", member.organization_id),
        done,
        &format!("已删除 {} 的团员记录。", member.name),
    )
}

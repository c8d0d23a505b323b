//! The member form: add, edit and remove, and the audited view of the full numbers.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::json;

use super::{CODES, CodeLists, open_branch, open_member};
use crate::auth::extract::{ClientAddr, Reporter, Require};
use crate::db::{
    self, audit::Event, member::MemberRow, member::NewMember, organization::OrganizationRow,
};
use crate::domain::codes::{EDUCATION, ETHNICITIES, POLITICAL_STATUS, code_of};
use crate::domain::phone::Phone;
use crate::domain::resident_id::ResidentId;
use crate::domain::text::parse_date_text;
use crate::error::{AppError, Result};
use crate::services::{Error, members};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;

#[derive(Debug, Default, Clone, Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    ethnicity: String,
    #[serde(default)]
    resident_id: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    joined_on: String,
    #[serde(default)]
    education: String,
    #[serde(default)]
    political_status: String,
    #[serde(default)]
    league_post: String,
}

/// A form's faults as the page shows them: `列：原因`.
fn messages(errors: Vec<(&'static str, String)>) -> Vec<String> {
    errors
        .into_iter()
        .map(|(field, reason)| format!("{field}：{reason}"))
        .collect()
}

/// Names keep the middle dot of minority names (阿依古丽·买买提), whichever dot was typed.
fn normalize_name(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| {
            if matches!(c, '•' | '・' | '．' | '\u{2027}') {
                '·'
            } else {
                c
            }
        })
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The first day of the month in which someone born on `birth` turns 14: joining in that
/// month is allowed (团章 第一条).
fn fourteenth_birthday_month(birth: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(birth.year() + 14, birth.month(), 1).expect("a valid month")
}

impl MemberForm {
    /// A workbook line as the form would have it: a blank sex taken from the resident ID,
    /// and the short names offices write for political status understood.
    pub(super) fn from_line(
        line: &crate::import::roster::RosterLine,
        today: NaiveDate,
    ) -> MemberForm {
        let sex = match line.sex.as_str() {
            "" => ResidentId::parse(&line.resident_id, today)
                .map(|id| id.sex().label().to_string())
                .unwrap_or_default(),
            sex => sex.to_string(),
        };
        let political_status = match line.political_status.as_str() {
            "共青团员" | "团员" => "03",
            "中共党员" | "党员" => "01",
            "中共预备党员" | "预备党员" => "02",
            other => other,
        };
        MemberForm {
            name: line.name.clone(),
            sex,
            ethnicity: line.ethnicity.clone(),
            resident_id: line.resident_id.clone(),
            phone: line.phone.clone(),
            joined_on: line.joined_on.clone(),
            education: line.education.clone(),
            political_status: political_status.to_string(),
            league_post: line.league_post.clone(),
        }
    }

    pub(super) fn check(
        &self,
        organization_id: i64,
        today: NaiveDate,
    ) -> std::result::Result<NewMember, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let name = normalize_name(&self.name);
        let name_ok = !name.is_empty()
            && name.chars().count() <= 40
            && name.chars().all(|c| c.is_alphabetic() || c == '·');
        if !name_ok {
            errors.push((
                "姓名",
                "不能为空，只能包含文字和间隔号“·”，不超过40个字".to_string(),
            ));
        }
        let resident_id = match ResidentId::parse(&self.resident_id, today) {
            Ok(id) => Some(id),
            Err(e) => {
                errors.push((
                    "身份证号码",
                    e.message()
                        .trim_start_matches("身份证号码")
                        .trim_start_matches("中的")
                        .trim_start_matches('的')
                        .to_string(),
                ));
                None
            }
        };
        let sex = match self.sex.trim() {
            "男" => Some("男"),
            "女" => Some("女"),
            _ => {
                errors.push(("性别", "请选择男或女".to_string()));
                None
            }
        };
        if let (Some(id), Some(sex)) = (&resident_id, sex)
            && id.sex().label() != sex
        {
            errors.push((
                "性别",
                format!("与身份证号码不符（号码显示为{}）", id.sex().label()),
            ));
        }
        let ethnicity = code_of(&ETHNICITIES, &self.ethnicity);
        if ethnicity.is_none() {
            errors.push(("民族", "请从列表中选择".to_string()));
        }
        let joined_on = parse_date_text(&format!("{}-01", self.joined_on.trim()))
            .or_else(|| parse_date_text(self.joined_on.trim()))
            .map(|d| d.with_day(1).unwrap_or(d));
        match (joined_on, &resident_id) {
            (None, _) => errors.push(("入团年月", "请填写，例如 2015-05".to_string())),
            (Some(joined), _) if joined > today => {
                errors.push(("入团年月", "不能晚于今天".to_string()))
            }
            (Some(joined), Some(id)) if joined < fourteenth_birthday_month(id.birth_date()) => {
                errors.push(("入团年月", "入团时未满14周岁，按团章不能入团".to_string()));
            }
            _ => {}
        }
        let phone = match self.phone.trim() {
            "" => None,
            text => match Phone::parse(text) {
                Some(p) => Some(p),
                None => {
                    errors.push(("联系电话", "不是有效的手机号或固定电话".to_string()));
                    None
                }
            },
        };
        let education = match self.education.trim() {
            "" => None,
            text => {
                let code = code_of(&EDUCATION, text);
                if code.is_none() {
                    errors.push(("学历", "请从列表中选择".to_string()));
                }
                code
            }
        };
        let political_status = match self.political_status.trim() {
            "" => Some("03"),
            text => code_of(&POLITICAL_STATUS, text),
        };
        if political_status.is_none() {
            errors.push(("政治面貌", "请从列表中选择".to_string()));
        }
        let league_post = Some(self.league_post.trim().to_string()).filter(|p| !p.is_empty());
        if league_post.as_ref().is_some_and(|p| p.chars().count() > 20) {
            errors.push(("团内职务", "不超过20个字".to_string()));
        }
        match (
            resident_id,
            sex,
            ethnicity,
            joined_on,
            political_status,
            errors.is_empty(),
        ) {
            (
                Some(id),
                Some(sex),
                Some(ethnicity),
                Some(joined_on),
                Some(political_status),
                true,
            ) => Ok(NewMember {
                organization_id,
                name,
                sex,
                ethnicity,
                birth_date: id.birth_date(),
                resident_id: id,
                phone,
                joined_on,
                education,
                political_status,
                league_post,
            }),
            _ => Err(errors),
        }
    }
}

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
    PathOr404(id): PathOr404<i64>,
) -> Result<MemberFormPage> {
    let org = open_branch(&state, &user, id).await?;
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
    PathOr404(id): PathOr404<i64>,
    Form(form): Form<MemberForm>,
) -> Result<Response> {
    let org = open_branch(&state, &user, id).await?;
    let member = match form.check(id, state.clock.now().date_naive()) {
        Ok(m) => m,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                MemberFormPage::new(ctx, org, form, messages(errors)),
            )
                .into_response());
        }
    };
    let actor = user.actor(&address);
    let now = state.clock.now();
    match members::register(&state.db, &state.keys, &actor, &member, now).await {
        Ok(_) => {}
        Err(Error::Refused(message)) => {
            let page = MemberFormPage::new(ctx, org, form, vec![message.into_owned()]);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
        Err(Error::Database(e)) => return Err(e.into()),
    }
    Ok(flash::redirect(
        &state.settings,
        &format!("/organizations/{id}/members"),
        "ok",
        &format!("已登记团员 {}。", member.name),
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "members/_revealed.html")]
pub struct RevealedPartial {
    resident_id: String,
    phone: Option<String>,
}

/// The full resident ID and phone, for the committee and the member's own secretary; each
/// viewing is an audit event.
pub async fn reveal(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
) -> Result<RevealedPartial> {
    let member = db::member::get(&state.db, &user.scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (resident_id, phone) = db::member::reveal(&state.db, &state.keys, member.member_id).await?;
    db::audit::record(
        &state.db,
        state.clock.now(),
        &user.actor(&address),
        Event::new("member.id_viewed", "member", member.member_id)
            .after(json!({ "resident_id": member.resident_id_masked })),
    )
    .await?;
    Ok(RevealedPartial { resident_id, phone })
}

#[cfg(test)]
mod tests {
    use super::normalize_name;

    #[test]
    fn names_keep_one_kind_of_middle_dot() {
        assert_eq!(normalize_name(" 阿依古丽•买买提 "), "阿依古丽·买买提");
        assert_eq!(normalize_name("艾力・吐尔逊"), "艾力·吐尔逊");
    }
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
    PathOr404(id): PathOr404<i64>,
) -> Result<EditPage> {
    let member = open_member(&state, &user, id).await?;
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
    PathOr404(id): PathOr404<i64>,
    Form(form): Form<MemberForm>,
) -> Result<Response> {
    let member = open_member(&state, &user, id).await?;
    let (stored_id, stored_phone) = db::member::reveal(&state.db, &state.keys, id).await?;
    let mut complete = form.clone();
    if complete.resident_id.trim().is_empty() {
        complete.resident_id = stored_id;
    }
    if complete.phone.trim().is_empty() {
        complete.phone = stored_phone.unwrap_or_default();
    }
    let updated = match complete.check(member.organization_id, state.clock.now().date_naive()) {
        Ok(m) => m,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                EditPage::new(ctx, member, form, messages(errors)),
            )
                .into_response());
        }
    };
    let actor = user.actor(&address);
    let now = state.clock.now();
    match members::update(&state.db, &state.keys, &actor, &member, &updated, now).await {
        Ok(()) => {}
        Err(Error::Refused(message)) => {
            let page = EditPage::new(ctx, member, form, vec![message.into_owned()]);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
        Err(Error::Database(e)) => return Err(e.into()),
    }
    Ok(flash::redirect(
        &state.settings,
        &format!("/organizations/{}/members", member.organization_id),
        "ok",
        "已保存。",
    ))
}

pub async fn delete_member(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response> {
    let member = open_member(&state, &user, id).await?;
    let now = state.clock.now();
    let done = members::delete(&state.db, &user.actor(&address), &member, now).await;
    flash::outcome(
        &state.settings,
        &format!("/organizations/{}/members", member.organization_id),
        done,
        &format!("已删除 {} 的团员记录。", member.name),
    )
}

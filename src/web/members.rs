//! The members roster (团员管理) of an organisation: masked personal data, search, pages,
//! adding a member with the resident ID checked against the form, and the full ID shown
//! only to the committee and the member's own secretary, after a click that is audited.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::json;

use crate::auth::extract::{Business, ClientAddr, Reporter, Require};
use crate::db::{
    self, audit::Event, member::MemberRow, member::NewMember, organization::OrganizationRow,
};
use crate::domain::codes::{EDUCATION, ETHNICITIES, POLITICAL_STATUS, code_of};
use crate::domain::phone::Phone;
use crate::domain::resident_id::ResidentId;
use crate::error::{AppError, Result};
use crate::import::cell::parse_date_text;
use crate::startup::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;
use crate::web::organizations::open_org;

pub const PAGE_SIZE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct RosterQuery {
    #[serde(default)]
    pub q: String,
    pub after: Option<String>,
    pub organization: Option<String>,
    /// `14-17`, `18-22`, `23-27`, `28+`.
    pub age: Option<String>,
    /// `true` for members with a league post.
    pub post: Option<String>,
    pub state: Option<String>,
}

impl RosterQuery {
    /// The filters; an odd value is ignored rather than refused.
    pub fn filter(&self, organization: Option<i64>, today: NaiveDate) -> db::member::Filter {
        let years_ago = |n: i32| today.with_year(today.year() - n).unwrap_or(today);
        let (born_before, born_after) = match self.age.as_deref() {
            // Aged at least a and under b+1: born after today−(b+1) years, on or before today−a years.
            Some("14-17") => (Some(years_ago(14)), Some(years_ago(18))),
            Some("18-22") => (Some(years_ago(18)), Some(years_ago(23))),
            Some("23-27") => (Some(years_ago(23)), Some(years_ago(28))),
            Some("28+") => (Some(years_ago(28)), None),
            _ => (None, None),
        };
        db::member::Filter {
            organization: organization.or_else(|| {
                self.organization
                    .as_deref()
                    .and_then(|o| o.trim().parse().ok())
            }),
            q: self.q.trim().chars().take(40).collect(),
            born_before,
            born_after,
            has_post: match self.post.as_deref() {
                Some("true") => Some(true),
                Some("false") => Some(false),
                _ => None,
            },
            state: self
                .state
                .as_deref()
                .filter(|s| ["active", "transferred", "aged_out", "left"].contains(s))
                .map(str::to_string),
        }
    }
}

pub fn cursor(after: &Option<String>) -> Option<(String, i64)> {
    let bytes = URL_SAFE_NO_PAD.decode(after.as_deref()?).ok()?;
    serde_json::from_slice(&bytes).ok()
}

pub fn encode_cursor(row: &MemberRow) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&(&row.name, row.member_id)).unwrap_or_default())
}

#[derive(Template, WebTemplate)]
#[template(path = "members/index.html")]
pub struct RosterPage {
    ctx: PageContext,
    org: OrganizationRow,
    rows: Vec<MemberRow>,
    q: String,
    next: Option<String>,
    can_write: bool,
    today: NaiveDate,
}

pub async fn show_roster(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    PathOr404(id): PathOr404<i64>,
    Query(query): Query<RosterQuery>,
) -> Result<RosterPage> {
    let org = open_org(&state, &user, id).await?;
    let filter = query.filter(Some(id), state.clock.now().date_naive());
    let q = filter.q.clone();
    let mut rows = db::member::list(
        &state.db,
        &user.scope,
        &filter,
        cursor(&query.after).as_ref(),
        PAGE_SIZE + 1,
    )
    .await?;
    let next = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(encode_cursor)
    } else {
        None
    };
    Ok(RosterPage {
        can_write: user.has_any(&[
            crate::domain::role::Role::Committee,
            crate::domain::role::Role::Secretary,
        ]),
        today: state.clock.now().date_naive(),
        org,
        rows,
        q,
        next,
        ctx,
    })
}

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
    fn check(
        &self,
        organization_id: i64,
        today: NaiveDate,
    ) -> std::result::Result<NewMember, Vec<String>> {
        let mut errors = Vec::new();
        let name = normalize_name(&self.name);
        let name_ok = !name.is_empty()
            && name.chars().count() <= 40
            && name.chars().all(|c| c.is_alphabetic() || c == '·');
        if !name_ok {
            errors.push("姓名：不能为空，只能包含文字和间隔号“·”，不超过40个字".to_string());
        }
        let resident_id = match ResidentId::parse(&self.resident_id, today) {
            Ok(id) => Some(id),
            Err(e) => {
                errors.push(e.message().to_string());
                None
            }
        };
        let sex = match self.sex.trim() {
            "男" => Some("男"),
            "女" => Some("女"),
            _ => {
                errors.push("性别：请选择男或女".to_string());
                None
            }
        };
        if let (Some(id), Some(sex)) = (&resident_id, sex)
            && id.sex().label() != sex
        {
            errors.push(format!(
                "性别：与身份证号码不符（号码显示为{}）",
                id.sex().label()
            ));
        }
        let ethnicity = code_of(&ETHNICITIES, &self.ethnicity);
        if ethnicity.is_none() {
            errors.push("民族：请从列表中选择".to_string());
        }
        let joined_on = parse_date_text(&format!("{}-01", self.joined_on.trim()))
            .or_else(|| parse_date_text(self.joined_on.trim()))
            .map(|d| d.with_day(1).unwrap_or(d));
        match (joined_on, &resident_id) {
            (None, _) => errors.push("入团年月：请填写，例如 2015-05".to_string()),
            (Some(joined), _) if joined > today => {
                errors.push("入团年月：不能晚于今天".to_string())
            }
            (Some(joined), Some(id)) if joined < fourteenth_birthday_month(id.birth_date()) => {
                errors.push("入团年月：入团时未满14周岁，按团章不能入团".to_string());
            }
            _ => {}
        }
        let phone = match self.phone.trim() {
            "" => None,
            text => match Phone::parse(text) {
                Some(p) => Some(p),
                None => {
                    errors.push("联系电话：不是有效的手机号或固定电话".to_string());
                    None
                }
            },
        };
        let education = match self.education.trim() {
            "" => None,
            text => {
                let code = code_of(&EDUCATION, text);
                if code.is_none() {
                    errors.push("学历：请从列表中选择".to_string());
                }
                code
            }
        };
        let political_status = match self.political_status.trim() {
            "" => Some("03"),
            text => code_of(&POLITICAL_STATUS, text),
        };
        if political_status.is_none() {
            errors.push("政治面貌：请从列表中选择".to_string());
        }
        let league_post = Some(self.league_post.trim().to_string()).filter(|p| !p.is_empty());
        if league_post.as_ref().is_some_and(|p| p.chars().count() > 20) {
            errors.push("团内职务：不超过20个字".to_string());
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
pub struct CodeLists {
    ethnicities: &'static [(&'static str, &'static str)],
    education: &'static [(&'static str, &'static str)],
    political: &'static [(&'static str, &'static str)],
}

const CODES: CodeLists = CodeLists {
    ethnicities: &ETHNICITIES,
    education: &EDUCATION,
    political: &POLITICAL_STATUS,
};

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
    let org = open_org(&state, &user, id).await?;
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
    let org = open_org(&state, &user, id).await?;
    if org.kind == "committee" {
        return Err(AppError::NotFound);
    }
    let member = match form.check(id, state.clock.now().date_naive()) {
        Ok(m) => m,
        Err(errors) => {
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                MemberFormPage::new(ctx, org, form, errors),
            )
                .into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    let Some(member_id) = db::member::create(&mut tx, &state.keys, &member).await? else {
        let errors =
            vec!["身份证号码：该号码已登记为团员，不能重复登记（如需转入请办理接转）".to_string()];
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            MemberFormPage::new(ctx, org, form, errors),
        )
            .into_response());
    };
    // The audit log keeps the masked forms only.
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &user.actor(&address),
        Event::new("member.created", "member", member_id).after(json!({
            "organization_id": id,
            "name": member.name,
            "resident_id": member.resident_id.masked(),
            "phone": member.phone.as_ref().map(|p| p.masked()),
        })),
    )
    .await?;
    tx.commit().await?;
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
#[template(path = "members/all.html")]
pub struct AllMembersPage {
    ctx: PageContext,
    rows: Vec<MemberRow>,
    organizations: Vec<OrganizationRow>,
    query: RosterQuery,
    query_string: String,
    count: i64,
    next: Option<String>,
    today: NaiveDate,
    is_committee: bool,
}

impl AllMembersPage {
    fn is(&self, value: &Option<String>, option: &str) -> bool {
        value.as_deref() == Some(option)
    }

    fn org_selected(&self, id: &i64) -> bool {
        self.query.organization.as_deref() == Some(id.to_string().as_str())
    }
}

/// `/members`: every member in the user's scope, with filters, counts and pages.
pub async fn show_all(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    Query(query): Query<RosterQuery>,
) -> Result<AllMembersPage> {
    let today = state.clock.now().date_naive();
    let filter = query.filter(None, today);
    let mut rows = db::member::list(
        &state.db,
        &user.scope,
        &filter,
        cursor(&query.after).as_ref(),
        PAGE_SIZE + 1,
    )
    .await?;
    let next = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(encode_cursor)
    } else {
        None
    };
    let query_string = serde_urlencoded::to_string([
        ("q", query.q.as_str()),
        ("organization", query.organization.as_deref().unwrap_or("")),
        ("age", query.age.as_deref().unwrap_or("")),
        ("post", query.post.as_deref().unwrap_or("")),
        ("state", query.state.as_deref().unwrap_or("")),
    ])
    .unwrap_or_default();
    Ok(AllMembersPage {
        count: db::member::count(&state.db, &user.scope, &filter).await?,
        organizations: db::organization::list(&state.db, &user.scope, None, 5000)
            .await?
            .into_iter()
            .filter(|o| o.kind != "committee")
            .collect(),
        is_committee: user.has(crate::domain::role::Role::Committee),
        rows,
        query,
        query_string,
        next,
        today,
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "members/age.html")]
pub struct AgePage {
    ctx: PageContext,
    turning: Vec<MemberRow>,
    past: Vec<MemberRow>,
    can_act: bool,
}

impl AgePage {
    fn turns_28(&self, m: &MemberRow) -> String {
        m.birth_date
            .with_year(m.birth_date.year() + 28)
            .unwrap_or(m.birth_date)
            .to_string()
    }
}

/// 超龄: members turning 28 within 90 days, and those past 28 without a league post.
pub async fn show_age_lists(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
) -> Result<AgePage> {
    let today = state.clock.now().date_naive();
    Ok(AgePage {
        turning: db::member::by_age(
            &state.db,
            &user.scope,
            Some(today),
            today + chrono::Days::new(90),
            false,
        )
        .await?,
        past: db::member::by_age(&state.db, &user.scope, None, today, true).await?,
        can_act: user.has_any(&[
            crate::domain::role::Role::Committee,
            crate::domain::role::Role::Secretary,
        ]),
        ctx,
    })
}

pub async fn age_out(
    State(state): State<AppState>,
    Require(user, ..): Require<Reporter>,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
) -> Result<Response> {
    let member = db::member::get(&state.db, &user.scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = state.clock.now().date_naive();
    let back = "/members/age";
    if today.years_since(member.birth_date).unwrap_or(0) < 28 || member.league_post.is_some() {
        return Ok(flash::redirect(
            &state.settings,
            back,
            "error",
            "只有年满28周岁且未担任团内职务的团员才能办理超龄离团",
        ));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if !db::member::age_out(&mut tx, id, (user.account_id, user.name()), now).await? {
        return Ok(flash::redirect(
            &state.settings,
            back,
            "error",
            "该团员已不在团，无需办理",
        ));
    }
    db::audit::record(
        &mut *tx,
        now,
        &user.actor(&address),
        Event::new("member.aged_out", "member", id)
            .before(json!({"state": "active"}))
            .after(json!({"state": "aged_out"})),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect(
        &state.settings,
        back,
        "ok",
        &format!("{} 已办理超龄离团。", member.name),
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "members/compare.html")]
pub struct ComparePage {
    ctx: PageContext,
    as_of: Option<NaiveDate>,
    reported: i64,
    counted: i64,
    rows: Vec<db::member::Comparison>,
}

/// Counted members (the roster) beside reported members (the survey), per unit.
pub async fn compare(
    State(state): State<AppState>,
    _user: Require<crate::auth::extract::Staff>,
    ctx: PageContext,
) -> Result<ComparePage> {
    let Some(round) = db::survey::get_or_latest(&state.db, None).await? else {
        return Ok(ComparePage {
            ctx,
            as_of: None,
            reported: 0,
            counted: 0,
            rows: Vec::new(),
        });
    };
    let (reported, counted) = db::member::totals(&state.db, round.survey_id).await?;
    Ok(ComparePage {
        rows: db::member::differences(&state.db, round.survey_id, 500).await?,
        as_of: Some(round.as_of),
        reported,
        counted,
        ctx,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    #[serde(flatten)]
    filter: RosterQuery,
    /// `1` for the full resident IDs and phones: committee only, audited.
    #[serde(default)]
    full: String,
}

/// The roster (with the list's filters) as a workbook: masked by default; full numbers
/// only for the committee. Every export is an audit event.
pub async fn export(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    address: ClientAddr,
    Query(query): Query<ExportQuery>,
) -> Result<Response> {
    let full = query.full == "1";
    if full && !user.has(crate::domain::role::Role::Committee) {
        return Err(AppError::Forbidden);
    }
    let today = state.clock.now().date_naive();
    let filter = query.filter.filter(None, today);
    let rows = db::member::list(&state.db, &user.scope, &filter, None, 100_000).await?;
    // One query for all the full numbers, not one per member.
    let mut full_numbers = if full {
        let ids: Vec<i64> = rows.iter().map(|r| r.member_id).collect();
        db::member::reveal_many(&state.db, &state.keys, &ids).await?
    } else {
        Default::default()
    };
    let people: Vec<(&MemberRow, String, String)> = rows
        .iter()
        .map(|row| match full_numbers.remove(&row.member_id) {
            Some((id, phone)) => (row, id, phone.unwrap_or_default()),
            None => (
                row,
                row.resident_id_masked.clone(),
                row.phone_masked.clone().unwrap_or_default(),
            ),
        })
        .collect();
    let write = || -> std::result::Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::{Format, Workbook};
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("团员名册")?;
        let head = Format::new().set_bold().set_background_color("#F2F2F2");
        let labels = [
            "序号",
            "姓名",
            "团组织",
            "性别",
            "民族",
            "出生日期",
            "身份证号码",
            "联系电话",
            "入团年月",
            "学历",
            "政治面貌",
            "团内职务",
            "状态",
        ];
        for (c, label) in labels.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *label, &head)?;
        }
        for (i, (m, id, phone)) in people.iter().enumerate() {
            let r = 1 + i as u32;
            sheet.write_number(r, 0, (i + 1) as f64)?;
            let cells = [
                m.name.as_str(),
                &m.organization_name,
                &m.sex,
                crate::domain::codes::name_of(&ETHNICITIES, &m.ethnicity),
                &m.birth_date.to_string(),
                id,
                phone,
                &m.joined_on.format("%Y-%m").to_string(),
                m.education
                    .as_deref()
                    .map_or("", |e| crate::domain::codes::name_of(&EDUCATION, e)),
                crate::domain::codes::name_of(&POLITICAL_STATUS, &m.political_status),
                m.league_post.as_deref().unwrap_or(""),
                m.state_label(),
            ];
            for (c, value) in cells.iter().enumerate() {
                sheet.write_string(r, 1 + c as u16, *value)?;
            }
        }
        sheet.set_column_width(2, 24)?;
        sheet.set_column_width(6, 22)?;
        sheet.set_freeze_panes(1, 2)?;
        book.save_to_buffer()
    };
    let bytes = write().map_err(|e| anyhow::anyhow!("writing the roster: {e}"))?;
    let action = if full {
        "member.exported_full"
    } else {
        "member.exported"
    };
    db::audit::record(
        &state.db,
        state.clock.now(),
        &user.actor(&address),
        Event::new(action, "member", "").after(json!({ "rows": rows.len(), "full": full })),
    )
    .await?;
    let name = if full {
        "团员名册-完整号码.xlsx"
    } else {
        "团员名册.xlsx"
    };
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                crate::web::surveys::XLSX.to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                crate::web::surveys::attachment(name, "members.xlsx"),
            ),
        ],
        bytes,
    )
        .into_response())
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

async fn open_member(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: i64,
) -> Result<MemberRow> {
    db::member::get(&state.db, &user.scope, id)
        .await?
        .ok_or(AppError::NotFound)
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
                EditPage::new(ctx, member, form, errors),
            )
                .into_response());
        }
    };
    let mut tx = state.db.begin().await?;
    if !db::member::update(&mut tx, &state.keys, id, &updated).await? {
        let errors = vec!["该身份证号码已登记为其他团员".to_string()];
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            EditPage::new(ctx, member, form, errors),
        )
            .into_response());
    }
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &user.actor(&address),
        Event::new("member.updated", "member", id)
            .before(json!({"name": member.name, "resident_id": member.resident_id_masked, "league_post": member.league_post}))
            .after(json!({"name": updated.name, "resident_id": updated.resident_id.masked(), "league_post": updated.league_post})),
    )
    .await?;
    tx.commit().await?;
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
    let mut tx = state.db.begin().await?;
    if !db::member::delete(&mut tx, id).await? {
        return Err(AppError::NotFound);
    }
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &user.actor(&address),
        Event::new("member.deleted", "member", id)
            .before(json!({"name": member.name, "organization_id": member.organization_id, "resident_id": member.resident_id_masked})),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect(
        &state.settings,
        &format!("/organizations/{}/members", member.organization_id),
        "ok",
        &format!("已删除 {} 的团员记录。", member.name),
    ))
}

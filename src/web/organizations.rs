//! The organisation tree (团工委 → 基层团委 / 团总支 / 团支部 / 联合团支部), one page per
//! organisation with its units, cadres, members and term, and the terms ending soon.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::response::Response;
use chrono::Days;
use serde::Deserialize;
use serde_json::json;

use crate::auth::extract::{Business, ClientAddr, Committee, Require};
use crate::db::{self, audit::Event, organization::Cadre, organization::OrganizationRow};
use crate::domain::ids::UnitId;
use crate::domain::role::Role;
use crate::domain::text::parse_date_text;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::web::PathOr404;
use crate::web::flash;
use crate::web::layout::PageContext;

/// One line of the tree, indented by its depth.
pub struct TreeLine {
    pub org: OrganizationRow,
    pub depth: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "organizations/index.html")]
pub struct TreePage {
    ctx: PageContext,
    lines: Vec<TreeLine>,
    /// The level shown (zone-wide view) and the cursor of its next page.
    parent: Option<OrganizationRow>,
    next: Option<String>,
    ending: Vec<OrganizationRow>,
    ending_count: i64,
}

/// Terms ending soon shown on the tree page, the earliest first.
const ENDING_SHOWN: i64 = 50;

/// Depth-first, children by name, from the roots that are in the list.
fn tree(orgs: Vec<OrganizationRow>) -> Vec<TreeLine> {
    let ids: std::collections::HashSet<i64> = orgs.iter().map(|o| o.organization_id).collect();
    let mut children: std::collections::HashMap<Option<i64>, Vec<OrganizationRow>> =
        Default::default();
    for org in orgs {
        let parent = org.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(org);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| a.name.cmp(&b.name));
    }
    let mut out = Vec::new();
    let mut stack: Vec<(OrganizationRow, usize)> = children
        .remove(&None)
        .unwrap_or_default()
        .into_iter()
        .rev()
        .map(|o| (o, 0))
        .collect();
    while let Some((org, depth)) = stack.pop() {
        if let Some(kids) = children.remove(&Some(org.organization_id)) {
            stack.extend(kids.into_iter().rev().map(|o| (o, depth + 1)));
        }
        out.push(TreeLine { org, depth });
    }
    out
}

/// Organisations per page of one level of the tree.
const LEVEL_PAGE: i64 = 200;

#[derive(Debug, Default, Deserialize)]
pub struct TreeQuery {
    parent: Option<String>,
    after: Option<String>,
}

/// The zone's tree one level at a time (a province has hundreds of thousands of
/// organisations); a secretary's few organisations as one tree.
pub async fn show_tree(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    axum::extract::Query(query): axum::extract::Query<TreeQuery>,
) -> Result<TreePage> {
    let today = state.clock.now().date_naive();
    let (orgs, next, parent) = if matches!(user.scope, crate::domain::role::Scope::Zone) {
        let parent = match query.parent.as_deref().map(str::parse::<i64>) {
            Some(Ok(id)) => db::organization::get(&state.db, id, &user.scope).await?,
            Some(Err(_)) => None,
            None => db::organization::committee(&state.db).await?,
        };
        let Some(parent) = parent else {
            return Err(if query.parent.is_some() {
                AppError::NotFound
            } else {
                AppError::Internal(anyhow::anyhow!("the zone has no committee organisation"))
            });
        };
        let after = crate::web::members::cursor(&query.after);
        let mut kids = db::organization::children(
            &state.db,
            parent.organization_id,
            after.as_ref(),
            LEVEL_PAGE + 1,
        )
        .await?;
        let next = crate::web::next_page(&mut kids, LEVEL_PAGE, |o| {
            crate::web::encode_pair(&o.name, o.organization_id)
        });
        let mut orgs = vec![parent.clone()];
        orgs.extend(kids);
        (orgs, next, Some(parent))
    } else {
        (
            db::organization::list(&state.db, &user.scope, None, 5000).await?,
            None,
            None,
        )
    };
    Ok(TreePage {
        next,
        parent,
        lines: tree(orgs),
        ending: db::organization::terms_ending(
            &state.db,
            &user.scope,
            today,
            today + Days::new(90),
            ENDING_SHOWN,
        )
        .await?,
        ending_count: db::organization::terms_ending_count(
            &state.db,
            &user.scope,
            today,
            today + Days::new(90),
        )
        .await?,
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "organizations/show.html")]
pub struct OrganizationPage {
    ctx: PageContext,
    org: OrganizationRow,
    cadres: Vec<Cadre>,
    units: Vec<(UnitId, String)>,
    can_edit: bool,
    posts: [&'static str; 5],
}

/// The organisation if it lies in the user's scope; otherwise 404.
pub(crate) async fn open_org(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    id: i64,
) -> Result<OrganizationRow> {
    db::organization::get(&state.db, id, &user.scope)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn show_organization(
    State(state): State<AppState>,
    Require(user, ..): Require<Business>,
    ctx: PageContext,
    PathOr404(id): PathOr404<i64>,
) -> Result<OrganizationPage> {
    let org = open_org(&state, &user, id).await?;
    Ok(OrganizationPage {
        cadres: db::organization::cadres(&state.db, id).await?,
        units: db::organization::joint_units(&state.db, id).await?,
        can_edit: user.has(Role::Committee) && org.kind != "committee",
        posts: ["书记", "副书记", "组织委员", "宣传委员", "委员"],
        org,
        ctx,
    })
}

#[derive(Deserialize)]
pub struct TermForm {
    #[serde(default)]
    secretary_name: String,
    #[serde(default)]
    elected_on: String,
    #[serde(default)]
    term_years: String,
}

pub async fn update_term(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
    Form(form): Form<TermForm>,
) -> Result<Response> {
    let org = open_org(&state, &user, id).await?;
    let back = format!("/organizations/{id}");
    let years: i32 = match form.term_years.trim() {
        "2" => 2,
        "3" => 3,
        _ => {
            return Ok(flash::redirect(
                &state.settings,
                &back,
                "error",
                "任期应为2年或3年",
            ));
        }
    };
    let elected_on = match form.elected_on.trim() {
        "" => None,
        text => match parse_date_text(text) {
            Some(d) => Some(d),
            None => {
                return Ok(flash::redirect(
                    &state.settings,
                    &back,
                    "error",
                    "换届日期不是有效的日期",
                ));
            }
        },
    };
    let secretary = Some(form.secretary_name.trim()).filter(|s| !s.is_empty());
    let mut tx = state.db.begin().await?;
    if !db::organization::update_term(&mut tx, id, secretary, elected_on, years).await? {
        return Err(AppError::NotFound);
    }
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &user.actor(&address),
        Event::new("organization.updated", "organization", id)
            .before(json!({"secretary": org.secretary_name, "elected_on": org.elected_on, "term_years": org.term_years}))
            .after(json!({"secretary": secretary, "elected_on": elected_on, "term_years": years})),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect(
        &state.settings,
        &back,
        "ok",
        "已保存书记和任期。",
    ))
}

#[derive(Deserialize)]
pub struct CadreForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    post: String,
}

pub async fn add_cadre(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
    Form(form): Form<CadreForm>,
) -> Result<Response> {
    open_org(&state, &user, id).await?;
    let back = format!("/organizations/{id}");
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 30 {
        return Ok(flash::redirect(
            &state.settings,
            &back,
            "error",
            "请填写委员姓名（不超过30个字）",
        ));
    }
    if !["书记", "副书记", "组织委员", "宣传委员", "委员"].contains(&form.post.as_str())
    {
        return Ok(flash::redirect(
            &state.settings,
            &back,
            "error",
            "请选择职务",
        ));
    }
    let mut tx = state.db.begin().await?;
    let cadre = db::organization::add_cadre(&mut tx, id, name, &form.post).await?;
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &user.actor(&address),
        Event::new("organization.cadre_added", "organization", id)
            .after(json!({"cadre_id": cadre, "name": name, "post": form.post})),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect(
        &state.settings,
        &back,
        "ok",
        "已添加委员。",
    ))
}

pub async fn remove_cadre(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404((id, cadre)): PathOr404<(i64, i64)>,
) -> Result<Response> {
    open_org(&state, &user, id).await?;
    let mut tx = state.db.begin().await?;
    if !db::organization::remove_cadre(&mut tx, id, cadre).await? {
        return Err(AppError::NotFound);
    }
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &user.actor(&address),
        Event::new("organization.cadre_removed", "organization", id)
            .before(json!({"cadre_id": cadre})),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect(
        &state.settings,
        &format!("/organizations/{id}"),
        "ok",
        "已移除委员。",
    ))
}

#[derive(Deserialize)]
pub struct JointUnitForm {
    #[serde(default)]
    unit: String,
}

/// Adds a unit, by its exact name, to a 联合团支部.
pub async fn add_joint_unit(
    State(state): State<AppState>,
    Require(user, ..): Require<Committee>,
    address: ClientAddr,
    PathOr404(id): PathOr404<i64>,
    Form(form): Form<JointUnitForm>,
) -> Result<Response> {
    let org = open_org(&state, &user, id).await?;
    let back = format!("/organizations/{id}");
    if org.kind != "联合团支部" {
        return Ok(flash::redirect(
            &state.settings,
            &back,
            "error",
            "只有联合团支部可以包含多个单位",
        ));
    }
    let Some(unit) = db::unit::find_id_by_name(&state.db, &form.unit).await? else {
        return Ok(flash::redirect(
            &state.settings,
            &back,
            "error",
            &format!("找不到名为“{}”的单位", form.unit.trim()),
        ));
    };
    let mut tx = state.db.begin().await?;
    if !db::organization::add_joint_unit(&mut tx, id, unit).await? {
        return Ok(flash::redirect(
            &state.settings,
            &back,
            "error",
            "该单位已有团组织或已在其他联合团支部中",
        ));
    }
    db::audit::record(
        &mut *tx,
        state.clock.now(),
        &user.actor(&address),
        Event::new("organization.unit_added", "organization", id).after(json!({"unit_id": unit})),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect(
        &state.settings,
        &back,
        "ok",
        "已加入联合团支部。",
    ))
}

//! `serve --demo`: the bundled survey workbook imported through the normal import, and the
//! demo accounts of DESIGN.md §6. The two secretaries are scoped to two different units of
//! that workbook. The demo holds no figure of its own: every number comes from the import.
//! The seed's activities and its 2019 plan items are entered through the services.

pub mod activities;
mod assessments;
mod awards;
mod contests;
pub mod member;
pub mod plans;
mod teams;

use serde_json::json;

use crate::auth::password;
use crate::db::{self, audit::Actor, audit::Event};
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::OrganizationId;
use crate::domain::role::Role;
use crate::state::AppState;

pub const PASSWORD: &str = "demo-pass-2018";

/// The units the demo secretaries look after: two departments of the sample workbook.
pub const SECRETARY_UNIT: &str = "开发区社会事业局";
pub const SECRETARY2_UNIT: &str = "开发区生态环境局";

pub const ACCOUNTS: [(&str, &str, Role, Option<&str>); 5] = [
    ("committee", "王芳", Role::Committee, None),
    ("leader", "李强", Role::Leader, None),
    ("secretary", "梁明辉", Role::Secretary, Some(SECRETARY_UNIT)),
    (
        "secretary2",
        "黄英洋",
        Role::Secretary,
        Some(SECRETARY2_UNIT),
    ),
    ("admin", "赵敏", Role::Admin, None),
];

/// The project's own copy of the sample survey (shared/samples/survey-2018.xlsx).
pub const SURVEY_WORKBOOK: &[u8] = include_bytes!("../../demo/survey-2018.xlsx");

fn actor() -> Actor {
    Actor::system("(demo)", "local")
}

/// Creates whatever of the demo is missing: on first start the survey import, then the
/// accounts. Running it again changes nothing.
pub async fn load(state: &AppState) -> anyhow::Result<()> {
    let rounds: i64 = sqlx::query_scalar("select count(*) from survey")
        .fetch_one(&state.db)
        .await?;
    if rounds == 0 {
        crate::services::survey_import::import_survey(
            &state.db,
            SURVEY_WORKBOOK.to_vec(),
            None,
            &actor(),
            state.clock.now(),
        )
        .await
        .map_err(|e| anyhow::anyhow!("importing the demo survey: {e}"))?;
        formation_deadline(state).await?;
    }
    accounts(state).await?;
    roster(state).await?;
    activities::load(state).await?;
    assessments::load(state).await?;
    plans::load(state).await?;
    awards::load(state).await
}

/// The seed's campaign: every eligible department and community formed by 31 August 2018,
/// recorded on the imported round (which has no reporting window for the settings page
/// to keep), with its audit event as the settings page writes it.
async fn formation_deadline(state: &AppState) -> anyhow::Result<()> {
    let deadline = chrono::NaiveDate::from_ymd_opt(2018, 8, 31);
    let mut tx = state.db.begin().await?;
    let round: Option<crate::domain::ids::SurveyId> = sqlx::query_scalar(
        "update survey set formation_deadline = $1
          where survey_id = (select survey_id from survey order by as_of desc limit 1)
            and formation_deadline is null and not locked
         returning survey_id",
    )
    .bind(deadline)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(round) = round {
        db::audit::record(
            &mut *tx,
            state.clock.now(),
            &actor(),
            Event::new(AuditAction::SurveyUpdated, "survey", round)
                .after(json!({ "formation_deadline": deadline })),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A roster for every organisation whose unit reported members in the latest round and
/// that has none yet: as many synthetic people as it reported, encrypted like real ones.
pub async fn roster(state: &AppState) -> anyhow::Result<()> {
    let wanted: Vec<(OrganizationId, i64)> = sqlx::query_as(
        "select o.organization_id, e.members::bigint
           from organization o
           join survey_entry e on e.unit_id = o.unit_id
          where e.survey_id = (select survey_id from survey order by as_of desc limit 1)
            and e.members > 0
            and not exists (select 1 from member m where m.organization_id = o.organization_id)
          order by o.organization_id",
    )
    .fetch_all(&state.db)
    .await?;
    let today = state.clock.today();
    let mut index: u64 = sqlx::query_scalar::<_, i64>("select count(*) from member")
        .fetch_one(&state.db)
        .await? as u64;
    // Everyone in one statement (about 1,700 members). Synthetic IDs already registered are
    // found with one query per round and replaced until each roster is full.
    let mut tx = state.db.begin().await?;
    let mut members: Vec<crate::db::member::NewMember> = Vec::new();
    let mut short: Vec<(OrganizationId, i64)> = wanted.clone();
    while !short.is_empty() {
        let mut candidates = Vec::new();
        for (organization, count) in &short {
            let filled = members
                .iter()
                .filter(|m| m.organization_id == *organization)
                .count();
            for k in 0..*count {
                index += 1;
                let person = member::member(index, today);
                candidates.push(crate::db::member::NewMember {
                    organization_id: *organization,
                    name: person.name,
                    sex: person.resident_id.sex().label(),
                    ethnicity: person.ethnicity,
                    birth_date: person.resident_id.birth_date(),
                    phone: crate::domain::phone::Phone::parse(&person.phone),
                    resident_id: person.resident_id,
                    joined_on: person.joined_on,
                    education: Some(person.education),
                    political_status: "03",
                    league_post: (filled == 0 && k == 0).then(|| "团支部书记".to_string()),
                });
            }
        }
        let ids: Vec<&str> = candidates.iter().map(|m| m.resident_id.as_str()).collect();
        let taken = crate::db::member::registered(&mut tx, &state.keys, &ids).await?;
        let mut seen: std::collections::HashSet<String> = members
            .iter()
            .map(|m| m.resident_id.as_str().to_string())
            .collect();
        members.extend(candidates.into_iter().filter(|m| {
            !taken.contains(&state.keys.blind_index(m.resident_id.as_str()))
                && seen.insert(m.resident_id.as_str().to_string())
        }));
        short = wanted
            .iter()
            .filter_map(|&(organization, total)| {
                let have = members
                    .iter()
                    .filter(|m| m.organization_id == organization)
                    .count() as i64;
                (have < total).then_some((organization, total - have))
            })
            .collect();
    }
    crate::db::member::create_many(&mut tx, &state.keys, &members).await?;
    tx.commit().await?;
    Ok(())
}

/// The demo accounts; a secretary's unit is created by name if no import made it.
pub async fn accounts(state: &AppState) -> anyhow::Result<()> {
    let actor = actor();
    for (username, display_name, role, unit) in ACCOUNTS {
        if db::account::exists(&state.db, username).await? {
            continue;
        }
        let hash = password::hash(PASSWORD.to_string()).await?;
        let mut tx = state.db.begin().await?;
        let unit_id = match unit {
            Some(name) => Some(db::unit::ensure_named(&mut tx, name, "department").await?),
            None => None,
        };
        let id = db::account::create(
            &mut tx,
            username,
            display_name,
            &hash,
            db::account::SetBy::Owner,
        )
        .await?;
        db::account::add_role(&mut tx, id, role, unit_id).await?;
        db::audit::record(
            &mut *tx,
            state.clock.now(),
            &actor,
            Event::new(AuditAction::AccountCreated, "account", id)
                .after(json!({ "username": username, "role": role.code(), "unit_id": unit_id })),
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

pub fn accounts_notice() -> String {
    let mut text = format!("Demo accounts (password {PASSWORD}):\n");
    for (username, _, role, unit) in ACCOUNTS {
        text.push_str(&format!("  {username:<11} {}", role.label()));
        if let Some(unit) = unit {
            text.push_str(&format!("，{unit}"));
        }
        text.push('\n');
    }
    text
}

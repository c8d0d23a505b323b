//! Volunteer teams as use cases: found one hosted by a unit the user's write scope holds,
//! change it, and keep its members (roster members by name, registered youth by name and
//! mobile number); each with its audit event, a young person's phone only masked in it.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::PgPool;

use crate::crypto::Keys;
use crate::db::ResultExt;
use crate::db::audit::Event;
use crate::db::participation::Named;
use crate::db::volunteer_team::{Joiner, NAME_UNIQUE, TeamRow};
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::{UnitId, VolunteerTeamId};
use crate::domain::phone::Phone;
use crate::domain::role::Scope;
use crate::domain::volunteer_team::TeamInput;
use crate::services::{Error, Outcome, commit_audited};

/// The host unit the form names, when `scope` (the user's write scope) holds it.
async fn host(db: &PgPool, scope: &Scope, input: &TeamInput) -> Outcome<UnitId> {
    match crate::db::unit::find_id_by_name(db, &input.unit_name).await? {
        Some(unit) if scope.holds(unit) => Ok(unit),
        Some(_) => Err(Error::refused(format!(
            "依托单位：“{}”不在您管理的范围内",
            input.unit_name
        ))),
        None => Err(Error::refused(format!(
            "依托单位：没有名为“{}”的单位，请填写单位全称",
            input.unit_name
        ))),
    }
}

fn name_taken(input: &TeamInput) -> Error {
    Error::refused(format!("队伍名称：已有名为“{}”的志愿服务队", input.name))
}

/// Founds a team; returns its id. Refused when the host unit is unknown or outside
/// `scope`, or the name is taken.
pub async fn create(
    db: &PgPool,
    actor: &Actor,
    scope: &Scope,
    input: &TeamInput,
    now: DateTime<Utc>,
) -> Outcome<VolunteerTeamId> {
    let unit = host(db, scope, input).await?;
    let mut tx = db.begin().await?;
    let id = crate::db::volunteer_team::create(&mut tx, input, unit, actor.account_id)
        .await
        .on_constraint(NAME_UNIQUE, || name_taken(input))?;
    commit_audited(
        tx,
        now,
        actor,
        Event::new(AuditAction::VolunteerTeamCreated, "volunteer_team", id)
            .after(json!({ "team": input, "unit_id": unit })),
    )
    .await?;
    Ok(id)
}

/// Changes a team's fields, its host within `scope`.
pub async fn update(
    db: &PgPool,
    actor: &Actor,
    scope: &Scope,
    before: &TeamRow,
    input: &TeamInput,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let unit = host(db, scope, input).await?;
    let mut tx = db.begin().await?;
    let id = before.volunteer_team_id;
    if !crate::db::volunteer_team::update(&mut tx, id, input, unit)
        .await
        .on_constraint(NAME_UNIQUE, || name_taken(input))?
    {
        return Err(Error::refused("该志愿服务队已不存在"));
    }
    commit_audited(
        tx,
        now,
        actor,
        Event::new(AuditAction::VolunteerTeamUpdated, "volunteer_team", id)
            .before(json!(before))
            .after(json!({ "team": input, "unit_id": unit })),
    )
    .await
}

/// Who joins, as the team page's forms give them: a roster member's name (looked up in
/// the roster the user keeps), or a young person's name and mobile number.
pub enum Joining<'a> {
    Member { name: &'a str },
    Person { name: &'a str, phone: &'a str },
}

/// Adds someone to a team as of `joined_on`.
pub async fn add_member(
    db: &PgPool,
    keys: &Keys,
    actor: &Actor,
    (team, scope): (&TeamRow, &Scope),
    joining: Joining<'_>,
    joined_on: NaiveDate,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let (name, phone) = match joining {
        Joining::Member { name } => (crate::domain::name::normalize_name(name), None),
        Joining::Person { name, phone } => {
            let Some(phone) = Phone::parse(phone).filter(Phone::is_mobile) else {
                return Err(Error::refused("手机号：请填写11位手机号码"));
            };
            (crate::domain::name::normalize_name(name), Some(phone))
        }
    };
    if name.is_empty() || name.chars().count() > 40 {
        return Err(Error::refused("姓名：请填写（不超过40个字）"));
    }
    let joiner = match &phone {
        Some(phone) => Joiner::Person { name: &name, phone },
        None => {
            match crate::db::participation::members_named(db, scope, std::slice::from_ref(&name))
                .await?[..]
            {
                [Named::One(member)] => Joiner::Member(member),
                [Named::Several] => {
                    return Err(Error::refused(format!(
                        "名册中有多名“{name}”，请核对后由团工委添加"
                    )));
                }
                _ => {
                    return Err(Error::refused(format!(
                        "您管理的团员名册中没有“{name}”；不是团员的青年请按青年添加"
                    )));
                }
            }
        }
    };
    let id = team.volunteer_team_id;
    let mut tx = db.begin().await?;
    if !crate::db::volunteer_team::add_member(&mut tx, keys, id, &joiner, joined_on).await? {
        return Err(Error::refused(format!("“{name}”已是本队队员")));
    }
    let after = match &joiner {
        Joiner::Member(member) => json!({ "member_id": member }),
        Joiner::Person { name, phone } => json!({ "name": name, "phone": phone.masked() }),
    };
    commit_audited(
        tx,
        now,
        actor,
        Event::new(AuditAction::VolunteerTeamMemberAdded, "volunteer_team", id).after(after),
    )
    .await
}

/// Takes someone off a team.
pub async fn remove_member(
    db: &PgPool,
    actor: &Actor,
    team: &TeamRow,
    team_member: i64,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let id = team.volunteer_team_id;
    let mut tx = db.begin().await?;
    if !crate::db::volunteer_team::remove_member(&mut tx, id, team_member).await? {
        return Err(Error::refused("该队员已不在本队"));
    }
    commit_audited(
        tx,
        now,
        actor,
        Event::new(
            AuditAction::VolunteerTeamMemberRemoved,
            "volunteer_team",
            id,
        )
        .before(json!({ "volunteer_team_member_id": team_member })),
    )
    .await
}

//! The roster's use cases: registering, changing and deleting a member, 超龄离团, the
//! yearly evaluation (评议) and registration (团籍注册). Each writes the member rows, their
//! history where there is one, and the audit event in one transaction. The audit log keeps
//! masked personal numbers only.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::PgPool;

use crate::crypto::Keys;
use crate::db::audit::Event;
use crate::db::member::{MemberRow, NewMember};
use crate::db::{self, ResultExt, member_evaluation as evaluation};
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::{MemberId, OrganizationId};
use crate::domain::member::State as MemberState;
use crate::services::{Error, Outcome};

/// Registers a new member of an organisation; refused when the resident ID is registered
/// already (the blind index is unique). Returns the member's id.
pub async fn register(
    db: &PgPool,
    keys: &Keys,
    actor: &Actor,
    member: &NewMember,
    now: DateTime<Utc>,
) -> Outcome<MemberId> {
    let mut tx = db.begin().await?;
    let member_id = db::member::create(&mut tx, keys, member)
        .await
        .on_constraint(db::member::RESIDENT_ID_UNIQUE, || {
            Error::refused("身份证号码：该号码已登记为团员，不能重复登记（如需转入请办理接转）")
        })?;
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::MemberCreated, "member", member_id).after(json!({
            "organization_id": member.organization_id,
            "name": member.name,
            "resident_id": member.resident_id.masked(),
            "phone": member.phone.as_ref().map(|p| p.masked()),
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(member_id)
}

/// Replaces a member's data; refused when the new resident ID belongs to another member.
pub async fn update(
    db: &PgPool,
    keys: &Keys,
    actor: &Actor,
    before: &MemberRow,
    after: &NewMember,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let id = before.member_id;
    let mut tx = db.begin().await?;
    db::member::update(&mut tx, keys, id, after)
        .await
        .on_constraint(db::member::RESIDENT_ID_UNIQUE, || {
            Error::refused("该身份证号码已登记为其他团员")
        })?;
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::MemberUpdated, "member", id)
            .before(json!({
                "name": before.name,
                "resident_id": before.resident_id_masked,
                "league_post": before.league_post,
            }))
            .after(json!({
                "name": after.name,
                "resident_id": after.resident_id.masked(),
                "league_post": after.league_post,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a member's record (a registration made in error); refused when it is gone.
pub async fn delete(
    db: &PgPool,
    actor: &Actor,
    member: &MemberRow,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let id = member.member_id;
    let mut tx = db.begin().await?;
    if !db::member::delete(&mut tx, id).await? {
        return Err(Error::refused("该团员记录已不存在"));
    }
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::MemberDeleted, "member", id).before(json!({
            "name": member.name,
            "organization_id": member.organization_id,
            "resident_id": member.resident_id_masked,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// 超龄离团: a member of 28 or more without a league post leaves (团章 第一条; with a post,
/// membership lasts until the post ends). Refused otherwise, or when no longer active.
pub async fn age_out(
    db: &PgPool,
    actor: &Actor,
    member: &MemberRow,
    (now, today): (DateTime<Utc>, NaiveDate),
) -> Outcome<()> {
    if member.age_on(today) < 28 || member.league_post.is_some() {
        return Err(Error::refused(
            "只有年满28周岁且未担任团内职务的团员才能办理超龄离团",
        ));
    }
    let id = member.member_id;
    let mut tx = db.begin().await?;
    if !db::member::age_out(&mut tx, id, actor, now).await? {
        return Err(Error::refused("该团员已不在团，无需办理"));
    }
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::MemberAgedOut, "member", id)
            .before(json!({"state": MemberState::Active}))
            .after(json!({"state": MemberState::AgedOut})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Saves an organisation's grades for `year` (None clears one) under a lock on the
/// organisation, so that two saves at once cannot pass the 优秀 cap together. Refused once
/// the year is registered, or over the cap, with the numbers. Returns how many were written.
pub async fn grade(
    db: &PgPool,
    actor: &Actor,
    (organization, year): (OrganizationId, i32),
    grades: &[(MemberId, Option<&str>)],
    now: DateTime<Utc>,
) -> Outcome<u64> {
    let mut tx = db.begin().await?;
    let (registered, members) = evaluation::lock(&mut tx, organization, year).await?;
    if registered {
        return Err(Error::refused(format!(
            "{year}年度已办理团籍注册，评议结果不能再修改"
        )));
    }
    let by = actor.account_id.ok_or_else(|| Error::refused("请先登录"))?;
    let written = evaluation::save(&mut tx, organization, year, grades, by, now).await?;
    // The cap holds for what is stored, these grades and earlier ones together; over it,
    // the transaction is dropped and nothing is written.
    let excellent = evaluation::excellent_count(&mut tx, organization, year).await?;
    if excellent > evaluation::excellent_cap(members) {
        return Err(Error::refused(format!(
            "优秀比例不能超过30%：本团组织共{members}名团员，优秀最多{}名，现评了{excellent}名",
            evaluation::excellent_cap(members)
        )));
    }
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::MemberEvaluated, "organization", organization)
            .after(json!({ "year": year, "graded": written, "excellent": excellent })),
    )
    .await?;
    tx.commit().await?;
    Ok(written)
}

/// 团籍注册 for `year`: every active member must be graded first; 基本合格 or better are
/// registered, 不合格 are not. Returns (registered, not registered).
pub async fn register_year(
    db: &PgPool,
    actor: &Actor,
    (organization, year): (OrganizationId, i32),
    now: DateTime<Utc>,
) -> Outcome<(u64, i64)> {
    let mut tx = db.begin().await?;
    evaluation::lock(&mut tx, organization, year).await?;
    let ungraded = evaluation::roster(&mut *tx, organization, year)
        .await?
        .iter()
        .filter(|r| r.grade.is_none())
        .count();
    if ungraded > 0 {
        return Err(Error::refused(format!(
            "还有{ungraded}名团员未评议，评议完成后才能办理团籍注册"
        )));
    }
    let (registered, failed) = evaluation::register(&mut tx, organization, year, now).await?;
    if registered == 0 {
        return Err(Error::refused("没有需要注册的团员（可能已经注册过了）"));
    }
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::MemberRegistered, "organization", organization)
            .after(json!({ "year": year, "registered": registered, "not_registered": failed })),
    )
    .await?;
    tx.commit().await?;
    Ok((registered, failed))
}

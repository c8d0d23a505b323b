//! Cadre assessment as use cases: set a year's components and weights (until its first
//! result), and record a cadre's result — score and grade computed, an explicit grade only
//! lower and explained, and the year's 优秀 cap checked inside the transaction under the
//! year's lock, so that two submissions at once cannot pass it together.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;

use crate::db::assessment::{self as store, Entry};
use crate::db::audit::Event;
use crate::domain::actor::Actor;
use crate::domain::assessment::{
    EntryInput, Grade, Weights, decide_grade, excellent_cap, score_tenths, score_text,
};
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::AccountId;
use crate::services::{Error, Outcome, commit_audited};

/// Sets the year's components, weights and 优秀 cap. Refused once the year has a result,
/// so that every result of a year was computed with the same weights.
pub async fn set_weights(
    db: &PgPool,
    actor: &Actor,
    year: i32,
    weights: &Weights,
    now: DateTime<Utc>,
) -> Outcome<()> {
    let mut tx = db.begin().await?;
    let before = store::setting(&mut *tx, year).await?;
    store::lock_year(&mut tx, year, weights, actor.account_id, now).await?;
    let (results, _) = store::counts(&mut *tx, year).await?;
    if results > 0 {
        return Err(Error::refused(format!(
            "{year}年度已有{results}名干部的考核结果，考核项目和权重不能再修改"
        )));
    }
    store::update_year(&mut tx, year, weights, actor.account_id, now).await?;
    commit_audited(
        tx,
        now,
        actor,
        Event::new(AuditAction::AssessmentWeightsSet, "assessment_year", year)
            .before(json!(before))
            .after(json!(weights)),
    )
    .await
}

/// What a recorded result came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    pub score_tenths: i32,
    pub grade: Grade,
}

/// Records `account`'s result for `year` (replacing an earlier one). The year takes the
/// default weights if it has none yet. Refused when the account is no cadre of the year,
/// when the form was filled against other components, when the explicit grade is higher
/// than the score earns or unexplained, or when the year's 优秀 would exceed the cap —
/// nothing is written then.
pub async fn record(
    db: &PgPool,
    actor: &Actor,
    (year, account): (i32, AccountId),
    entry: &EntryInput,
    now: DateTime<Utc>,
) -> Outcome<Recorded> {
    let mut tx = db.begin().await?;
    let setting =
        store::lock_year(&mut tx, year, &Weights::default(), actor.account_id, now).await?;
    let Some(cadre) = store::cadre(&mut *tx, year, account).await? else {
        return Err(Error::refused("该账户不是团干部，不能考核"));
    };
    if entry.scores.len() != setting.components.len() {
        return Err(Error::refused(
            "本年度的考核项目已变更，请刷新页面后重新填写",
        ));
    }
    let score = score_tenths(&entry.scores, &setting.weights);
    let computed = Grade::from_score(score);
    let grade = decide_grade(computed, entry.grade, &entry.reason).map_err(Error::refused)?;
    let reason = if grade == computed {
        ""
    } else {
        entry.reason.as_str()
    };
    let result = Entry {
        year,
        account,
        name: &cadre.name,
        post: &cadre.post,
        scores_tenths: &entry.scores,
        score_tenths: score,
        computed_grade: computed,
        grade,
        reason,
    };
    store::save(&mut tx, &result, actor.account_id, now).await?;
    // The cap holds for what is stored, this result and the year's others together; over
    // it, the transaction is dropped and nothing is written.
    let (results, excellent) = store::counts(&mut *tx, year).await?;
    let cap = excellent_cap(results, setting.excellent_percent);
    if excellent > cap {
        return Err(Error::refused(format!(
            "优秀比例不能超过{percent}%：{year}年度共考核{results}名干部，优秀最多{cap}名，\
             本次保存后将有{excellent}名，未保存",
            percent = setting.excellent_percent
        )));
    }
    commit_audited(
        tx,
        now,
        actor,
        Event::new(AuditAction::AssessmentRecorded, "account", account)
            .before(json!(cadre))
            .after(json!({
                "year": year,
                "scores_tenths": entry.scores,
                "score": score_text(score),
                "computed_grade": computed.label(),
                "grade": grade.label(),
                "grade_reason": reason,
            })),
    )
    .await?;
    Ok(Recorded {
        score_tenths: score,
        grade,
    })
}

//! Importing an activity's sign-in sheet (签到表) into its participants: every row checked
//! by `import::signin`, a name that is exactly one active member of the roster the user
//! keeps taken as that member and anyone else as a young person with their phone, people
//! already taking part given the sheet's hours — all in one transaction with one audit
//! event (counts only, no phone), or, on any fault, nothing.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;

use crate::clock::Clock;
use crate::crypto::Keys;
use crate::db::activity::ActivityRow;
use crate::db::audit::Event;
use crate::db::participation::{Entry, Existing, Named, Who, put};
use crate::domain::activity::Kind;
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::MemberId;
use crate::domain::participation::{Role, span_tenths};
use crate::domain::role::Scope;
use crate::domain::workbook::{Fault, ImportError};
use crate::import::signin;
use crate::services::{Error, Outcome};

/// What an import did, or the faults that stopped it.
#[derive(Debug)]
pub enum Imported {
    Done {
        /// The worksheet read.
        sheet: String,
        members_added: usize,
        youth_added: usize,
        /// People who took part already: their hours were set from the sheet.
        updated: usize,
    },
    Faults(Vec<Fault>),
    /// Several visible worksheets have a sign-in header and none was chosen.
    Choose(Vec<String>),
}

/// Reads `bytes` (off the async runtime) from the worksheet `sheet` or the only one with a
/// sign-in header, and records its people on `activity`.
pub async fn import(
    db: &PgPool,
    keys: &Keys,
    clock: &Clock,
    actor: &Actor,
    (activity, scope): (&ActivityRow, &Scope),
    (bytes, sheet): (Vec<u8>, Option<String>),
    now: DateTime<Utc>,
) -> Outcome<Imported> {
    let chosen = sheet.is_some();
    let span = span_tenths(activity.starts_at, activity.ends_at);
    let day = clock.local(activity.starts_at).date_naive();
    let zone = clock.clone();
    let read = tokio::task::spawn_blocking(move || {
        let instant = |local| zone.instant_of(local);
        let activity = signin::Activity {
            day,
            span,
            instant: &instant,
        };
        signin::read_sheet(&bytes, sheet.as_deref(), &activity)
    })
    .await
    .map_err(|_| Error::refused("读取签到表时出错，请重新上传"))?;
    let signin::SigninRead {
        lines,
        mut faults,
        sheet,
        candidates,
    } = match read {
        Ok(read) => read,
        Err(ImportError::Database(e)) => return Err(e.into()),
        Err(e) => return Err(Error::refused(e.to_string())),
    };
    if candidates.len() > 1 && !chosen {
        return Ok(Imported::Choose(candidates));
    }
    // Which rows are members: one active member of that name in the user's roster.
    let names: Vec<String> = lines.iter().map(|l| l.name.clone()).collect();
    let named = crate::db::participation::members_named(db, scope, &names).await?;
    let mut rows_of: HashMap<MemberId, u32> = HashMap::new();
    let default_role = match activity.kind {
        Kind::Volunteer => Role::Volunteer,
        _ => Role::Other,
    };
    let mut entries = Vec::with_capacity(lines.len());
    for (line, named) in lines.iter().zip(named) {
        let who = match named {
            Named::One(member) => {
                if let Some(first) = rows_of.insert(member, line.row) {
                    faults.push(Fault {
                        row: line.row,
                        column: "姓名".into(),
                        reason: format!("与第{first}行是同一名团员"),
                        value: line.name.clone(),
                    });
                }
                Who::Member(member)
            }
            Named::None | Named::Several => Who::Person {
                name: &line.name,
                phone: &line.phone,
                unit: &line.unit,
            },
        };
        entries.push(Entry {
            who,
            role: line.role.unwrap_or(default_role),
            hours: line.hours,
        });
    }
    if !faults.is_empty() {
        faults.sort_by_key(|f| f.row);
        return Ok(Imported::Faults(faults));
    }
    let mut tx = db.begin().await?;
    let added = put(
        &mut tx,
        keys,
        activity.activity_id,
        &entries,
        Existing::SetHours,
    )
    .await?;
    let count = |member: bool| {
        entries
            .iter()
            .zip(&added)
            .filter(|(e, added)| added.is_some() && matches!(e.who, Who::Member(_)) == member)
            .count()
    };
    let (members_added, youth_added) = (count(true), count(false));
    let updated = added.iter().filter(|a| a.is_none()).count();
    super::commit_audited(
        tx,
        now,
        actor,
        Event::new(
            AuditAction::ActivityParticipantsImported,
            "activity",
            activity.activity_id,
        )
        .after(json!({
            "sheet": sheet,
            "rows": lines.len(),
            "members_added": members_added,
            "youth_added": youth_added,
            "updated": updated,
        })),
    )
    .await?;
    Ok(Imported::Done {
        sheet,
        members_added,
        youth_added,
        updated,
    })
}

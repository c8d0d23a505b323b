//! Importing a roster workbook (团员名册) into an organisation: every line checked by the
//! member form's own rules (`domain::member`), duplicates within the file and against the
//! zone found through the blind index, and all members written in one statement with the
//! audit event — or, on any fault, none. Personal numbers are never echoed in a fault.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::PgPool;

use crate::crypto::Keys;
use crate::db::audit::Event;
use crate::db::{self, ResultExt};
use crate::domain::actor::Actor;
use crate::domain::audit::Action as AuditAction;
use crate::domain::ids::OrganizationId;
use crate::domain::member::{Admission, NewMember, joined_under_fourteen};
use crate::domain::name::normalize_name_noting;
use crate::domain::workbook::{Fault, ImportError};
use crate::import::roster::{self, RosterLine};
use crate::services::{Error, Outcome};

/// What an import did: the members added, with the rows of those who joined before 14
/// (kept as on record, and marked on the member) and of the names whose dot between parts
/// was read as the middle dot (`domain::name`), or the faults that stopped it.
#[derive(Debug)]
pub enum Imported {
    Added {
        /// The worksheet read.
        sheet: String,
        count: usize,
        joined_young: Vec<u32>,
        dots_read: Vec<u32>,
    },
    Faults(Vec<Fault>),
    /// Several visible worksheets have a roster header and none was chosen: nothing was
    /// written; the person picks one of these.
    Choose(Vec<String>),
}

fn fault(line: &RosterLine, column: &str, reason: String) -> Fault {
    Fault {
        row: line.row,
        column: column.to_string(),
        reason,
        value: line.value_of(column),
    }
}

/// Reads `bytes` (off the async runtime), from the worksheet `sheet` or the only one with a
/// roster header, and imports its members into `organization`. Refused when the file
/// cannot be read as a roster, with the reason.
pub async fn import(
    db: &PgPool,
    keys: &Keys,
    actor: &Actor,
    organization: OrganizationId,
    (bytes, sheet): (Vec<u8>, Option<String>),
    (now, today): (DateTime<Utc>, NaiveDate),
) -> Outcome<Imported> {
    let chosen = sheet.is_some();
    let read = tokio::task::spawn_blocking(move || roster::read_sheet(&bytes, sheet.as_deref()))
        .await
        .map_err(|_| Error::refused("读取名册时出错，请重新上传"))?;
    let roster::RosterRead {
        lines,
        mut faults,
        sheet,
        candidates,
    } = match read {
        Ok(read) => read,
        Err(ImportError::Unreadable(message)) => return Err(Error::refused(message)),
        Err(ImportError::Database(e)) => return Err(e.into()),
        Err(e) => return Err(Error::refused(e.to_string())),
    };
    if candidates.len() > 1 && !chosen {
        return Ok(Imported::Choose(candidates));
    }
    let mut members: Vec<(u32, NewMember)> = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    for line in &lines {
        match line
            .input(today)
            .check_as(Admission::OnRecord, organization, today)
        {
            Ok(member) => match seen.insert(member.resident_id.as_str().to_string(), line.row) {
                Some(first) => faults.push(fault(line, "身份证号码", format!("与第{first}行重复"))),
                None => members.push((line.row, member)),
            },
            Err(errors) => {
                // A blank sex is read from the resident ID: when that is wrong, one fault;
                // a 入团年月 that `roster::read` refused has its fault already.
                let id_wrong = errors.names("身份证号码");
                let said = |column: &str| match column {
                    "性别" => id_wrong && line.sex.is_empty(),
                    "入团年月" => line.joined_on_refused,
                    _ => false,
                };
                faults.extend(
                    errors
                        .into_iter()
                        .filter(|(column, _)| !said(column))
                        .map(|(column, reason)| fault(line, column, reason)),
                )
            }
        }
    }
    let mut tx = db.begin().await?;
    let ids: Vec<&str> = members
        .iter()
        .map(|(_, m)| m.resident_id.as_str())
        .collect();
    let registered = db::member::registered(&mut tx, keys, &ids).await?;
    for (row, member) in &members {
        if registered.contains(&keys.blind_index(member.resident_id.as_str())) {
            faults.push(Fault {
                row: *row,
                column: "身份证号码".into(),
                reason: "该号码已登记为团员，不能重复登记（如需转入请办理组织关系接转）".into(),
                value: String::new(),
            });
        }
    }
    if !faults.is_empty() {
        faults.sort_by_key(|f| f.row);
        return Ok(Imported::Faults(faults));
    }
    let joined_young: Vec<u32> = members
        .iter()
        .filter(|(_, m)| joined_under_fourteen(m.birth_date, m.joined_on))
        .map(|(row, _)| *row)
        .collect();
    let dots_read: Vec<u32> = lines
        .iter()
        .filter(|line| normalize_name_noting(&line.name).1)
        .map(|line| line.row)
        .collect();
    let new: Vec<NewMember> = members.into_iter().map(|(_, m)| m).collect();
    let added = db::member::create_many(&mut tx, keys, &new)
        .await
        .on_constraint(db::member::RESIDENT_ID_UNIQUE, || {
            Error::refused("导入期间有人登记了其中的团员，请重新导入")
        })?
        .len();
    db::audit::record(
        &mut *tx,
        now,
        actor,
        Event::new(AuditAction::MemberImported, "organization", organization)
            .after(json!({ "rows": added, "joined_under_14": joined_young })),
    )
    .await?;
    tx.commit().await?;
    Ok(Imported::Added {
        sheet,
        count: added,
        joined_young,
        dots_read,
    })
}

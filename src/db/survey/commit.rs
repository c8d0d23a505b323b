//! The set-based commit of a checked survey workbook into a round, inside the caller's
//! transaction; what it changed is `CommitStats`.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use super::{CommitStats, FigureChange};
use crate::domain::application::State as ApplicationState;
use crate::domain::ids::SurveyId;
use crate::domain::organization::Kind as OrganizationKind;
use crate::domain::survey::{Approval, SurveySheet};
use crate::domain::workbook::{Fault, ImportError};

/// Writes a checked workbook as the round as of `as_of`: units created or updated
/// (matched by credit code, else by name), the round's entries, organisations and
/// submitted applications. Set-based, inside the caller's transaction; rows that would
/// not change are not touched. Returns what changed, against the round's own entries or,
/// for a new round, the previous round's.
pub async fn commit(
    tx: &mut PgConnection,
    sheet: &SurveySheet,
    as_of: NaiveDate,
    now: DateTime<Utc>,
) -> Result<CommitStats, ImportError> {
    let mut changed = 0u64;
    let existing: Option<(SurveyId, bool)> =
        sqlx::query_as("select survey_id, locked from survey where as_of = $1 for update")
            .bind(as_of)
            .fetch_optional(&mut *tx)
            .await?;
    let new_round = existing.is_none();
    let survey_id = match existing {
        Some((_, true)) => return Err(ImportError::Locked(as_of)),
        Some((id, false)) => id,
        None => {
            changed += 1;
            let title = if sheet.title.is_empty() {
                format!("截止{}团员青年摸排", as_of.format("%Y年%-m月%-d日"))
            } else {
                sheet.title.clone()
            };
            sqlx::query_scalar(
                "insert into survey (title, as_of) values ($1, $2) returning survey_id",
            )
            .bind(title)
            .bind(as_of)
            .fetch_one(&mut *tx)
            .await?
        }
    };

    sqlx::query(
        "create temp table import_row (
            line int not null, name text not null, kind text not null, credit_code text,
            status text, staff int, youth int not null, members int not null,
            org_name text, org_kind text, approval text, approved_on date,
            contact text, phone text, unit_id bigint
         ) on commit drop",
    )
    .execute(&mut *tx)
    .await?;
    let rows = &sheet.rows;
    let approval = |a: Option<Approval>| match a {
        Some(Approval::Approved) => Some("approved"),
        Some(Approval::Applied) => Some("applied"),
        Some(Approval::NotApplied) => Some("not_applied"),
        None => None,
    };
    sqlx::query(
        "insert into import_row (line, name, kind, credit_code, status, staff, youth, members,
                                 org_name, org_kind, approval, approved_on, contact, phone)
         select * from unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[],
                              $7::int[], $8::int[], $9::text[], $10::text[], $11::text[],
                              $12::date[], $13::text[], $14::text[])",
    )
    .bind(rows.iter().map(|r| r.line as i32).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.kind.code()).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|r| r.credit_code.clone())
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|r| r.status).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|r| r.staff.map(|n| n as i32))
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|r| r.youth as i32).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.members as i32).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|r| r.organization.as_ref().map(|o| o.0.clone()))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|r| r.organization.as_ref().map(|o| o.1))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|r| approval(r.approval))
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|r| r.approved_on).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.contact.clone()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.phone.clone()).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;

    // Match: by credit code, else by name.
    sqlx::query(
        "update import_row r set unit_id = u.unit_id from unit u
          where r.credit_code is not null and u.credit_code = r.credit_code",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "update import_row r set unit_id = u.unit_id from unit u
          where r.unit_id is null and u.name = r.name",
    )
    .execute(&mut *tx)
    .await?;
    let similar = super::similar::match_normalised(&mut *tx).await?;
    let conflicts: Vec<(i32, String)> = sqlx::query_as(
        "select r.line, r.name from import_row r
           join unit u on u.name = r.name and u.unit_id <> r.unit_id
         union
         select r.line, r.name from import_row r
          where r.unit_id in (select unit_id from import_row where unit_id is not null
                               group by unit_id having count(*) > 1)
         order by 1",
    )
    .fetch_all(&mut *tx)
    .await?;
    if !conflicts.is_empty() {
        return Err(ImportError::Faults(
            conflicts
                .into_iter()
                .map(|(line, name)| Fault {
                    row: line as u32,
                    column: "单位名称".into(),
                    reason: "系统中已有同名单位，但统一社会信用代码不同，请核对".into(),
                    value: name,
                })
                .collect(),
        ));
    }

    let new_units: i64 =
        sqlx::query_scalar("select count(*) from import_row where unit_id is null")
            .fetch_one(&mut *tx)
            .await?;
    let compared: Option<SurveyId> = if new_round {
        sqlx::query_scalar(
            "select survey_id from survey where as_of < $1 order by as_of desc limit 1",
        )
        .bind(as_of)
        .fetch_optional(&mut *tx)
        .await?
    } else {
        Some(survey_id)
    };
    let changes: Vec<FigureChange> = sqlx::query_as(
        "select r.line, r.name, e.staff as staff_before, r.staff as staff_after,
                e.youth as youth_before, r.youth as youth_after,
                e.members as members_before, r.members as members_after
           from import_row r
           join survey_entry e on e.unit_id = r.unit_id and e.survey_id = $1
          where (e.staff, e.youth, e.members) is distinct from (r.staff, r.youth, r.members)
          order by r.line",
    )
    .bind(compared)
    .fetch_all(&mut *tx)
    .await?;

    changed += sqlx::query(
        "update unit u
            set kind = r.kind, name = r.name, credit_code = coalesce(r.credit_code, u.credit_code),
                status = r.status, staff = r.staff,
                contact_person = coalesce(r.contact, u.contact_person),
                contact_phone = coalesce(r.phone, u.contact_phone)
           from import_row r
          where u.unit_id = r.unit_id
            and (u.kind, u.name, u.credit_code, u.status, u.staff, u.contact_person, u.contact_phone)
                is distinct from
                (r.kind, r.name, coalesce(r.credit_code, u.credit_code), r.status, r.staff,
                 coalesce(r.contact, u.contact_person), coalesce(r.phone, u.contact_phone))",
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    changed += sqlx::query(
        "insert into unit (kind, name, credit_code, status, staff, contact_person, contact_phone)
         select kind, name, credit_code, status, staff, contact, phone from import_row
          where unit_id is null order by line",
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query(
        "update import_row r set unit_id = u.unit_id from unit u where r.unit_id is null and u.name = r.name",
    )
    .execute(&mut *tx)
    .await?;

    changed += sqlx::query(
        "insert into survey_entry (survey_id, unit_id, status, staff, youth, members, reported_at)
         select $1, unit_id, status, staff, youth, members, $2 from import_row
         on conflict (survey_id, unit_id) do update
            set status = excluded.status, staff = excluded.staff, youth = excluded.youth,
                members = excluded.members, reported_at = excluded.reported_at, reported_by = null
          where (survey_entry.status, survey_entry.staff, survey_entry.youth, survey_entry.members)
                is distinct from (excluded.status, excluded.staff, excluded.youth, excluded.members)",
    )
    .bind(survey_id)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();

    changed += sqlx::query(
        "update organization o
            set name = r.org_name, kind = r.org_kind,
                approved_on = coalesce(r.approved_on, o.approved_on),
                established_on = coalesce(o.established_on, r.approved_on)
           from import_row r
          where r.org_name is not null and o.unit_id = r.unit_id
            and (o.name, o.kind, o.approved_on, o.established_on) is distinct from
                (r.org_name, r.org_kind, coalesce(r.approved_on, o.approved_on),
                 coalesce(o.established_on, r.approved_on))",
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    changed += sqlx::query(
        "insert into organization (parent_id, kind, name, unit_id, approved_on, established_on)
         select (select organization_id from organization where kind = 'committee'),
                r.org_kind, r.org_name, r.unit_id, r.approved_on, r.approved_on
           from import_row r
          where r.org_name is not null
            and not exists (select 1 from organization o where o.unit_id = r.unit_id)
          order by r.line",
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();

    changed += sqlx::query(
        "with new_application as (
            insert into formation_application
                   (unit_id, state, proposed_name, proposed_kind, member_count, youth_count, submitted_at)
            select r.unit_id, $3, r.name || '团支部', $4, r.members, r.youth,
                   $1::date::timestamptz
              from import_row r
             where r.approval = 'applied' and r.org_name is null
               and not exists (select 1 from organization o where o.unit_id = r.unit_id)
               and not exists (select 1 from formation_application a where a.unit_id = r.unit_id
                                  and a.state <> $5)
             order by r.line
            returning formation_application_id
         )
         insert into formation_application_event
                (formation_application_id, from_state, to_state, actor_name, note, occurred_at)
         select formation_application_id, null, $3, '摸排导入', '由摸排统计表导入（批复状态：已申请）', $2
           from new_application",
    )
    .bind(as_of)
    .bind(now)
    .bind(ApplicationState::Submitted)
    .bind(OrganizationKind::Branch)
    .bind(ApplicationState::Rejected)
    .execute(&mut *tx)
    .await?
    .rows_affected();

    Ok(CommitStats {
        survey_id,
        changed,
        new_round,
        new_units,
        compared,
        changes,
        similar,
    })
}

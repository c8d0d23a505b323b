//! Survey rounds and their entries: the set-based commit of an imported workbook, and the
//! dashboard's figures for a round in one query.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use crate::domain::ids::SurveyId;
use crate::import::survey::{Approval, SurveySheet};
use crate::import::{Fault, ImportError};

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct SurveyRow {
    pub survey_id: SurveyId,
    pub title: String,
    pub as_of: NaiveDate,
    pub formation_deadline: Option<NaiveDate>,
    pub locked: bool,
}

/// Rounds, newest first.
pub async fn list(db: &PgPool) -> sqlx::Result<Vec<SurveyRow>> {
    sqlx::query_as(
        "select survey_id, title, as_of, formation_deadline, locked from survey order by as_of desc",
    )
    .fetch_all(db)
    .await
}

/// The round asked for, or the latest.
pub async fn get_or_latest(db: &PgPool, id: Option<SurveyId>) -> sqlx::Result<Option<SurveyRow>> {
    sqlx::query_as(
        "select survey_id, title, as_of, formation_deadline, locked from survey
          where $1::bigint is null or survey_id = $1
          order by as_of desc limit 1",
    )
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The figures of DESIGN.md §6 for one round, with the keys the API promises.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct Summary {
    pub as_of: NaiveDate,
    pub enterprises_operating: i64,
    pub enterprises_total: i64,
    pub departments: i64,
    pub communities: i64,
    pub members: i64,
    pub youth: i64,
    pub enterprises_with_members: i64,
    pub enterprises_with_organization: i64,
    pub departments_communities_approved: i64,
    pub departments_communities_pending: i64,
    pub eligible_without_organization: i64,
    /// Units with 3 or more members, and how many of them have an organisation.
    #[serde(skip)]
    pub eligible: i64,
    #[serde(skip)]
    pub eligible_with_organization: i64,
}

/// One query for the whole round: entries joined with the live organisations and
/// applications.
pub async fn summary(db: &PgPool, survey: SurveyId) -> sqlx::Result<Summary> {
    sqlx::query_as(
        "with e as (
            select u.kind, e.status, e.youth, e.members,
                   o.organization_id is not null as has_org,
                   a.formation_application_id is not null as pending
              from survey_entry e
              join unit u using (unit_id)
              left join organization o on o.unit_id = e.unit_id
              left join formation_application a
                     on a.unit_id = e.unit_id and a.state in ('submitted', 'resubmitted')
             where e.survey_id = $1
         )
         select (select as_of from survey where survey_id = $1) as as_of,
                count(*) filter (where kind = 'enterprise' and status = '运行') as enterprises_operating,
                count(*) filter (where kind = 'enterprise') as enterprises_total,
                count(*) filter (where kind = 'department') as departments,
                count(*) filter (where kind = 'community') as communities,
                coalesce(sum(members), 0)::bigint as members,
                coalesce(sum(youth), 0)::bigint as youth,
                count(*) filter (where kind = 'enterprise' and members > 0) as enterprises_with_members,
                count(*) filter (where kind = 'enterprise' and has_org) as enterprises_with_organization,
                count(*) filter (where kind <> 'enterprise' and has_org) as departments_communities_approved,
                count(*) filter (where kind <> 'enterprise' and not has_org and pending) as departments_communities_pending,
                count(*) filter (where members >= 3 and not has_org) as eligible_without_organization,
                count(*) filter (where members >= 3) as eligible,
                count(*) filter (where members >= 3 and has_org) as eligible_with_organization
           from e",
    )
    .bind(survey)
    .fetch_one(db)
    .await
}

/// Writes a checked workbook as the round as of `as_of`: units created or updated
/// (matched by credit code, else by name), the round's entries, organisations and
/// submitted applications. Set-based, inside the caller's transaction; rows that would
/// not change are not touched. Returns the round and how many rows changed.
pub async fn commit(
    tx: &mut PgConnection,
    sheet: &SurveySheet,
    as_of: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(SurveyId, u64), ImportError> {
    let mut changed = 0u64;
    let existing: Option<(SurveyId, bool)> =
        sqlx::query_as("select survey_id, locked from survey where as_of = $1 for update")
            .bind(as_of)
            .fetch_optional(&mut *tx)
            .await?;
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
            select r.unit_id, 'submitted', r.name || '团支部', '团支部', r.members, r.youth,
                   $1::date::timestamptz
              from import_row r
             where r.approval = 'applied' and r.org_name is null
               and not exists (select 1 from organization o where o.unit_id = r.unit_id)
               and not exists (select 1 from formation_application a where a.unit_id = r.unit_id
                                  and a.state in ('draft', 'submitted', 'returned', 'resubmitted', 'approved'))
             order by r.line
            returning formation_application_id
         )
         insert into formation_application_event
                (formation_application_id, from_state, to_state, actor_name, note, occurred_at)
         select formation_application_id, null, 'submitted', '摸排导入', '由摸排统计表导入（批复状态：已申请）', $2
           from new_application",
    )
    .bind(as_of)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();

    Ok((survey_id, changed))
}

impl Summary {
    /// Each figure with its API key and its Chinese label, in the order the seed report
    /// names them.
    pub fn figures(&self) -> [(&'static str, &'static str, i64); 11] {
        [
            (
                "enterprises_operating",
                "实体运行企业",
                self.enterprises_operating,
            ),
            ("enterprises_total", "企业总数", self.enterprises_total),
            ("departments", "部门", self.departments),
            ("communities", "社区", self.communities),
            ("members", "团员人数", self.members),
            ("youth", "青年人数", self.youth),
            (
                "enterprises_with_members",
                "有团员的企业",
                self.enterprises_with_members,
            ),
            (
                "enterprises_with_organization",
                "已组建团组织的企业",
                self.enterprises_with_organization,
            ),
            (
                "departments_communities_approved",
                "已获批复的部门及社区",
                self.departments_communities_approved,
            ),
            (
                "departments_communities_pending",
                "已申请待批复的部门及社区",
                self.departments_communities_pending,
            ),
            (
                "eligible_without_organization",
                "具备条件（3名以上团员）尚未建团的单位",
                self.eligible_without_organization,
            ),
        ]
    }

    /// 团青比: league members per youth, as a percentage with one decimal.
    pub fn member_ratio(&self) -> Option<f64> {
        (self.youth > 0).then(|| (self.members as f64 * 1000.0 / self.youth as f64).round() / 10.0)
    }

    /// Organisation coverage: of the units with 3 or more members, the share that has an
    /// organisation, as a percentage with one decimal.
    pub fn coverage(&self) -> Option<f64> {
        (self.eligible > 0).then(|| {
            (self.eligible_with_organization as f64 * 1000.0 / self.eligible as f64).round() / 10.0
        })
    }
}

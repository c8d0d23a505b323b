//! Survey rounds and their entries: the set-based commit of an imported workbook, and the
//! dashboard's figures for a round in one query.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use crate::domain::ids::SurveyId;
use crate::domain::survey::{Approval, SurveySheet};
use crate::domain::workbook::{Fault, ImportError};

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

/// The figures of DESIGN.md §6 for one round (the API answers them as `SummaryItem`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
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
    pub eligible: i64,
    pub eligible_with_organization: i64,
    /// Of the eligible units without an organisation, those whose application waits.
    pub eligible_pending: i64,
}

/// The round's figures from the totals the database maintains (migration 0012): a few
/// rows whatever the size of the zone.
pub async fn summary(db: impl sqlx::PgExecutor<'_>, survey: SurveyId) -> sqlx::Result<Summary> {
    sqlx::query_as(
        "select s.as_of,
                coalesce(sum(t.operating) filter (where t.kind = 'enterprise'), 0)::bigint as enterprises_operating,
                coalesce(sum(t.units) filter (where t.kind = 'enterprise'), 0)::bigint as enterprises_total,
                coalesce(sum(t.units) filter (where t.kind = 'department'), 0)::bigint as departments,
                coalesce(sum(t.units) filter (where t.kind = 'community'), 0)::bigint as communities,
                coalesce(sum(t.members), 0)::bigint as members,
                coalesce(sum(t.youth), 0)::bigint as youth,
                coalesce(sum(t.with_members) filter (where t.kind = 'enterprise'), 0)::bigint as enterprises_with_members,
                coalesce(sum(t.with_organization) filter (where t.kind = 'enterprise'), 0)::bigint as enterprises_with_organization,
                coalesce(sum(t.with_organization) filter (where t.kind <> 'enterprise'), 0)::bigint as departments_communities_approved,
                coalesce(sum(t.pending_without_organization) filter (where t.kind <> 'enterprise'), 0)::bigint as departments_communities_pending,
                coalesce(sum(t.eligible_without_organization), 0)::bigint as eligible_without_organization,
                coalesce(sum(t.eligible), 0)::bigint as eligible,
                coalesce(sum(t.eligible_with_organization), 0)::bigint as eligible_with_organization,
                coalesce(sum(t.eligible_pending), 0)::bigint as eligible_pending
           from survey s left join survey_total t using (survey_id)
          where s.survey_id = $1
          group by s.as_of",
    )
    .bind(survey)
    .fetch_one(db)
    .await
}

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

    Ok(CommitStats {
        survey_id,
        changed,
        new_round,
        new_units,
        compared,
        changes,
    })
}

/// What a commit did (or, in a preview that is rolled back, would do).
#[derive(Debug, Clone)]
pub struct CommitStats {
    pub survey_id: SurveyId,
    /// Rows created or changed; 0 when nothing changed.
    pub changed: u64,
    pub new_round: bool,
    pub new_units: i64,
    /// The round the figures were compared with, if any.
    pub compared: Option<SurveyId>,
    pub changes: Vec<FigureChange>,
}

/// A unit whose figures differ from the compared round's.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct FigureChange {
    pub line: i32,
    pub name: String,
    pub staff_before: Option<i32>,
    pub staff_after: Option<i32>,
    pub youth_before: i32,
    pub youth_after: i32,
    pub members_before: i32,
    pub members_after: i32,
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

/// The round secretaries may report to today: not locked, and today within its open and
/// close dates.
pub async fn open_for_reporting(db: &PgPool, today: NaiveDate) -> sqlx::Result<Option<SurveyRow>> {
    sqlx::query_as(
        "select survey_id, title, as_of, formation_deadline, locked from survey
          where not locked and opens_on <= $1 and closes_on >= $1
          order by as_of desc limit 1",
    )
    .bind(today)
    .fetch_optional(db)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct RoundDetail {
    pub survey_id: SurveyId,
    pub title: String,
    pub as_of: NaiveDate,
    pub opens_on: Option<NaiveDate>,
    pub closes_on: Option<NaiveDate>,
    pub formation_deadline: Option<NaiveDate>,
    pub locked: bool,
    pub entries: i64,
    pub reported: i64,
}

const ROUND_DETAIL: &str = "
    select s.survey_id, s.title, s.as_of, s.opens_on, s.closes_on, s.formation_deadline, s.locked,
           count(e.survey_entry_id) as entries,
           count(e.survey_entry_id) filter (where e.reported_at is not null) as reported
      from survey s left join survey_entry e using (survey_id)";

/// Rounds newest first with their progress, after the cursor (an as-of date).
pub async fn rounds(
    db: &PgPool,
    before: Option<NaiveDate>,
    limit: i64,
) -> sqlx::Result<Vec<RoundDetail>> {
    sqlx::query_as(&format!(
        "{ROUND_DETAIL} where $1::date is null or s.as_of < $1
          group by s.survey_id order by s.as_of desc limit $2"
    ))
    .bind(before)
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn round(db: &PgPool, id: SurveyId) -> sqlx::Result<Option<RoundDetail>> {
    sqlx::query_as(&format!(
        "{ROUND_DETAIL} where s.survey_id = $1 group by s.survey_id"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

#[derive(Debug, Clone, Serialize)]
pub struct RoundSettings {
    pub title: String,
    pub as_of: NaiveDate,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub formation_deadline: Option<NaiveDate>,
}

/// Opens a round; with `carry_over`, every unit of the latest earlier round that is still
/// open gets an entry with its previous figures, not yet reported for this round.
pub async fn open_round(
    db: &mut PgConnection,
    settings: &RoundSettings,
    carry_over: bool,
) -> sqlx::Result<(SurveyId, u64)> {
    let id: SurveyId = sqlx::query_scalar(
        "insert into survey (title, as_of, opens_on, closes_on, formation_deadline)
         values ($1, $2, $3, $4, $5) returning survey_id",
    )
    .bind(&settings.title)
    .bind(settings.as_of)
    .bind(settings.opens_on)
    .bind(settings.closes_on)
    .bind(settings.formation_deadline)
    .fetch_one(&mut *db)
    .await?;
    let carried = if carry_over {
        sqlx::query(
            "insert into survey_entry (survey_id, unit_id, status, staff, youth, members, reported_at)
             select $1, e.unit_id, e.status, e.staff, e.youth, e.members, null
               from survey_entry e join unit u using (unit_id)
              where u.closed_on is null
                and e.survey_id = (select survey_id from survey where as_of < $2
                                    order by as_of desc limit 1)",
        )
        .bind(id)
        .bind(settings.as_of)
        .execute(&mut *db)
        .await?
        .rows_affected()
    } else {
        0
    };
    Ok((id, carried))
}

/// Changes a round's settings; false when it is locked (and nothing changed).
pub async fn update_settings(
    db: &mut PgConnection,
    id: SurveyId,
    settings: &RoundSettings,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update survey set title = $2, as_of = $3, opens_on = $4, closes_on = $5, formation_deadline = $6
          where survey_id = $1 and not locked",
    )
    .bind(id)
    .bind(&settings.title)
    .bind(settings.as_of)
    .bind(settings.opens_on)
    .bind(settings.closes_on)
    .bind(settings.formation_deadline)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Closes and locks a round for good; false when it already was.
pub async fn lock(db: &mut PgConnection, id: SurveyId) -> sqlx::Result<bool> {
    let done = sqlx::query("update survey set locked = true where survey_id = $1 and not locked")
        .bind(id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingUnit {
    pub unit_id: crate::domain::ids::UnitId,
    pub name: String,
    pub kind: String,
    pub reminders: i64,
    pub last_reminded: Option<DateTime<Utc>>,
}

/// Units of the round that have not reported yet, by name.
pub async fn not_reported(db: &PgPool, id: SurveyId, limit: i64) -> sqlx::Result<Vec<PendingUnit>> {
    sqlx::query_as(
        "select u.unit_id, u.name, u.kind, count(r.survey_reminder_id) as reminders,
                max(r.sent_at) as last_reminded
           from survey_entry e
           join unit u using (unit_id)
           left join survey_reminder r on r.survey_id = e.survey_id and r.unit_id = e.unit_id
          where e.survey_id = $1 and e.reported_at is null
          group by u.unit_id
          order by u.name
          limit $2",
    )
    .bind(id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Records reminders to the units of the round that have not reported (all of them, or
/// the one given). Returns the units reminded; the caller tells their secretaries.
pub async fn record_reminders(
    db: &mut PgConnection,
    id: SurveyId,
    unit: Option<crate::domain::ids::UnitId>,
    sender: Option<crate::domain::ids::AccountId>,
    at: DateTime<Utc>,
) -> sqlx::Result<Vec<crate::domain::ids::UnitId>> {
    sqlx::query_scalar(
        "insert into survey_reminder (survey_id, unit_id, sender_account_id, sent_at)
         select $1, unit_id, $3, $4 from survey_entry
          where survey_id = $1 and reported_at is null and ($2::bigint is null or unit_id = $2)
         returning unit_id",
    )
    .bind(id)
    .bind(unit)
    .bind(sender)
    .bind(at)
    .fetch_all(&mut *db)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct EntryRow {
    pub staff: Option<i32>,
    pub youth: i32,
    pub members: i32,
    pub reported_at: Option<DateTime<Utc>>,
}

pub async fn entry(
    db: &PgPool,
    id: SurveyId,
    unit: crate::domain::ids::UnitId,
) -> sqlx::Result<Option<EntryRow>> {
    sqlx::query_as("select staff, youth, members, reported_at from survey_entry where survey_id = $1 and unit_id = $2")
        .bind(id)
        .bind(unit)
        .fetch_optional(db)
        .await
}

/// A unit's own report for the round: creates or replaces its entry.
pub async fn report(
    db: &mut PgConnection,
    id: SurveyId,
    unit: crate::domain::ids::UnitId,
    figures: (i32, i32, i32),
    by: crate::domain::ids::AccountId,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into survey_entry (survey_id, unit_id, status, staff, youth, members, reported_by, reported_at)
         select $1, $2, u.status, $3, $4, $5, $6, $7 from unit u where u.unit_id = $2
         on conflict (survey_id, unit_id) do update
            set staff = excluded.staff, youth = excluded.youth, members = excluded.members,
                reported_by = excluded.reported_by, reported_at = excluded.reported_at",
    )
    .bind(id)
    .bind(unit)
    .bind(figures.0)
    .bind(figures.1)
    .bind(figures.2)
    .bind(by)
    .bind(at)
    .execute(db)
    .await?;
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
struct ExportRow {
    name: String,
    kind: String,
    credit_code: Option<String>,
    status: Option<String>,
    staff: Option<i32>,
    youth: i32,
    members: i32,
    org_name: Option<String>,
    org_kind: Option<String>,
    approved_on: Option<NaiveDate>,
    pending: bool,
    contact_person: Option<String>,
    contact_phone: Option<String>,
}

/// The round's entries as workbook rows, in the office's order (departments, communities,
/// enterprises; by name within each).
pub async fn export_rows(
    db: &PgPool,
    id: SurveyId,
) -> sqlx::Result<Vec<crate::domain::survey::SurveyRow>> {
    use crate::domain::survey::SurveyRow as Row;
    use crate::domain::unit::{UnitKind, parse_organization_kind, parse_status};
    let rows: Vec<ExportRow> = sqlx::query_as(
        "select u.name, u.kind, u.credit_code, e.status, e.staff, e.youth, e.members,
                o.name as org_name, o.kind as org_kind, o.approved_on,
                exists (select 1 from formation_application a where a.unit_id = u.unit_id
                          and a.state in ('submitted', 'resubmitted')) as pending,
                u.contact_person, u.contact_phone
           from survey_entry e
           join unit u using (unit_id)
           left join organization o on o.unit_id = u.unit_id
          where e.survey_id = $1
          order by case u.kind when 'department' then 0 when 'community' then 1 else 2 end, e.survey_entry_id",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let organization = r
                .org_name
                .zip(r.org_kind.as_deref().and_then(parse_organization_kind));
            let approval = if organization.is_some() {
                Some(Approval::Approved)
            } else if r.pending {
                Some(Approval::Applied)
            } else if r.members >= 3 {
                Some(Approval::NotApplied)
            } else {
                None
            };
            Row {
                line: i as u32 + 5,
                name: r.name,
                kind: UnitKind::parse(&r.kind).unwrap_or(UnitKind::Enterprise),
                credit_code: r.credit_code,
                status: r.status.as_deref().and_then(parse_status),
                staff: r.staff.map(i64::from),
                youth: r.youth.into(),
                members: r.members.into(),
                approved_on: organization.as_ref().and(r.approved_on),
                organization,
                approval,
                contact: r.contact_person,
                phone: r.contact_phone,
            }
        })
        .collect())
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct KindTotals {
    pub kind: String,
    pub units: i64,
    pub youth: i64,
    pub members: i64,
}

/// Youth and members per unit kind in a round.
pub async fn totals_by_kind(db: &PgPool, survey: SurveyId) -> sqlx::Result<Vec<KindTotals>> {
    sqlx::query_as(
        "select kind, units, youth, members from survey_total
          where survey_id = $1 and units > 0
          order by case kind when 'department' then 0 when 'community' then 1 else 2 end",
    )
    .bind(survey)
    .fetch_all(db)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct UnitFigure {
    pub unit_id: crate::domain::ids::UnitId,
    pub name: String,
    pub youth: i32,
    pub members: i32,
}

/// The units with the most youth and no organisation.
pub async fn most_youth_without_organization(
    db: &PgPool,
    survey: SurveyId,
    limit: i64,
) -> sqlx::Result<Vec<UnitFigure>> {
    sqlx::query_as(
        "select u.unit_id, u.name, e.youth, e.members
           from survey_entry e join unit u using (unit_id)
          where e.survey_id = $1
            and not exists (select 1 from organization o where o.unit_id = e.unit_id)
          order by e.youth desc, u.name
          limit $2",
    )
    .bind(survey)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// The round before this one, for comparisons.
pub async fn previous(db: &PgPool, survey: SurveyId) -> sqlx::Result<Option<SurveyRow>> {
    sqlx::query_as(
        "select p.survey_id, p.title, p.as_of, p.formation_deadline, p.locked
           from survey p, survey s
          where s.survey_id = $1 and p.as_of < s.as_of
          order by p.as_of desc limit 1",
    )
    .bind(survey)
    .fetch_optional(db)
    .await
}

//! A round's entries as survey workbook rows, for the export.

use chrono::NaiveDate;
use sqlx::PgPool;

use crate::domain::ids::{SurveyId, UnitId};
use crate::domain::organization::Kind as OrganizationKind;
use crate::domain::survey::Approval;
use crate::domain::unit::{Status, UnitKind};

#[derive(Debug, sqlx::FromRow)]
struct ExportRow {
    unit_id: UnitId,
    name: String,
    kind: UnitKind,
    credit_code: Option<String>,
    status: Option<Status>,
    staff: Option<i32>,
    youth: i32,
    members: i32,
    org_name: Option<String>,
    org_kind: Option<OrganizationKind>,
    approved_on: Option<NaiveDate>,
    pending: bool,
    contact_person: Option<String>,
    contact_phone: Option<String>,
}

/// The round's entries as workbook rows, in the office's order (departments, communities,
/// enterprises; by name within each), each with its unit.
pub async fn export_rows(
    db: &PgPool,
    id: SurveyId,
) -> sqlx::Result<Vec<(UnitId, crate::domain::survey::SurveyRow)>> {
    use crate::domain::survey::SurveyRow as Row;
    let rows: Vec<ExportRow> = sqlx::query_as(
        "select u.unit_id, u.name, u.kind, u.credit_code, e.status, e.staff, e.youth, e.members,
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
                .zip(r.org_kind.filter(|kind| !kind.is_committee()));
            let approval = if organization.is_some() {
                Some(Approval::Approved)
            } else if r.pending {
                Some(Approval::Applied)
            } else if r.members >= 3 {
                Some(Approval::NotApplied)
            } else {
                None
            };
            let row = Row {
                line: i as u32 + 5,
                name: r.name,
                kind: r.kind,
                credit_code: r.credit_code,
                status: r.status,
                staff: r.staff.map(i64::from),
                youth: r.youth.into(),
                members: r.members.into(),
                approved_on: organization.as_ref().and(r.approved_on),
                organization,
                approval,
                contact: r.contact_person,
                phone: r.contact_phone,
            };
            (r.unit_id, row)
        })
        .collect())
}

//! The dashboard's statistics for a round: the summary figures from the kept totals, the
//! totals by unit kind, and the units with the most youth and no organisation.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::PgPool;

use crate::domain::ids::SurveyId;

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

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct KindTotals {
    pub kind: crate::domain::unit::UnitKind,
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
           -- a locked round: whether the unit had an organisation (its own or a joint
           -- branch, as the figures count it) when it was locked
           left join survey_unit_snapshot f on f.survey_id = e.survey_id and f.unit_id = e.unit_id
          where e.survey_id = $1
            and not coalesce(f.has_organization, u.has_organization)
          order by e.youth desc, u.name
          limit $2",
    )
    .bind(survey)
    .bind(limit)
    .fetch_all(db)
    .await
}

//! The yearly evaluation (评议) of an organisation's members and the registration (团籍注册)
//! of those graded 基本合格 or better.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::domain::ids::{AccountId, MemberId, OrganizationId};
use crate::domain::member::State as MemberState;

pub const GRADES: [&str; 4] = ["优秀", "合格", "基本合格", "不合格"];

/// The most 优秀 grades among `members`: 30 %, rounded down.
pub fn excellent_cap(members: i64) -> i64 {
    members * 3 / 10
}

/// An active member of the organisation with their grade for the year, if any.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Graded {
    pub member_id: MemberId,
    pub name: String,
    pub resident_id_masked: String,
    pub grade: Option<String>,
    pub registered_at: Option<DateTime<Utc>>,
}

/// The organisation's active members, by name, with their grade for `year`.
pub async fn roster(
    db: impl sqlx::PgExecutor<'_>,
    organization: OrganizationId,
    year: i32,
) -> sqlx::Result<Vec<Graded>> {
    sqlx::query_as(
        "select m.member_id, m.name, m.resident_id_masked, e.grade, e.registered_at
           from member m
           left join member_evaluation e on e.member_id = m.member_id and e.year = $2
          where m.organization_id = $1 and m.state = $3
          order by m.name, m.member_id",
    )
    .bind(organization)
    .bind(year)
    .bind(MemberState::Active)
    .fetch_all(db)
    .await
}

/// Takes the organisation's lock for evaluation changes and answers whether its year is
/// registered already (grades are then final) and how many active members it has.
pub async fn lock(
    db: &mut PgConnection,
    organization: OrganizationId,
    year: i32,
) -> sqlx::Result<(bool, i64)> {
    sqlx::query("select 1 from organization where organization_id = $1 for update")
        .bind(organization)
        .execute(&mut *db)
        .await?;
    sqlx::query_as(
        "select exists (select 1 from member_evaluation where organization_id = $1 and year = $2
                          and registered_at is not null),
                (select count(*) from member where organization_id = $1 and state = $3)",
    )
    .bind(organization)
    .bind(year)
    .bind(MemberState::Active)
    .fetch_one(db)
    .await
}

/// Writes the grades of the organisation's active members for the year; `None` clears
/// one. Members not active in the organisation are skipped. Returns rows written.
pub async fn save(
    db: &mut PgConnection,
    organization: OrganizationId,
    year: i32,
    grades: &[(MemberId, Option<&str>)],
    actor: AccountId,
    at: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let (set, cleared): (Vec<_>, Vec<_>) = grades.iter().partition(|(_, g)| g.is_some());
    let ids: Vec<MemberId> = set.iter().map(|(id, _)| *id).collect();
    let values: Vec<&str> = set.iter().filter_map(|(_, g)| *g).collect();
    let written = sqlx::query(
        "insert into member_evaluation (member_id, year, organization_id, grade, evaluated_by, evaluated_at)
         select g.member_id, $2, $1, g.grade, $5, $6
           from unnest($3::bigint[], $4::text[]) as g (member_id, grade)
           join member m on m.member_id = g.member_id and m.organization_id = $1 and m.state = $7
         on conflict (member_id, year) do update
            set grade = excluded.grade, organization_id = excluded.organization_id,
                evaluated_by = excluded.evaluated_by, evaluated_at = excluded.evaluated_at
          where member_evaluation.registered_at is null",
    )
    .bind(organization)
    .bind(year)
    .bind(&ids)
    .bind(&values)
    .bind(actor)
    .bind(at)
    .bind(MemberState::Active)
    .execute(&mut *db)
    .await?;
    let cleared: Vec<MemberId> = cleared.iter().map(|(id, _)| *id).collect();
    sqlx::query(
        "delete from member_evaluation
          where organization_id = $1 and year = $2 and member_id = any($3) and registered_at is null",
    )
    .bind(organization)
    .bind(year)
    .bind(&cleared)
    .execute(db)
    .await?;
    Ok(written.rows_affected())
}

/// How many of the organisation's active members are graded 优秀 for the year, as stored
/// (in the caller's transaction, after its own changes).
pub async fn excellent_count(
    db: &mut PgConnection,
    organization: OrganizationId,
    year: i32,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(*) from member_evaluation e join member m using (member_id)
          where e.organization_id = $1 and e.year = $2 and e.grade = '优秀'
            and m.organization_id = $1 and m.state = $3",
    )
    .bind(organization)
    .bind(year)
    .bind(MemberState::Active)
    .fetch_one(db)
    .await
}

/// Registers the year's members graded 基本合格 or better; returns (registered, not
/// registered).
pub async fn register(
    db: &mut PgConnection,
    organization: OrganizationId,
    year: i32,
    at: DateTime<Utc>,
) -> sqlx::Result<(u64, i64)> {
    let registered = sqlx::query(
        "update member_evaluation set registered_at = $3
          where organization_id = $1 and year = $2 and grade <> '不合格' and registered_at is null",
    )
    .bind(organization)
    .bind(year)
    .bind(at)
    .execute(&mut *db)
    .await?;
    let failed: i64 = sqlx::query_scalar(
        "select count(*) from member_evaluation where organization_id = $1 and year = $2 and grade = '不合格'",
    )
    .bind(organization)
    .bind(year)
    .fetch_one(db)
    .await?;
    Ok((registered.rows_affected(), failed))
}

#[cfg(test)]
mod tests {
    use super::excellent_cap;

    #[test]
    fn at_most_thirty_percent_are_excellent() {
        assert_eq!(excellent_cap(10), 3);
        assert_eq!(excellent_cap(9), 2);
        assert_eq!(excellent_cap(3), 0);
        assert_eq!(excellent_cap(0), 0);
        for n in 0..200 {
            assert!(excellent_cap(n) * 10 <= n * 3);
            assert!((excellent_cap(n) + 1) * 10 > n * 3);
        }
    }
}

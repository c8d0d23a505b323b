//! The age lists (members turning 28, and those past it without a league post) with their
//! capped count, and leaving the league on age.

use chrono::NaiveDate;
use sqlx::{PgConnection, PgPool};

use super::{COLUMNS, IN_SCOPE, MemberRow, State};
use crate::domain::ids::MemberId;
use crate::domain::role::Scope;

/// Which members an age list holds: active, in scope, whose 28th birthday falls between
/// `from` and `until` (inclusive), or — with `without_post` — has passed and who hold no
/// league post.
#[derive(Debug, Clone, Copy)]
pub struct AgeList {
    pub from: Option<NaiveDate>,
    pub until: NaiveDate,
    pub without_post: bool,
}

/// An age list's statement: `head`, the list's rows ($1–$4), then `tail`.
fn age_list_sql(scope: &Scope, head: &str, tail: &str) -> String {
    let in_scope = crate::db::scope_condition(scope, IN_SCOPE);
    format!(
        "{head} from member m join organization o using (organization_id)
          where {in_scope} and m.state = 'active'
            and ($2::date is null or m.birth_date >= ($2::date - interval '28 years')::date)
            and m.birth_date <= ($3::date - interval '28 years')::date
            and (not $4 or m.league_post is null) {tail}"
    )
}

/// An age list's members by birth date (the oldest first), after the cursor.
pub async fn by_age(
    db: &PgPool,
    scope: &Scope,
    list: AgeList,
    after: Option<(NaiveDate, MemberId)>,
    limit: i64,
) -> sqlx::Result<Vec<MemberRow>> {
    sqlx::query_as(&age_list_sql(
        scope,
        &format!("select {COLUMNS}"),
        "and ($5::date is null or (m.birth_date, m.member_id) > ($5, $6))
         order by m.birth_date, m.member_id limit $7",
    ))
    .bind(scope.unit_filter())
    .bind(list.from)
    .bind(list.until)
    .bind(list.without_post)
    .bind(after.map(|a| a.0))
    .bind(after.map(|a| a.1))
    .bind(limit)
    .fetch_all(db)
    .await
}

/// How many members an age list holds, counting no further than `cap`.
pub async fn count_by_age(
    db: &PgPool,
    scope: &Scope,
    list: AgeList,
    cap: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(&format!(
        "select count(*) from ({} limit $5) c",
        age_list_sql(scope, "select 1", "")
    ))
    .bind(scope.unit_filter())
    .bind(list.from)
    .bind(list.until)
    .bind(list.without_post)
    .bind(cap)
    .fetch_one(db)
    .await
}

/// Marks an active member as left on age and records it; false when not active.
pub async fn age_out(
    db: &mut PgConnection,
    id: MemberId,
    actor: &crate::domain::actor::Actor,
    at: chrono::DateTime<chrono::Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query("update member set state = $3 where member_id = $1 and state = $2")
        .bind(id)
        .bind(State::Active)
        .bind(State::AgedOut)
        .execute(&mut *db)
        .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "insert into member_event (member_id, from_state, to_state, actor_account_id, actor_name, note, occurred_at)
         values ($1, $5, $6, $2, $3, '年满28周岁且未担任团内职务，超龄离团', $4)",
    )
    .bind(id)
    .bind(actor.account_id)
    .bind(&actor.name)
    .bind(at)
    .bind(State::Active)
    .bind(State::AgedOut)
    .execute(db)
    .await?;
    Ok(true)
}

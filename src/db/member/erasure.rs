//! Erasing leavers' resident IDs and phones once the retention period has passed
//! (migration 0042, `domain::retention`). A member left at their latest change of state
//! away from active (`member_event`); a member marked as left without such an event (an
//! old import, a correction by hand) counts from the row's last change, which is never
//! earlier than the leaving, so the numbers are kept at least the full period.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::domain::ids::MemberId;
use crate::domain::retention::ERASED_MASK;

/// Erases the numbers of at most `limit` members after `after` (by id) who left at or
/// before `left_by` and are not erased yet, stamping `erased_at = at`; answers whom, in
/// id order. Rows another transaction is erasing are skipped, and a member erased already
/// is never matched again, so each is erased (and audited by the caller) once. The caller
/// goes on after the last id answered, so a pass reads each leaver once however many
/// batches it takes.
pub async fn erase_due(
    db: &mut PgConnection,
    left_by: DateTime<Utc>,
    at: DateTime<Utc>,
    (after, limit): (Option<MemberId>, i64),
) -> sqlx::Result<Vec<MemberId>> {
    let mut erased: Vec<MemberId> = sqlx::query_scalar(
        "with due as (
             select m.member_id from member m
              where m.state <> 'active' and m.erased_at is null
                and ($5::bigint is null or m.member_id > $5)
                and coalesce((select max(e.occurred_at) from member_event e
                               where e.member_id = m.member_id and e.to_state <> 'active'),
                             m.updated_at) <= $1
              order by m.member_id
              limit $3
                for update of m skip locked
         )
         update member m
            set resident_id_cipher = null, resident_id_version = null, resident_id_index = null,
                resident_id_masked = $4, phone_cipher = null, phone_version = null,
                phone_masked = null, erased_at = $2
           from due
          where m.member_id = due.member_id
         returning m.member_id",
    )
    .bind(left_by)
    .bind(at)
    .bind(limit)
    .bind(ERASED_MASK)
    .bind(after)
    .fetch_all(&mut *db)
    .await?;
    erased.sort_unstable();
    // The certificates issued for them printed the masked ID: it goes too.
    sqlx::query("update volunteer_certificate set id_masked = null where member_id = any($1)")
        .bind(&erased)
        .execute(db)
        .await?;
    Ok(erased)
}

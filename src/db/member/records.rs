//! Writing and reading members one by one or in a batch (encrypting the resident ID and
//! phone, with the blind index that keeps the resident ID unique), and their history.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use super::{COLUMNS, IN_SCOPE, MemberRow, NewMember};
use crate::crypto::Keys;
use crate::domain::ids::{MemberId, OrganizationId};
use crate::domain::role::Scope;

/// Inserts the member; fails on `RESIDENT_ID_UNIQUE` when the resident ID is registered
/// already.
pub async fn create(db: &mut PgConnection, keys: &Keys, m: &NewMember) -> sqlx::Result<MemberId> {
    let ids = create_many(db, keys, std::slice::from_ref(m)).await?;
    ids.into_iter().next().ok_or(sqlx::Error::RowNotFound)
}

pub async fn get(db: &PgPool, scope: &Scope, id: MemberId) -> sqlx::Result<Option<MemberRow>> {
    let in_scope = crate::db::scope_condition(scope, IN_SCOPE);
    sqlx::query_as(&format!("select {COLUMNS} from member m join organization o using (organization_id) where {in_scope} and m.member_id = $2"))
        .bind(scope.unit_filter())
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Which of `ids` lie in `scope`: for offering a right on a list read in a wider scope.
pub async fn in_scope(db: &PgPool, scope: &Scope, ids: &[MemberId]) -> sqlx::Result<Vec<MemberId>> {
    let in_scope = crate::db::scope_condition(scope, IN_SCOPE);
    sqlx::query_scalar(&format!(
        "select m.member_id from member m join organization o using (organization_id)
          where {in_scope} and m.member_id = any($2)"
    ))
    .bind(scope.unit_filter())
    .bind(ids)
    .fetch_all(db)
    .await
}

/// Rewrites a member (re-encrypting); fails on `RESIDENT_ID_UNIQUE` when the resident ID
/// belongs to another.
pub async fn update(
    db: &mut PgConnection,
    keys: &Keys,
    id: MemberId,
    m: &NewMember,
) -> sqlx::Result<()> {
    let (id_version, id_cipher) = keys.encrypt(m.resident_id.as_str());
    let phone = m
        .phone
        .as_ref()
        .map(|p| (keys.encrypt(p.as_str()), p.masked()));
    sqlx::query(
        "update member set name = $2, sex = $3, ethnicity = $4, birth_date = $5,
                resident_id_cipher = $6, resident_id_version = $7, resident_id_index = $8, resident_id_masked = $9,
                phone_cipher = $10, phone_version = $11, phone_masked = $12,
                joined_on = $13, education = $14, political_status = $15, league_post = $16
          where member_id = $1",
    )
    .bind(id)
    .bind(&m.name)
    .bind(m.sex)
    .bind(m.ethnicity)
    .bind(m.birth_date)
    .bind(id_cipher)
    .bind(id_version)
    .bind(keys.blind_index(m.resident_id.as_str()))
    .bind(m.resident_id.masked())
    .bind(phone.as_ref().map(|((_, cipher), _)| cipher.clone()))
    .bind(phone.as_ref().map(|((version, _), _)| *version))
    .bind(phone.as_ref().map(|(_, masked)| masked.clone()))
    .bind(m.joined_on)
    .bind(m.education)
    .bind(m.political_status)
    .bind(&m.league_post)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete(db: &mut PgConnection, id: MemberId) -> sqlx::Result<bool> {
    let done = sqlx::query("delete from member where member_id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Which of these resident IDs (by blind index) are registered already.
pub async fn registered(
    db: &mut PgConnection,
    keys: &Keys,
    resident_ids: &[&str],
) -> sqlx::Result<std::collections::HashSet<Vec<u8>>> {
    let indexes: Vec<Vec<u8>> = resident_ids.iter().map(|id| keys.blind_index(id)).collect();
    let found: Vec<Vec<u8>> = sqlx::query_scalar(
        "select resident_id_index from member where resident_id_index = any($1)",
    )
    .bind(&indexes)
    .fetch_all(db)
    .await?;
    Ok(found.into_iter().collect())
}

/// Inserts members in one statement and answers their ids in order; fails on
/// `RESIDENT_ID_UNIQUE` when a resident ID is registered already (writing none of them).
pub async fn create_many(
    db: &mut PgConnection,
    keys: &Keys,
    members: &[NewMember],
) -> sqlx::Result<Vec<MemberId>> {
    let mut columns = Columns::default();
    for m in members {
        let (id_version, id_cipher) = keys.encrypt(m.resident_id.as_str());
        let phone = m
            .phone
            .as_ref()
            .map(|p| (keys.encrypt(p.as_str()), p.masked()));
        columns.organization.push(m.organization_id);
        columns.name.push(m.name.clone());
        columns.sex.push(m.sex);
        columns.ethnicity.push(m.ethnicity);
        columns.birth.push(m.birth_date);
        columns.id_cipher.push(id_cipher);
        columns.id_version.push(id_version);
        columns
            .id_index
            .push(keys.blind_index(m.resident_id.as_str()));
        columns.id_masked.push(m.resident_id.masked());
        columns
            .phone_cipher
            .push(phone.as_ref().map(|((_, c), _)| c.clone()));
        columns
            .phone_version
            .push(phone.as_ref().map(|((v, _), _)| *v));
        columns.phone_masked.push(phone.map(|(_, masked)| masked));
        columns.joined.push(m.joined_on);
        columns.education.push(m.education);
        columns.political.push(m.political_status);
        columns.post.push(m.league_post.clone());
    }
    sqlx::query_scalar(
        "insert into member (organization_id, name, sex, ethnicity, birth_date,
                             resident_id_cipher, resident_id_version, resident_id_index, resident_id_masked,
                             phone_cipher, phone_version, phone_masked,
                             joined_on, education, political_status, league_post)
         select o, n, s, e, b, ic, iv, ix, im, pc, pv, pm, j, ed, po, lp from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::date[],
                              $6::bytea[], $7::int[], $8::bytea[], $9::text[],
                              $10::bytea[], $11::int[], $12::text[],
                              $13::date[], $14::text[], $15::text[], $16::text[])
              with ordinality as u (o, n, s, e, b, ic, iv, ix, im, pc, pv, pm, j, ed, po, lp, k)
          order by k
         returning member_id",
    )
    .bind(columns.organization)
    .bind(columns.name)
    .bind(columns.sex)
    .bind(columns.ethnicity)
    .bind(columns.birth)
    .bind(columns.id_cipher)
    .bind(columns.id_version)
    .bind(columns.id_index)
    .bind(columns.id_masked)
    .bind(columns.phone_cipher)
    .bind(columns.phone_version)
    .bind(columns.phone_masked)
    .bind(columns.joined)
    .bind(columns.education)
    .bind(columns.political)
    .bind(columns.post)
    .fetch_all(db)
    .await
}

/// The members of `create_many`, column by column, as `unnest` takes them.
#[derive(Default)]
struct Columns {
    organization: Vec<OrganizationId>,
    name: Vec<String>,
    sex: Vec<&'static str>,
    ethnicity: Vec<&'static str>,
    birth: Vec<NaiveDate>,
    id_cipher: Vec<Vec<u8>>,
    id_version: Vec<i32>,
    id_index: Vec<Vec<u8>>,
    id_masked: Vec<String>,
    phone_cipher: Vec<Option<Vec<u8>>>,
    phone_version: Vec<Option<i32>>,
    phone_masked: Vec<Option<String>>,
    joined: Vec<NaiveDate>,
    education: Vec<Option<&'static str>>,
    political: Vec<&'static str>,
    post: Vec<Option<String>>,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct MemberEvent {
    pub from_state: Option<super::State>,
    pub to_state: super::State,
    pub actor_name: String,
    pub note: Option<String>,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
}

/// A member's history, oldest first.
pub async fn events(db: &PgPool, member_id: MemberId) -> sqlx::Result<Vec<MemberEvent>> {
    sqlx::query_as(
        "select from_state, to_state, actor_name, note, occurred_at from member_event
          where member_id = $1 order by occurred_at, member_event_id",
    )
    .bind(member_id)
    .fetch_all(db)
    .await
}

/// The member registered under this resident ID, whoever's they are: (id, name,
/// organisation, state). Callers must not show it to someone out of scope.
pub async fn find_by_resident_id(
    db: &PgPool,
    keys: &Keys,
    resident_id: &crate::domain::resident_id::ResidentId,
) -> sqlx::Result<Option<(MemberId, String, OrganizationId, super::State)>> {
    sqlx::query_as(
        "select member_id, name, organization_id, state from member where resident_id_index = $1",
    )
    .bind(keys.blind_index(resident_id.as_str()))
    .fetch_optional(db)
    .await
}

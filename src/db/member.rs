//! League members: written encrypted, read masked; the full resident ID only through
//! `reveal`, which the caller audits.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use crate::crypto::Keys;
use crate::domain::role::Scope;

pub use crate::domain::member::NewMember;

/// Inserts the member; `Ok(None)` when the resident ID is registered already.
pub async fn create(
    db: &mut PgConnection,
    keys: &Keys,
    m: &NewMember,
) -> sqlx::Result<Option<i64>> {
    Ok(create_many(db, keys, std::slice::from_ref(m))
        .await?
        .and_then(|ids| ids.first().copied()))
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct MemberRow {
    pub member_id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub name: String,
    pub sex: String,
    pub ethnicity: String,
    pub birth_date: NaiveDate,
    pub resident_id_masked: String,
    pub phone_masked: Option<String>,
    pub joined_on: NaiveDate,
    pub education: Option<String>,
    pub political_status: String,
    pub league_post: Option<String>,
    pub state: String,
}

impl MemberRow {
    pub fn age_on(&self, day: NaiveDate) -> u32 {
        day.years_since(self.birth_date).unwrap_or(0)
    }

    pub fn state_label(&self) -> &'static str {
        match self.state.as_str() {
            "active" => "在团",
            "transferred" => "已转出",
            "aged_out" => "超龄离团",
            "left" => "已离团",
            _ => "",
        }
    }
}

/// Organisations a user may see members of: as for the organisation pages.
const IN_SCOPE: &str = super::in_scope!("m.organization_id");

/// The roster's filters.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub organization: Option<i64>,
    pub q: String,
    /// Born on or before / after these dates: the age band.
    pub born_before: Option<NaiveDate>,
    pub born_after: Option<NaiveDate>,
    /// Holding a league post, or not.
    pub has_post: Option<bool>,
    pub state: Option<String>,
}

/// Binds $1–$7 of `IN_SCOPE` and `FILTERS`, in their order, to any query.
macro_rules! bind_filter {
    ($query:expr, $scope:expr, $filter:expr) => {
        $query
            .bind($scope.unit_filter())
            .bind($filter.organization)
            .bind($filter.q.as_str())
            .bind($filter.born_before)
            .bind($filter.born_after)
            .bind($filter.has_post)
            .bind(&$filter.state)
    };
}

const FILTERS: &str = "
           and ($2::bigint is null or m.organization_id = $2)
           and ($4::date is null or m.birth_date <= $4)
           and ($5::date is null or m.birth_date > $5)
           and ($6::bool is null or (m.league_post is not null) = $6)
           and ($7::text is null or m.state = $7)";

/// How the name search is answered; each is its own statement with its own plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Search {
    /// No search.
    None,
    /// One character: a surname, the range of names that start with it, walked in
    /// `member (name, member_id)` (contiguous under the C collation; see the README).
    Surname,
    /// Two or more characters within a unit's or an organisation's members: few enough to
    /// check each name.
    Within,
    /// Two or more characters across the zone: the names holding the search's rarest
    /// two-character piece, walked in name order in `member_search` (migration 0015).
    Pieces,
}

impl Search {
    fn of(scope: &Scope, filter: &Filter) -> Search {
        match filter.q.chars().count() {
            0 => Search::None,
            1 => Search::Surname,
            _ if scope.unit_filter().is_some() || filter.organization.is_some() => Search::Within,
            _ => Search::Pieces,
        }
    }

    /// The search's condition; `$3` is the search text. The walk of `Pieces` orders by
    /// `s.name`, which equals `m.name`.
    fn condition(self) -> &'static str {
        match self {
            Search::None => " and $3::text = ''",
            Search::Surname => " and m.name >= $3 and m.name < $3 || chr(1114111)",
            Search::Within => " and strpos(m.name, $3) > 0",
            Search::Pieces => {
                " and s.gram = (select g from unnest(name_bigrams($3)) g
                                 order by (select count(*) from (select 1 from member_search x
                                                                  where x.gram = g limit 1000) c), g
                                 limit 1)
                  and strpos(s.name, $3) > 0"
            }
        }
    }

    /// The rows searched: members, or the pieces' rows joined to their members.
    fn source(self) -> &'static str {
        match self {
            Search::Pieces => "member_search s join member m using (member_id)",
            _ => "member m",
        }
    }

    /// The name-order columns the keyset and the order walk.
    fn order(self) -> &'static str {
        match self {
            Search::Pieces => "s.name, s.member_id",
            _ => "m.name, m.member_id",
        }
    }
}

const COLUMNS: &str = "m.member_id, m.organization_id, o.name as organization_name, m.name, m.sex,
            m.ethnicity, m.birth_date, m.resident_id_masked, m.phone_masked, m.joined_on, m.education,
            m.political_status, m.league_post, m.state";

/// Members in scope matching the filters, by name after the cursor.
///
/// Searches are planned for their text each time (an unnamed statement): the walk that
/// suits a full name and the one that suits a common surname differ, and a generic plan
/// could not use the cursor as an index bound.
pub async fn list(
    db: &PgPool,
    scope: &Scope,
    filter: &Filter,
    after: Option<&(String, i64)>,
    limit: i64,
) -> sqlx::Result<Vec<MemberRow>> {
    let search = Search::of(scope, filter);
    let order = search.order();
    let in_scope = super::scope_condition(scope, IN_SCOPE);
    bind_filter!(
        sqlx::query_as(&format!(
            "select {COLUMNS} from {} join organization o using (organization_id)
              where {in_scope} {FILTERS} {}
                and ($8::text is null or ({order}) > ($8, $9))
              order by {order} limit $10",
            search.source(),
            search.condition(),
        ))
        .persistent(search == Search::None),
        scope,
        filter
    )
    .bind(after.map(|a| a.0.as_str()))
    .bind(after.map_or(0, |a| a.1))
    .bind(limit)
    .fetch_all(db)
    .await
}

/// How many members the filters match, counting no further than `cap` (a province's
/// roster is millions: "10000+" says enough and costs a bounded time). Across the zone
/// the organisations need not be joined, and a search without other filters counts the
/// pieces' rows alone.
pub async fn count(db: &PgPool, scope: &Scope, filter: &Filter, cap: i64) -> sqlx::Result<i64> {
    let search = Search::of(scope, filter);
    let condition = search.condition();
    let unfiltered = filter.born_before.is_none()
        && filter.born_after.is_none()
        && filter.has_post.is_none()
        && filter.state.is_none();
    let rows = if search == Search::Pieces && unfiltered {
        format!("member_search s where {UNFILTERED} {condition}")
    } else {
        format!(
            "{} where {} {FILTERS} {condition}",
            search.source(),
            super::scope_condition(scope, IN_SCOPE)
        )
    };
    bind_filter!(
        sqlx::query_scalar(&format!(
            "select count(*) from (select 1 from {rows} limit $8) c"
        ))
        .persistent(search == Search::None),
        scope,
        filter
    )
    .bind(cap)
    .fetch_one(db)
    .await
}

/// The filters' parameters when none is set (`$3` is the search).
const UNFILTERED: &str = "$1::bigint[] is null and $2::bigint is null and $4::date is null
     and $5::date is null and $6::bool is null and $7::text is null";

pub async fn get(db: &PgPool, scope: &Scope, id: i64) -> sqlx::Result<Option<MemberRow>> {
    let in_scope = super::scope_condition(scope, IN_SCOPE);
    sqlx::query_as(&format!("select {COLUMNS} from member m join organization o using (organization_id) where {in_scope} and m.member_id = $2"))
        .bind(scope.unit_filter())
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The member's full resident ID and phone, decrypted.
pub async fn reveal(db: &PgPool, keys: &Keys, id: i64) -> anyhow::Result<(String, Option<String>)> {
    reveal_many(db, keys, &[id])
        .await?
        .remove(&id)
        .ok_or_else(|| anyhow::anyhow!("member {id} not found"))
}

/// The full resident IDs and phones of several members, decrypted, in one query.
pub async fn reveal_many(
    db: &PgPool,
    keys: &Keys,
    ids: &[i64],
) -> anyhow::Result<std::collections::HashMap<i64, (String, Option<String>)>> {
    let rows: Vec<Sealed> = sqlx::query_as(
        "select member_id, resident_id_cipher, resident_id_version, phone_cipher, phone_version
           from member where member_id = any($1)",
    )
    .bind(ids)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            let resident_id = keys.decrypt(row.resident_id_version, &row.resident_id_cipher)?;
            let phone = match (row.phone_cipher, row.phone_version) {
                (Some(p), Some(v)) => Some(keys.decrypt(v, &p)?),
                _ => None,
            };
            Ok((row.member_id, (resident_id, phone)))
        })
        .collect()
}

/// A member's encrypted fields as stored.
#[derive(sqlx::FromRow)]
struct Sealed {
    member_id: i64,
    resident_id_cipher: Vec<u8>,
    resident_id_version: i32,
    phone_cipher: Option<Vec<u8>>,
    phone_version: Option<i32>,
}

/// Re-encrypts every resident ID and phone not yet under the current key version, in one
/// transaction. Returns how many members were rewritten.
pub async fn reencrypt(db: &PgPool, keys: &Keys) -> anyhow::Result<u64> {
    let current = keys.current_version();
    let mut tx = db.begin().await?;
    let rows: Vec<Sealed> = sqlx::query_as(
        "select member_id, resident_id_cipher, resident_id_version, phone_cipher, phone_version
           from member where resident_id_version <> $1 or phone_version <> $1 for update",
    )
    .bind(current)
    .fetch_all(&mut *tx)
    .await?;
    for Sealed {
        member_id: id,
        resident_id_cipher: cipher,
        resident_id_version: version,
        phone_cipher: phone,
        phone_version,
    } in &rows
    {
        let (new_version, new_cipher) = keys.encrypt(&keys.decrypt(*version, cipher)?);
        let new_phone = match (phone, phone_version) {
            (Some(p), Some(v)) => Some(keys.encrypt(&keys.decrypt(*v, p)?)),
            _ => None,
        };
        sqlx::query(
            "update member set resident_id_cipher = $2, resident_id_version = $3, phone_cipher = $4, phone_version = $5
              where member_id = $1",
        )
        .bind(id)
        .bind(new_cipher)
        .bind(new_version)
        .bind(new_phone.as_ref().map(|(_, c)| c.clone()))
        .bind(new_phone.as_ref().map(|(v, _)| *v))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(rows.len() as u64)
}

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
    let in_scope = super::scope_condition(scope, IN_SCOPE);
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
    after: Option<(NaiveDate, i64)>,
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
    .bind(after.map_or(0, |a| a.1))
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
    id: i64,
    actor: &crate::domain::actor::Actor,
    at: chrono::DateTime<chrono::Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update member set state = 'aged_out' where member_id = $1 and state = 'active'",
    )
    .bind(id)
    .execute(&mut *db)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query(
        "insert into member_event (member_id, from_state, to_state, actor_account_id, actor_name, note, occurred_at)
         values ($1, 'active', 'aged_out', $2, $3, '年满28周岁且未担任团内职务，超龄离团', $4)",
    )
    .bind(id)
    .bind(actor.account_id)
    .bind(&actor.name)
    .bind(at)
    .execute(db)
    .await?;
    Ok(true)
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Comparison {
    pub unit_id: i64,
    pub name: String,
    pub reported: i32,
    pub counted: i64,
}

impl Comparison {
    pub fn difference(&self) -> i64 {
        self.counted - i64::from(self.reported)
    }
}

/// Reported (survey) and counted (roster) members in a round, in total.
pub async fn totals(db: &PgPool, survey: crate::domain::ids::SurveyId) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "select coalesce(sum(members), 0)::bigint, coalesce(sum(counted_members), 0)::bigint
           from survey_total where survey_id = $1",
    )
    .bind(survey)
    .fetch_one(db)
    .await
}

/// The units whose roster differs from their reported figure, largest difference first.
pub async fn differences(
    db: &PgPool,
    survey: crate::domain::ids::SurveyId,
    limit: i64,
) -> sqlx::Result<Vec<Comparison>> {
    sqlx::query_as(
        "select e.unit_id, u.name, e.members as reported, u.counted_members::bigint as counted
           from survey_entry e join unit u using (unit_id)
          where e.survey_id = $1 and u.counted_members <> e.members
          order by abs(u.counted_members - e.members) desc, u.name limit $2",
    )
    .bind(survey)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Rewrites a member (re-encrypting); `Ok(false)` when the resident ID belongs to another.
pub async fn update(
    db: &mut PgConnection,
    keys: &Keys,
    id: i64,
    m: &NewMember,
) -> sqlx::Result<bool> {
    let (id_version, id_cipher) = keys.encrypt(m.resident_id.as_str());
    let phone = m
        .phone
        .as_ref()
        .map(|p| (keys.encrypt(p.as_str()), p.masked()));
    let result = sqlx::query(
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
    .await;
    match result {
        Ok(_) => Ok(true),
        Err(e)
            if e.as_database_error().and_then(|d| d.constraint())
                == Some("member_resident_id_unique") =>
        {
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

pub async fn delete(db: &mut PgConnection, id: i64) -> sqlx::Result<bool> {
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

/// Inserts members in one statement and answers their ids in order; `Ok(None)` when a
/// resident ID is registered already (writing none of them).
pub async fn create_many(
    db: &mut PgConnection,
    keys: &Keys,
    members: &[NewMember],
) -> sqlx::Result<Option<Vec<i64>>> {
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
    let result = sqlx::query_scalar(
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
    .await;
    match result {
        Ok(ids) => Ok(Some(ids)),
        Err(e)
            if e.as_database_error().and_then(|d| d.constraint())
                == Some("member_resident_id_unique") =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The members of `create_many`, column by column, as `unnest` takes them.
#[derive(Default)]
struct Columns {
    organization: Vec<i64>,
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
    pub from_state: Option<String>,
    pub to_state: String,
    pub actor_name: String,
    pub note: Option<String>,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
}

/// A member's history, oldest first.
pub async fn events(db: &PgPool, member_id: i64) -> sqlx::Result<Vec<MemberEvent>> {
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
) -> sqlx::Result<Option<(i64, String, i64, String)>> {
    sqlx::query_as(
        "select member_id, name, organization_id, state from member where resident_id_index = $1",
    )
    .bind(keys.blind_index(resident_id.as_str()))
    .fetch_optional(db)
    .await
}

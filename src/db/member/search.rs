//! The roster's filtered, searched and paged list and its capped count.
//!
//! The statements are assembled from numbered fragments, and the numbers are a contract
//! the compiler does not check: `$1` is the scope's units (`IN_SCOPE`), `$2`, `$4`–`$7`
//! the filters in `FILTERS` and `UNFILTERED`, `$3` the search text in `Search::condition`,
//! all bound in that order by `bind_filter!`; `list` then binds `$8`–`$10` (the cursor and
//! the limit) and `count` `$8` (the cap). The fragments and their binder stay together in
//! this file, and `tests/app/member_search.rs` runs every `Search` variant, so that a
//! wrong order fails a test rather than a page.

use chrono::NaiveDate;
use sqlx::PgPool;

use super::{COLUMNS, IN_SCOPE, MemberRow};
use crate::domain::ids::{MemberId, OrganizationId};
use crate::domain::role::Scope;

/// The roster's filters.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub organization: Option<OrganizationId>,
    pub q: String,
    /// Born on or before / after these dates: the age band.
    pub born_before: Option<NaiveDate>,
    pub born_after: Option<NaiveDate>,
    /// Holding a league post, or not.
    pub has_post: Option<bool>,
    pub state: Option<super::State>,
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
            .bind($filter.state)
    };
}

/// The filters' conditions, `$2` and `$4`–`$7`: change them only together with
/// `bind_filter!` and `UNFILTERED` (see the module's first comment).
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

/// Members in scope matching the filters, by name after the cursor.
///
/// Searches are planned for their text each time (an unnamed statement): the walk that
/// suits a full name and the one that suits a common surname differ, and a generic plan
/// could not use the cursor as an index bound.
pub async fn list(
    db: &PgPool,
    scope: &Scope,
    filter: &Filter,
    after: Option<&(String, MemberId)>,
    limit: i64,
) -> sqlx::Result<Vec<MemberRow>> {
    let search = Search::of(scope, filter);
    let order = search.order();
    let in_scope = crate::db::scope_condition(scope, IN_SCOPE);
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
    .bind(after.map(|a| a.1))
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
            crate::db::scope_condition(scope, IN_SCOPE)
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

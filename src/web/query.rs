//! Lenient query parameters, read the same way on every page: a link or a hand-edited URL
//! may carry a blank, `on`, `1` or nonsense, and none of these is an error page unless it
//! names a record that cannot exist.

use serde::Deserialize;

use crate::db::unit::{DEPARTMENT_OR_COMMUNITY, Filter};
use crate::domain::ids::OrganizationId;
use crate::domain::unit::{Status, UnitKind};
use crate::error::{AppError, Result};

/// A yes/no filter: `true`, `1`, `on`, `yes` or `false`, `0`, `no`; anything else (or
/// nothing) means the filter is off.
pub fn flag(value: Option<&str>) -> Option<bool> {
    match value.map(str::trim) {
        Some("true" | "1" | "on" | "yes") => Some(true),
        Some("false" | "0" | "no") => Some(false),
        _ => None,
    }
}

/// An optional record id: blank or missing is none; anything but a number names no
/// record, so 404.
pub fn optional_id<T: From<i64>>(value: Option<&str>) -> Result<Option<T>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text
            .parse::<i64>()
            .map(|n| Some(T::from(n)))
            .map_err(|_| AppError::NotFound),
    }
}

/// The units list's filters as the page and the API take them (`kind`, `status`,
/// `has_members`, `has_organization`, `eligible_missing`, `eligible`, `in_round`, `pending`, `q`, `closed`), as text
/// so that odd values are ignored rather than refused. Flattened into each one's query.
#[derive(Debug, Default, Deserialize)]
pub struct UnitFilterQuery {
    pub kind: Option<String>,
    pub status: Option<String>,
    pub has_members: Option<String>,
    pub has_organization: Option<String>,
    pub eligible_missing: Option<String>,
    pub eligible: Option<String>,
    pub in_round: Option<String>,
    pub pending: Option<String>,
    pub q: Option<String>,
    pub closed: Option<String>,
}

impl UnitFilterQuery {
    /// The filter in force: unknown kinds and statuses are no filter, the search text is
    /// cleaned and capped at 50 characters.
    pub fn filter(&self) -> Filter {
        let on = |value: &Option<String>| flag(value.as_deref());
        Filter {
            kind: match self.kind.as_deref() {
                Some(DEPARTMENT_OR_COMMUNITY) => Some(DEPARTMENT_OR_COMMUNITY.to_string()),
                other => other
                    .and_then(UnitKind::parse)
                    .map(|k| k.code().to_string()),
            },
            status: self.status.as_deref().and_then(Status::parse),
            has_members: on(&self.has_members),
            has_organization: on(&self.has_organization),
            eligible_missing: on(&self.eligible_missing) == Some(true),
            eligible: on(&self.eligible) == Some(true),
            in_round: on(&self.in_round) == Some(true),
            pending: on(&self.pending),
            q: crate::domain::name::normalize_name(&crate::domain::search_text(
                self.q.as_deref().unwrap_or_default(),
                50,
            )),
            include_closed: on(&self.closed) == Some(true),
        }
    }
}

/// The roster's filters as the members page and the API take them: the search text
/// (cleaned, at most 40 characters), an age band (`14-17`, `18-22`, `23-27`, `28+`), whether
/// the member holds a league post (`true`/`false`) and the member's state; an odd value is
/// no filter.
pub fn member_filter(
    organization: Option<OrganizationId>,
    q: &str,
    age: Option<&str>,
    post: Option<&str>,
    state: Option<&str>,
    today: chrono::NaiveDate,
) -> crate::db::member::Filter {
    let (born_before, born_after) = age
        .and_then(|band| crate::domain::member::birth_range(band, today))
        .unwrap_or((None, None));
    crate::db::member::Filter {
        organization,
        q: crate::domain::name::normalize_name(&crate::domain::search_text(q, 40)),
        born_before,
        born_after,
        has_post: match post {
            Some("true") => Some(true),
            Some("false") => Some(false),
            _ => None,
        },
        state: state.and_then(crate::domain::member::State::from_code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::SurveyId;

    #[test]
    fn flags_and_ids_are_read_leniently() {
        assert_eq!(flag(Some(" on ")), Some(true));
        assert_eq!(flag(Some("0")), Some(false));
        assert_eq!(flag(Some("maybe")), None);
        assert_eq!(flag(None), None);
        assert_eq!(
            optional_id::<SurveyId>(Some(" 7 ")).ok(),
            Some(Some(SurveyId(7)))
        );
        assert_eq!(optional_id::<SurveyId>(Some("")).ok(), Some(None));
        assert!(optional_id::<SurveyId>(Some("seven")).is_err());
    }
}

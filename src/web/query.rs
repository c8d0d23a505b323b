//! Lenient query parameters, read the same way on every page: a link or a hand-edited URL
//! may carry a blank, `on`, `1` or nonsense, and none of these is an error page unless it
//! names a record that cannot exist.

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

//! What each reader sees of each personal field: the one rule that the pages, the API and
//! every export follow (DESIGN.md §1, "Full resident IDs: the committee, and the member's own
//! secretary for members of 18 and over, each viewing logged"; PIPL art. 28 and 31 count
//! identity numbers and minors' data as sensitive).
//!
//! A masked birth date is an age in whole years: a resident ID's region code, birth date and
//! last four digits are the whole number, so a birth date shown beside a masked ID would
//! unmask it.

/// How the reader stands to the person or unit whose field it is: the strongest of their
/// grants that reaches the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Through a committee grant (the whole zone).
    Committee,
    /// Through a secretary grant over the member's organisation, or over the unit itself.
    OwnSecretary,
    /// Everyone else who may read the record: leaders, and any grant that reads but does
    /// not keep it.
    Other,
}

/// A personal field tuanjian holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// A member's resident ID (GB 11643).
    ResidentId,
    /// A member's mobile number.
    MemberPhone,
    /// A member's birth date: it is part of the resident ID, so it goes with it.
    BirthDate,
    /// A unit's contact phone, a work number the unit gave for its contact person.
    ContactPhone,
}

/// How much of a field a reader sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// In full wherever it appears.
    Whole,
    /// Masked, and in full when the reader asks for it; each viewing is an audit event.
    OnRequest,
    /// Masked only: `652301********1234`, `138****5678`, a birth date as an age.
    Masked,
}

/// What `reader` sees of `field` of a member who is `adult` (18 or over today, in the zone's
/// local date); `adult` is ignored for a unit's field.
pub fn shown(reader: Reader, field: Field, adult: bool) -> Shown {
    match (field, reader) {
        (Field::ContactPhone, Reader::Committee | Reader::OwnSecretary) => Shown::Whole,
        (Field::ContactPhone, Reader::Other) => Shown::Masked,
        (_, Reader::Committee) => Shown::OnRequest,
        (_, Reader::OwnSecretary) if adult => Shown::OnRequest,
        _ => Shown::Masked,
    }
}

/// Whether `reader` may take members' full numbers out in bulk (the roster export with full
/// numbers): the committee alone, since a file of numbers outlives the viewing it logs.
pub fn may_export_whole(reader: Reader) -> bool {
    reader == Reader::Committee
}

/// The age at which a member's own secretary may see their full numbers (DESIGN.md §1).
pub const ADULT_AGE: u32 = 18;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committee_asks_for_every_members_number_and_the_own_secretary_for_adults_only() {
        for field in [Field::ResidentId, Field::MemberPhone, Field::BirthDate] {
            assert_eq!(shown(Reader::Committee, field, false), Shown::OnRequest);
            assert_eq!(shown(Reader::OwnSecretary, field, true), Shown::OnRequest);
            assert_eq!(shown(Reader::OwnSecretary, field, false), Shown::Masked);
            assert_eq!(shown(Reader::Other, field, true), Shown::Masked);
        }
    }

    #[test]
    fn a_units_contact_phone_is_whole_for_those_who_keep_the_unit_and_masked_for_others() {
        assert_eq!(
            shown(Reader::Committee, Field::ContactPhone, false),
            Shown::Whole
        );
        assert_eq!(
            shown(Reader::OwnSecretary, Field::ContactPhone, false),
            Shown::Whole
        );
        assert_eq!(
            shown(Reader::Other, Field::ContactPhone, true),
            Shown::Masked
        );
        assert!(may_export_whole(Reader::Committee));
        assert!(!may_export_whole(Reader::OwnSecretary));
        assert!(!may_export_whole(Reader::Other));
    }
}

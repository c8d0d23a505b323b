//! The kinds of league organisation (`organization.kind`): the zone's committee at the root,
//! and the four a unit's own organisation can be, stored as their Chinese names.

use super::stored::stored_as_code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The zone's league work committee (团工委), the root of the tree.
    Committee,
    /// 基层团委, which the workbooks call 团委.
    Basic,
    /// 团总支.
    General,
    /// 团支部.
    Branch,
    /// 联合团支部, one branch for several small units.
    JointBranch,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Committee,
        Kind::Basic,
        Kind::General,
        Kind::Branch,
        Kind::JointBranch,
    ];

    /// The kinds a unit's own organisation can be, as the forms offer them.
    pub const OF_UNIT: [Kind; 4] = [Kind::Basic, Kind::General, Kind::Branch, Kind::JointBranch];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Committee => "committee",
            Kind::Basic => "基层团委",
            Kind::General => "团总支",
            Kind::Branch => "团支部",
            Kind::JointBranch => "联合团支部",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Committee => "团工委",
            other => other.code(),
        }
    }

    /// A unit's organisation kind as a form or a workbook gives it ("团委" for 基层团委);
    /// never the committee.
    pub fn parse(s: &str) -> Option<Kind> {
        match s.trim() {
            "团委" => Some(Kind::Basic),
            other => Kind::OF_UNIT.into_iter().find(|k| k.code() == other),
        }
    }

    pub fn is_committee(self) -> bool {
        self == Kind::Committee
    }
}

stored_as_code!(Kind);

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn kinds_round_trip_and_the_workbook_words_parse() {
        crate::domain::stored::assert_codes_round_trip(
            &Kind::ALL,
            Kind::code,
            Kind::from_code,
            "团委",
        );
        for kind in Kind::OF_UNIT {
            assert_eq!(Kind::parse(kind.code()), Some(kind));
        }
        assert_eq!(Kind::parse(" 团委 "), Some(Kind::Basic));
        assert_eq!(Kind::parse("committee"), None);
        assert_eq!(Kind::parse("团小组"), None);
        assert_eq!(Kind::Committee.label(), "团工委");
    }
}

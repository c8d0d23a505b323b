//! The collectives that create a 青年文明号 (a department's 科室, an enterprise's 工段 or
//! 班组, a community's team) and the levels that recognise one.

use crate::domain::stored::stored_as_code;
use crate::domain::unit::UnitKind;

/// The kind of collective (集体) that creates a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Collective {
    /// A department's 科室.
    Office,
    /// An enterprise's 工段.
    Section,
    /// An enterprise's 班组.
    Crew,
    /// A community's team (团队).
    Team,
}

impl Collective {
    pub const ALL: [Collective; 4] = [
        Collective::Office,
        Collective::Section,
        Collective::Crew,
        Collective::Team,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Collective::Office => "office",
            Collective::Section => "section",
            Collective::Crew => "crew",
            Collective::Team => "team",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Collective::Office => "科室",
            Collective::Section => "工段",
            Collective::Crew => "班组",
            Collective::Team => "团队",
        }
    }

    /// Whether a unit of `kind` has collectives of this kind: a department's 科室, an
    /// enterprise's 工段 or 班组, a community's team (issue 17 item 2).
    pub fn fits(self, kind: UnitKind) -> bool {
        matches!(
            (self, kind),
            (Collective::Office, UnitKind::Department)
                | (Collective::Section | Collective::Crew, UnitKind::Enterprise)
                | (Collective::Team, UnitKind::Community)
        )
    }
}

stored_as_code!(Collective);

/// The level that recognised a post, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    Zone,
    City,
    Province,
    National,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Zone, Level::City, Level::Province, Level::National];

    pub fn code(self) -> &'static str {
        match self {
            Level::Zone => "zone",
            Level::City => "city",
            Level::Province => "province",
            Level::National => "national",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::Zone => "开发区级",
            Level::City => "地市级",
            Level::Province => "省级",
            Level::National => "全国",
        }
    }
}

stored_as_code!(Level);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stored::assert_codes_round_trip;

    #[test]
    fn levels_and_collectives_round_trip() {
        assert_codes_round_trip(&Level::ALL, Level::code, Level::from_code, "county");
        assert_codes_round_trip(
            &Collective::ALL,
            Collective::code,
            Collective::from_code,
            "factory",
        );
    }

    #[test]
    fn collectives_belong_to_their_kind_of_unit() {
        assert!(Collective::Office.fits(UnitKind::Department));
        assert!(Collective::Crew.fits(UnitKind::Enterprise));
        assert!(Collective::Section.fits(UnitKind::Enterprise));
        assert!(Collective::Team.fits(UnitKind::Community));
        assert!(!Collective::Office.fits(UnitKind::Enterprise));
        assert!(!Collective::Team.fits(UnitKind::Department));
    }
}

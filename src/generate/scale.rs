//! How big a generated zone is: members given by a scale (`50k`, `500k`, `5m`) or a plain
//! number, and everything else in the proportions of a province (DESIGN.md §7: 5,000,000
//! members, 300,000 units, 250,000 organisations).

/// The fewest members that still give every kind of unit and organisation.
pub const MIN_MEMBERS: u64 = 1_000;
/// Resident IDs are unique by construction over `AREAS × 365 days × 500` per sex; this
/// stays well inside that.
pub const MAX_MEMBERS: u64 = 10_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    pub members: u64,
    pub units: u64,
    /// Organisations below the committee, joint branches included.
    pub organizations: u64,
    /// 联合团支部, each over two to four small units.
    pub joint_branches: u64,
}

impl Sizes {
    pub fn for_members(members: u64) -> Result<Sizes, String> {
        if !(MIN_MEMBERS..=MAX_MEMBERS).contains(&members) {
            return Err(format!(
                "the number of members must be between {MIN_MEMBERS} and {MAX_MEMBERS}, not {members}"
            ));
        }
        let organizations = members / 20;
        Ok(Sizes {
            members,
            units: members * 3 / 50,
            organizations,
            joint_branches: (organizations / 25).max(1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_province_has_the_proportions_of_the_design() {
        let province = Sizes::for_members(5_000_000).unwrap();
        assert_eq!(province.units, 300_000);
        assert_eq!(province.organizations, 250_000);
        assert_eq!(province.joint_branches, 10_000);
        let small = Sizes::for_members(50_000).unwrap();
        assert_eq!((small.units, small.organizations), (3_000, 2_500));
        assert!(Sizes::for_members(999).is_err());
        assert!(Sizes::for_members(MAX_MEMBERS + 1).is_err());
    }
}

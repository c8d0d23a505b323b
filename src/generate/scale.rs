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

/// `50k`, `500k`, `5m` or a plain number of members.
pub fn parse_scale(text: &str) -> Result<u64, String> {
    let text = text.trim().to_ascii_lowercase().replace(['_', ','], "");
    let (digits, factor) = match text.as_bytes().last() {
        Some(b'k') => (&text[..text.len() - 1], 1_000),
        Some(b'm') => (&text[..text.len() - 1], 1_000_000),
        _ => (text.as_str(), 1),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
        .ok_or_else(|| format!("expected a scale like 50k, 500k or 5m, not {text:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_and_numbers_parse() {
        assert_eq!(parse_scale("50k"), Ok(50_000));
        assert_eq!(parse_scale("500K"), Ok(500_000));
        assert_eq!(parse_scale("5m"), Ok(5_000_000));
        assert_eq!(parse_scale("20000"), Ok(20_000));
        assert_eq!(parse_scale("20_000"), Ok(20_000));
        assert!(parse_scale("5g").is_err());
        assert!(parse_scale("").is_err());
    }

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

//! Names and numbers of units and organisations, pure functions of the unit's index:
//! unique by construction (each kind's running number picks a distinct combination of
//! words), and valid credit codes carrying the index.

use super::Rng;
use super::tables::{
    AREAS, BRANDS, BUREAUS, COMMUNITY_FIRST, COMMUNITY_SECOND, FORMS, GIVEN_FEMALE, GIVEN_MALE,
    MOBILE_PREFIXES, PLACES, SURNAMES, TRADES,
};
use super::zone::{Zone, kind_of};
use crate::domain::credit_code::CreditCode;
use crate::domain::unit::UnitKind;

/// Coprime to every capacity below (their factors are 2, 3 and 5), so consecutive units
/// get unlike names while no two share one.
const STRIDE: u64 = 1_000_003;

/// The digits of `index`'s place in a mixed-radix space of `radices`, and how many times
/// the space has been used up before it.
fn combination<const N: usize>(index: usize, radices: [usize; N]) -> ([usize; N], usize) {
    let capacity: usize = radices.iter().product();
    let mut x = ((index % capacity) as u64 * STRIDE % capacity as u64) as usize;
    let mut digits = [0; N];
    for (digit, radix) in digits.iter_mut().zip(radices) {
        *digit = x % radix;
        x /= radix;
    }
    (digits, index / capacity)
}

/// 第2分公司 … once every combination has been given out.
fn suffix(round: usize, word: &str) -> String {
    if round == 0 {
        String::new()
    } else {
        format!("第{}{word}", round + 1)
    }
}

pub fn unit_name(i: usize) -> String {
    match kind_of(i) {
        (UnitKind::Department, n) => {
            let ([p, b], round) = combination(n, [PLACES.len(), BUREAUS.len()]);
            format!("{}{}{}", PLACES[p], BUREAUS[b], suffix(round, "分局"))
        }
        (UnitKind::Community, n) => {
            let ([p, a, b], round) = combination(
                n,
                [PLACES.len(), COMMUNITY_FIRST.len(), COMMUNITY_SECOND.len()],
            );
            format!(
                "{}{}{}社区{}",
                PLACES[p],
                COMMUNITY_FIRST[a],
                COMMUNITY_SECOND[b],
                suffix(round, "分区")
            )
        }
        (UnitKind::Enterprise, n) => {
            let ([p, b, t, f], round) =
                combination(n, [PLACES.len(), BRANDS.len(), TRADES.len(), FORMS.len()]);
            format!(
                "{}{}{}{}{}",
                PLACES[p],
                BRANDS[b],
                TRADES[t],
                FORMS[f],
                suffix(round, "分公司")
            )
        }
    }
}

pub fn industry(i: usize) -> &'static str {
    match kind_of(i) {
        (UnitKind::Department, _) => "公共管理",
        (UnitKind::Community, _) => "社区服务",
        (UnitKind::Enterprise, n) => {
            let ([_, _, t, _], _) =
                combination(n, [PLACES.len(), BRANDS.len(), TRADES.len(), FORMS.len()]);
            TRADES[t]
        }
    }
}

/// 91 (enterprise) or 11 (government body), the county, the unit's index, the check.
pub fn credit_code(i: usize) -> String {
    let prefix = if kind_of(i).0 == UnitKind::Enterprise {
        "91"
    } else {
        "11"
    };
    let first17 = format!("{prefix}{}{:09}", AREAS[i % AREAS.len()], i);
    CreditCode::with_check(&first17)
        .expect("digits are in the alphabet")
        .as_str()
        .to_string()
}

pub fn organization_name(zone: &Zone, org: usize) -> String {
    let o = &zone.orgs[org];
    if o.unit == super::zone::NONE {
        let units = joint_units(zone, org);
        return format!(
            "{}等{}家单位联合团支部",
            unit_name(units[0] as usize),
            units.len()
        );
    }
    let unit = unit_name(o.unit as usize);
    match o.kind {
        "基层团委" => format!("共青团{unit}委员会"),
        "团总支" => format!("共青团{unit}总支部委员会"),
        _ => format!("共青团{unit}支部委员会"),
    }
}

/// The units of a joint branch (the links are in organisation order).
pub fn joint_units(zone: &Zone, org: usize) -> Vec<u32> {
    let start = zone.joint.partition_point(|(g, _)| (*g as usize) < org);
    zone.joint[start..]
        .iter()
        .take_while(|(g, _)| *g as usize == org)
        .map(|(_, u)| *u)
        .collect()
}

/// A Han name for a contact person or a staff account.
pub fn han_name(rng: &mut Rng) -> String {
    let given = if rng.below(2) == 0 {
        &GIVEN_MALE
    } else {
        &GIVEN_FEMALE
    };
    format!(
        "{}{}{}",
        SURNAMES[rng.below(100).min(rng.below(100)) as usize],
        rng.pick(given),
        rng.pick(given)
    )
}

pub fn mobile(rng: &mut Rng) -> String {
    format!(
        "{}{:08}",
        rng.pick(&MOBILE_PREFIXES),
        rng.below(100_000_000)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::phone::Phone;

    #[test]
    fn names_and_codes_are_unique_and_valid_across_a_province() {
        let mut names = std::collections::HashSet::new();
        let mut codes = std::collections::HashSet::new();
        for i in 0..300_000 {
            assert!(names.insert(unit_name(i)), "name of {i}");
            if i % 10 == 0 {
                let code = credit_code(i);
                assert!(CreditCode::parse(&code).is_ok(), "{code}");
                assert!(codes.insert(code));
            }
        }
        assert!(unit_name(0).ends_with('局') && unit_name(1).ends_with("社区"));
        assert!(unit_name(6).ends_with("公司"));
        let mut rng = Rng::new(3);
        assert!((0..100).all(|_| Phone::parse(&mobile(&mut rng)).is_some()));
    }

    #[test]
    fn an_exhausted_space_goes_on_with_numbered_branches() {
        let ([_, _], round) = combination(2400 + 7, [PLACES.len(), BUREAUS.len()]);
        assert_eq!(round, 1);
        assert_eq!(suffix(1, "分局"), "第2分局");
    }
}

//! The zone's shape, decided up front and held in memory (a few dozen bytes per unit and
//! organisation, never per member): which units have an organisation of their own, which
//! share a joint branch and which have none, the tree, and how many members each roster
//! holds, summing exactly to the number asked for.

use chrono::NaiveDate;

use super::scale::Sizes;
use super::{Rng, mix};
use crate::domain::unit::UnitKind;

/// No organisation, no parent (the committee), no account.
pub const NONE: u32 = u32::MAX;
/// Committee staff and leaders come before the secretaries' accounts.
pub const STAFF_ACCOUNTS: u32 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Own,
    Joint,
    Without,
}

#[derive(Debug, Clone, Copy)]
pub struct Unit {
    pub kind: UnitKind,
    pub status: Option<&'static str>,
    pub place: Place,
    pub org: u32,
    /// Members on the roster of its organisation (its share of a joint branch's).
    pub roster: u32,
    /// The current round's figures as reported: members close to the roster.
    pub members: u32,
    pub youth: u32,
    pub staff: u32,
    pub account: u32,
}

#[derive(Debug, Clone)]
pub struct Org {
    pub kind: &'static str,
    pub unit: u32,
    pub parent: u32,
    pub first_member: u64,
    pub roster: u32,
    /// Members holding a post: the first `cadres` of the roster.
    pub cadres: u32,
    pub established_on: NaiveDate,
    pub approval: Option<(i32, u32)>,
    pub term_years: u32,
    pub elected_on: NaiveDate,
}

pub struct Zone {
    pub seed: u64,
    pub today: NaiveDate,
    pub sizes: Sizes,
    pub units: Vec<Unit>,
    pub orgs: Vec<Org>,
    /// (organisation, unit) of every joint branch.
    pub joint: Vec<(u32, u32)>,
    /// The unit of each secretary's account, after the staff accounts.
    pub secretaries: Vec<u32>,
}

/// One department in 125 units, five communities, the rest enterprises; the kind's own
/// running number makes the unit's name.
pub fn kind_of(i: usize) -> (UnitKind, usize) {
    let (block, at) = (i / 125, i % 125);
    match at {
        0 => (UnitKind::Department, block),
        1..=5 => (UnitKind::Community, block * 5 + at - 1),
        _ => (UnitKind::Enterprise, block * 119 + at - 6),
    }
}

/// Members of an organisation of its own, before scaling: most small, a few very large.
fn raw_roster(rng: &mut Rng) -> u64 {
    match rng.below(1000) {
        0..=549 => 3 + rng.below(10),
        550..=829 => 12 + rng.below(24),
        830..=959 => 35 + rng.below(66),
        960..=994 => 100 + rng.below(300),
        _ => 400 + rng.below(1600),
    }
}

pub fn plan(sizes: Sizes, seed: u64, today: NaiveDate) -> Zone {
    let n = sizes.units as usize;
    let mut units = Vec::with_capacity(n);
    let mut ranked = Vec::with_capacity(n);
    for i in 0..n {
        let mut rng = Rng::new(mix(seed ^ 0x756e_6974, i as u64));
        let (kind, _) = kind_of(i);
        let status = (kind == UnitKind::Enterprise).then(|| match rng.below(1000) {
            0..=929 => "运行",
            930..=959 => "在建",
            960..=984 => "停产",
            _ => "注销",
        });
        // Operating units come first for an organisation; the rest fill the tail.
        let operating = status.is_none_or(|s| s == "运行");
        ranked.push((u64::from(operating) << 40 | rng.below(1 << 40), i));
        units.push(Unit {
            kind,
            status,
            place: Place::Without,
            org: NONE,
            roster: 0,
            members: 0,
            youth: 0,
            staff: 0,
            account: NONE,
        });
    }
    ranked.sort_unstable_by(|a, b| b.cmp(a));
    let mut rng = Rng::new(mix(seed, 0x706c_616e));
    let groups: Vec<usize> = (0..sizes.joint_branches)
        .map(|_| 2 + rng.below(3) as usize)
        .collect();
    let own = (sizes.organizations - sizes.joint_branches) as usize;
    let in_joint: usize = groups.iter().sum();
    for (rank, &(_, i)) in ranked.iter().enumerate() {
        units[i].place = match rank {
            r if r < own => Place::Own,
            r if r < own + in_joint => Place::Joint,
            _ => Place::Without,
        };
    }

    // Joint branches: one or two members from each of their units, three at least.
    let joint_units: Vec<usize> = (0..n).filter(|&i| units[i].place == Place::Joint).collect();
    let mut joint_groups = Vec::with_capacity(groups.len());
    let mut at = 0;
    for size in groups {
        let members: Vec<usize> = joint_units[at..at + size].to_vec();
        at += size;
        for &i in &members {
            units[i].roster = 1 + rng.below(2) as u32;
        }
        if members.iter().map(|&i| units[i].roster).sum::<u32>() < 3 {
            units[members[0]].roster = 2;
        }
        joint_groups.push(members);
    }
    let joint_total: u64 = joint_units
        .iter()
        .map(|&i| u64::from(units[i].roster))
        .sum();

    // Own organisations: heavy-tailed sizes scaled to make the total exact.
    let owners: Vec<usize> = (0..n).filter(|&i| units[i].place == Place::Own).collect();
    let raw: Vec<u64> = owners
        .iter()
        .map(|&i| raw_roster(&mut Rng::new(mix(seed ^ 0x726f_7374, i as u64))) - 3)
        .collect();
    let target = sizes.members - joint_total - 3 * owners.len() as u64;
    let raw_total: u64 = raw.iter().sum::<u64>().max(1);
    let mut given = 0u64;
    for (&i, &extra) in owners.iter().zip(&raw) {
        let scaled = (u128::from(extra) * u128::from(target) / u128::from(raw_total)) as u64;
        units[i].roster = 3 + scaled as u32;
        given += scaled;
    }
    for &i in owners.iter().cycle().take((target - given) as usize) {
        units[i].roster += 1;
    }

    for (i, unit) in units.iter_mut().enumerate() {
        figures(unit, &mut Rng::new(mix(seed ^ 0x6669_6775, i as u64)));
    }
    let (orgs, joint) = super::tree::build(&mut units, &joint_groups, seed, today);
    let mut secretaries = Vec::new();
    for (i, unit) in units.iter_mut().enumerate() {
        if unit.place == Place::Own || (unit.place == Place::Without && unit.members >= 3) {
            unit.account = STAFF_ACCOUNTS + secretaries.len() as u32;
            secretaries.push(i as u32);
        }
    }
    Zone {
        seed,
        today,
        sizes,
        units,
        orgs,
        joint,
        secretaries,
    }
}

/// The current round's reported figures: members close to the roster, youth at least
/// the members, staff at least the youth.
fn figures(unit: &mut Unit, rng: &mut Rng) {
    unit.members = match unit.place {
        Place::Own => match rng.below(100) {
            0..=84 => unit.roster,
            85..=94 => unit.roster + 1 + rng.below(3) as u32,
            _ => unit.roster.saturating_sub(1 + rng.below(2) as u32).max(1),
        },
        Place::Joint => unit.roster + u32::from(rng.below(10) == 0),
        Place::Without if unit.status == Some("注销") => 0,
        Place::Without => match rng.below(100) {
            0..=39 => 0,
            40..=59 => 1 + rng.below(2) as u32,
            _ => 3 + rng.below(18) as u32,
        },
    };
    unit.youth = if unit.members == 0 {
        rng.below(40) as u32
    } else {
        unit.members * (15 + rng.below(45) as u32) / 10 + rng.below(10) as u32
    };
    unit.staff = unit.youth * (12 + rng.below(18) as u32) / 10 + 3 + rng.below(20) as u32;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_number_their_units_without_gaps() {
        let mut next = [0usize; 3];
        for i in 0..1000 {
            let (kind, index) = kind_of(i);
            let slot = kind as usize;
            assert_eq!(index, next[slot]);
            next[slot] += 1;
        }
        assert_eq!(next, [8, 40, 952]);
    }

    #[test]
    fn rosters_add_up_and_places_match_the_sizes() {
        let sizes = Sizes::for_members(20_000).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let zone = plan(sizes, 5, today);
        let roster: u64 = zone.orgs.iter().map(|o| u64::from(o.roster)).sum();
        assert_eq!(roster, 20_000);
        assert_eq!(zone.orgs.len() as u64, sizes.organizations);
        assert_eq!(zone.units.len() as u64, sizes.units);
        for unit in &zone.units {
            assert!(unit.members <= unit.youth && unit.youth <= unit.staff);
            assert_eq!(unit.place == Place::Without, unit.org == NONE);
        }
        for org in &zone.orgs {
            assert!(org.roster >= 3 && org.cadres >= 1 && org.cadres <= org.roster);
            assert!(org.parent == NONE || (org.parent as usize) < zone.orgs.len());
        }
    }
}

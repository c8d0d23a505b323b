//! The organisation tree under the committee: 基层团委 first, then 团总支, then 团支部 and
//! 联合团支部, each hung under an earlier one (or the committee), so a parent's id is
//! always smaller than its children's. Dates, approval numbers, terms and cadres.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};

use super::zone::{NONE, Org, Place, Unit};
use super::{Rng, mix};
use crate::domain::unit::UnitKind;

fn kind_for(unit: &Unit, rng: &mut Rng) -> &'static str {
    let public = matches!(unit.kind, UnitKind::Department | UnitKind::Community);
    match unit.roster {
        100.. if rng.below(10) < 8 => "基层团委",
        100.. => "团总支",
        30..=99 if rng.below(10) < 6 => "团总支",
        10.. if public && rng.below(2) == 0 => "基层团委",
        10.. if public => "团总支",
        _ => "团支部",
    }
}

fn rank(kind: &str) -> u8 {
    match kind {
        "基层团委" => 0,
        "团总支" => 1,
        "团支部" => 2,
        _ => 3,
    }
}

/// Builds the organisations (ids in the returned order) and the joint branches' links,
/// and points every unit with an organisation at it.
pub fn build(
    units: &mut [Unit],
    joint_groups: &[Vec<usize>],
    seed: u64,
    today: NaiveDate,
) -> (Vec<Org>, Vec<(u32, u32)>) {
    // (kind, unit or NONE, joint group or NONE)
    let mut entries: Vec<(&'static str, u32, u32)> = Vec::new();
    for (i, unit) in units.iter().enumerate() {
        if unit.place == Place::Own {
            let mut rng = Rng::new(mix(seed ^ 0x6b69_6e64, i as u64));
            entries.push((kind_for(unit, &mut rng), i as u32, NONE));
        }
    }
    entries.extend((0..joint_groups.len()).map(|g| ("联合团支部", NONE, g as u32)));
    entries.sort_by_key(|&(kind, unit, group)| (rank(kind), unit, group));

    let first_of = |r: u8| {
        entries
            .iter()
            .position(|e| rank(e.0) >= r)
            .unwrap_or(entries.len())
    };
    let (committees, branches_from) = (0..first_of(1), first_of(2));
    let totals = first_of(1)..branches_from;
    let mut numbers: HashMap<i32, u32> = HashMap::new();
    let mut orgs = Vec::with_capacity(entries.len());
    let mut joint = Vec::new();
    let mut first_member = 0u64;
    for (index, &(kind, unit, group)) in entries.iter().enumerate() {
        let mut rng = Rng::new(mix(seed ^ 0x7472_6565, index as u64));
        let pick = |rng: &mut Rng, range: &std::ops::Range<usize>| {
            if range.is_empty() {
                NONE
            } else {
                (range.start + rng.below(range.len() as u64) as usize) as u32
            }
        };
        let parent = match (rank(kind), rng.below(100)) {
            (0, _) => NONE,
            (1, 0..=69) => pick(&mut rng, &committees),
            (1, _) => NONE,
            (_, 0..=44) if !totals.is_empty() => pick(&mut rng, &totals),
            (_, 0..=79) => pick(&mut rng, &committees),
            _ => NONE,
        };
        let roster = if unit == NONE {
            let members = &joint_groups[group as usize];
            for &u in members {
                units[u].org = index as u32;
                joint.push((index as u32, u as u32));
            }
            members.iter().map(|&u| units[u].roster).sum()
        } else {
            units[unit as usize].org = index as u32;
            units[unit as usize].roster
        };
        let established_on = today - Duration::days(30 + rng.below(3650) as i64);
        let approval = (rng.below(100) < 88).then(|| {
            let year = established_on.year();
            let number = numbers.entry(year).or_insert(0);
            *number += 1;
            (year, *number)
        });
        let term_years = if rng.below(4) == 0 { 2 } else { 3 };
        let mut elected_on = established_on;
        while add_years(elected_on, term_years) <= today {
            elected_on = add_years(elected_on, term_years);
        }
        // Some branches are overdue for re-election (换届).
        if rng.below(100) < 8 && elected_on > established_on {
            elected_on = add_years(elected_on, -term_years);
        }
        let cadres = if roster >= 7 {
            (3 + rng.below(3) as u32).min(roster)
        } else {
            1
        };
        orgs.push(Org {
            kind,
            unit,
            parent,
            first_member,
            roster,
            cadres,
            established_on,
            approval,
            term_years: term_years as u32,
            elected_on,
        });
        first_member += u64::from(roster);
    }
    (orgs, joint)
}

/// The same day `years` later (28 February for 29 February).
pub fn add_years(day: NaiveDate, years: impl Into<i64>) -> NaiveDate {
    let year = day.year() + years.into() as i32;
    NaiveDate::from_ymd_opt(year, day.month(), day.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, day.month(), 28))
        .expect("a valid day")
}

/// The post of the `j`-th member of an organisation of `kind` holding one.
pub fn post(kind: &str, j: u32) -> &'static str {
    match (kind, j) {
        ("基层团委", 0) => "团委书记",
        ("基层团委", 1) => "团委副书记",
        ("团总支", 0) => "团总支书记",
        ("团总支", 1) => "团总支副书记",
        (_, 0) => "团支部书记",
        (_, 1) => "团支部副书记",
        (_, 2) => "组织委员",
        (_, 3) => "宣传委员",
        _ => "委员",
    }
}

/// The same post as `organization_cadre` names it.
pub fn cadre_post(j: u32) -> &'static str {
    ["书记", "副书记", "组织委员", "宣传委员", "委员"][j.min(4) as usize]
}

//! Formation applications (建团申请) and their history: the recent organisations were
//! approved through one, some after being returned once; eligible units without an
//! organisation have one pending, in draft, returned or rejected, or none at all (督促).

use super::names::{han_name, unit_name};
use super::write_rounds::office_time;
use super::write_zone::{approval_number, secretary_name};
use super::zone::{NONE, Place, Zone};
use super::{Rng, mix};
use chrono::{DateTime, Duration, Utc};

/// (from, to, by the committee, note, when): one row of the application's history.
pub type Step = (
    Option<&'static str>,
    &'static str,
    bool,
    Option<String>,
    DateTime<Utc>,
);

#[derive(Debug, Clone)]
pub struct Application {
    pub unit: u32,
    /// The organisation it created, when approved.
    pub org: u32,
    pub state: &'static str,
    pub name: String,
    pub kind: &'static str,
    pub secretary: String,
    pub members: u32,
    pub youth: u32,
    /// Oldest first.
    pub history: Vec<Step>,
}

impl Application {
    pub fn at(&self, state: &str) -> Option<DateTime<Utc>> {
        self.history
            .iter()
            .rev()
            .find(|e| e.1 == state)
            .map(|e| e.4)
    }

    pub fn note(&self) -> Option<&str> {
        self.history.last().and_then(|e| e.3.as_deref())
    }
}

const RETURN_REASONS: [&str; 4] = [
    "请补充团员名单及团员证复印件。",
    "拟任书记人选材料不全，请补充。",
    "申请书缺少单位党组织意见，请补充后重新提交。",
    "团员人数与摸排数据不一致，请核实。",
];

/// Every application, approved ones (in organisation order) first.
pub fn plan(zone: &Zone) -> Vec<Application> {
    let today = zone.today;
    let mut apps = Vec::new();
    for (index, org) in zone.orgs.iter().enumerate() {
        let Some(number) = org.approval else { continue };
        if today - org.established_on > Duration::days(3 * 365) {
            continue;
        }
        let mut rng = Rng::new(mix(zone.seed ^ 0x6170_7072, index as u64));
        let unit = if org.unit == NONE {
            super::names::joint_units(zone, index)[0]
        } else {
            org.unit
        };
        let decided = office_time(org.established_on, &mut rng);
        let mut history = Vec::new();
        let mut at = decided - Duration::days(5 + rng.below(40) as i64);
        if rng.below(4) == 0 {
            let resubmitted = decided - Duration::days(3 + rng.below(12) as i64);
            let returned = resubmitted - Duration::days(2 + rng.below(8) as i64);
            at = returned - Duration::days(3 + rng.below(8) as i64);
            history.push((
                Some("submitted"),
                "returned",
                true,
                Some(rng.pick(&RETURN_REASONS).to_string()),
                returned,
            ));
            history.push((Some("returned"), "resubmitted", false, None, resubmitted));
        }
        let from = if history.is_empty() {
            "submitted"
        } else {
            "resubmitted"
        };
        history.insert(0, (Some("draft"), "submitted", false, None, at));
        history.insert(
            0,
            (
                None,
                "draft",
                false,
                None,
                at - Duration::days(1 + rng.below(5) as i64),
            ),
        );
        history.push((
            Some(from),
            "approved",
            true,
            Some(format!("文号：{}", approval_number(number))),
            decided,
        ));
        apps.push(Application {
            unit,
            org: index as u32,
            state: "approved",
            name: super::names::organization_name(zone, index),
            kind: org.kind,
            secretary: secretary_name(zone, index),
            members: org.roster,
            youth: zone.units[unit as usize].youth,
            history,
        });
    }
    for (i, unit) in zone.units.iter().enumerate() {
        if unit.place != Place::Without || unit.members < 3 || unit.status == Some("注销") {
            continue;
        }
        let mut rng = Rng::new(mix(zone.seed ^ 0x6f70_656e, i as u64));
        let roll = rng.below(100);
        if roll >= 65 {
            continue;
        }
        let start = office_time(today - Duration::days(60 + rng.below(120) as i64), &mut rng);
        let day = |rng: &mut Rng, from: DateTime<Utc>, most: u64| {
            from + Duration::days(1 + rng.below(most) as i64)
        };
        let mut history = vec![(None, "draft", false, None, start)];
        let state = match roll {
            0..=39 => {
                let submitted = day(&mut rng, start, 5);
                history.push((Some("draft"), "submitted", false, None, submitted));
                if roll < 13 {
                    let returned = day(&mut rng, submitted, 9);
                    history.push((
                        Some("submitted"),
                        "returned",
                        true,
                        Some(rng.pick(&RETURN_REASONS).to_string()),
                        returned,
                    ));
                    history.push((
                        Some("returned"),
                        "resubmitted",
                        false,
                        None,
                        day(&mut rng, returned, 9),
                    ));
                    "resubmitted"
                } else {
                    "submitted"
                }
            }
            40..=49 => "draft",
            50..=59 => {
                let submitted = day(&mut rng, start, 5);
                history.push((Some("draft"), "submitted", false, None, submitted));
                history.push((
                    Some("submitted"),
                    "returned",
                    true,
                    Some(rng.pick(&RETURN_REASONS).to_string()),
                    day(&mut rng, submitted, 9),
                ));
                "returned"
            }
            _ => {
                let submitted = day(&mut rng, start, 5);
                history.push((Some("draft"), "submitted", false, None, submitted));
                history.push((
                    Some("submitted"),
                    "rejected",
                    true,
                    Some("该单位已停止经营，暂不具备建团条件。".to_string()),
                    day(&mut rng, submitted, 20),
                ));
                "rejected"
            }
        };
        let kind = if unit.members >= 30 {
            "团总支"
        } else {
            "团支部"
        };
        apps.push(Application {
            unit: i as u32,
            org: NONE,
            state,
            name: format!(
                "共青团{}{}",
                unit_name(i),
                if kind == "团总支" {
                    "总支部委员会"
                } else {
                    "支部委员会"
                }
            ),
            kind,
            secretary: han_name(&mut rng),
            members: unit.members,
            youth: unit.youth,
            history,
        });
    }
    apps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::scale::Sizes;

    #[test]
    fn every_state_occurs_and_histories_run_forward_in_time() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let zone = crate::generate::zone::plan(Sizes::for_members(50_000).unwrap(), 2, today);
        let apps = plan(&zone);
        let states: std::collections::HashSet<_> = apps.iter().map(|a| a.state).collect();
        assert_eq!(states.len(), 6, "{states:?}");
        for app in &apps {
            assert!(
                app.history
                    .windows(2)
                    .all(|w| w[0].4 <= w[1].4 && Some(w[0].1) == w[1].0)
            );
            assert_eq!(app.history.last().unwrap().1, app.state);
        }
    }
}

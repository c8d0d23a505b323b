//! The four roles of DESIGN.md §1 and what scope a set of grants gives: each grant keeps its
//! own scope, so a right is exercised only where a grant carrying that right reaches.

use serde::Serialize;

use super::ids::UnitId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Committee,
    Leader,
    Secretary,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Committee, Role::Leader, Role::Secretary, Role::Admin];

    pub fn parse(s: &str) -> Option<Role> {
        match s.trim() {
            "committee" => Some(Role::Committee),
            "leader" => Some(Role::Leader),
            "secretary" => Some(Role::Secretary),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Role::Committee => "committee",
            Role::Leader => "leader",
            Role::Secretary => "secretary",
            Role::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Committee => "团工委工作人员",
            Role::Leader => "领导",
            Role::Secretary => "团支部书记/单位联络员",
            Role::Admin => "系统管理员",
        }
    }
}

/// One role an account holds, with the unit it is limited to for a secretary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    pub role: Role,
    pub unit_id: Option<UnitId>,
}

/// What business data a user may see: the whole zone, some units, or none (admins).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Zone,
    Units(Vec<UnitId>),
    Nothing,
}

impl Scope {
    /// What the grants may read: the union of every grant's scope.
    pub fn of(grants: &[Grant]) -> Scope {
        Scope::through(grants, &Role::ALL)
    }

    /// Where the grants holding one of `roles` reach, and no further: a right that only
    /// `roles` carry (writing, revealing a full number) is used within this scope, so a
    /// secretary who is also a leader writes in their unit only, never in the leader's zone.
    pub fn through(grants: &[Grant], roles: &[Role]) -> Scope {
        let held = grants.iter().filter(|g| roles.contains(&g.role));
        let mut units: Vec<UnitId> = Vec::new();
        for grant in held {
            match grant.role {
                Role::Committee | Role::Leader => return Scope::Zone,
                Role::Secretary => units.extend(grant.unit_id),
                Role::Admin => {}
            }
        }
        units.sort();
        units.dedup();
        if units.is_empty() {
            Scope::Nothing
        } else {
            Scope::Units(units)
        }
    }

    /// Whether the scope reaches `unit`.
    pub fn holds(&self, unit: UnitId) -> bool {
        match self {
            Scope::Zone => true,
            Scope::Units(ids) => ids.contains(&unit),
            Scope::Nothing => false,
        }
    }

    /// The unit ids for a SQL filter: `None` means the whole zone, an empty list nothing.
    pub fn unit_filter(&self) -> Option<Vec<UnitId>> {
        match self {
            Scope::Zone => None,
            Scope::Units(ids) => Some(ids.clone()),
            Scope::Nothing => Some(Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committee_or_leader_sees_the_zone_and_a_secretary_only_their_units() {
        let secretary = Grant {
            role: Role::Secretary,
            unit_id: Some(UnitId(7)),
        };
        let leader = Grant {
            role: Role::Leader,
            unit_id: None,
        };
        let admin = Grant {
            role: Role::Admin,
            unit_id: None,
        };
        assert_eq!(
            Scope::of(std::slice::from_ref(&secretary)),
            Scope::Units(vec![UnitId(7)])
        );
        assert_eq!(Scope::of(&[secretary, leader]), Scope::Zone);
        assert_eq!(Scope::of(&[admin]), Scope::Nothing);
        assert_eq!(Scope::Nothing.unit_filter(), Some(vec![]));
        assert_eq!(Scope::Zone.unit_filter(), None);
    }

    #[test]
    fn a_right_reaches_only_as_far_as_the_grants_that_carry_it() {
        let secretary = |unit| Grant {
            role: Role::Secretary,
            unit_id: Some(UnitId(unit)),
        };
        let leader = Grant {
            role: Role::Leader,
            unit_id: None,
        };
        let admin = Grant {
            role: Role::Admin,
            unit_id: None,
        };
        let committee = Grant {
            role: Role::Committee,
            unit_id: None,
        };
        let writers = [Role::Committee, Role::Secretary];
        let both = [secretary(7), leader];
        assert_eq!(Scope::of(&both), Scope::Zone);
        assert_eq!(
            Scope::through(&both, &writers),
            Scope::Units(vec![UnitId(7)])
        );
        let two = [secretary(9), secretary(7)];
        assert_eq!(
            Scope::through(&two, &writers),
            Scope::Units(vec![UnitId(7), UnitId(9)])
        );
        assert_eq!(
            Scope::through(&[admin.clone(), secretary(7)], &writers),
            Scope::Units(vec![UnitId(7)])
        );
        assert_eq!(Scope::through(&[admin], &writers), Scope::Nothing);
        assert_eq!(
            Scope::through(&[secretary(7), committee.clone()], &writers),
            Scope::Zone
        );
        // Drafting an application is a secretary's right alone, even for committee staff.
        assert_eq!(
            Scope::through(&[committee, secretary(7)], &[Role::Secretary]),
            Scope::Units(vec![UnitId(7)])
        );
    }

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}

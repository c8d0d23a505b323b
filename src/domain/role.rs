//! The four roles of DESIGN.md §1 and what scope a set of grants gives.

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
    pub fn of(grants: &[Grant]) -> Scope {
        if grants
            .iter()
            .any(|g| matches!(g.role, Role::Committee | Role::Leader))
        {
            return Scope::Zone;
        }
        let units: Vec<UnitId> = grants
            .iter()
            .filter(|g| g.role == Role::Secretary)
            .filter_map(|g| g.unit_id)
            .collect();
        if units.is_empty() {
            Scope::Nothing
        } else {
            Scope::Units(units)
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
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}

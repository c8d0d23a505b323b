//! Volunteer teams (志愿服务队): the domains the seed's plan names for them (维护社会稳定,
//! 安全生产, 环境保护, 扶贫帮困, 社区服务, 创新技术, 植树造林, and 其他), and a team as its
//! form gives it, checked (DESIGN.md §3, issue 16 item 4).

use chrono::NaiveDate;

use super::form::{FieldErrors, line};
use super::stored::stored_as_code;

pub const NAME_MAX: usize = 60;
pub const LEADER_MAX: usize = 40;
pub const DESCRIPTION_MAX: usize = 2000;

/// A team's service domain (服务领域).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Domain {
    Stability,
    Safety,
    Environment,
    Poverty,
    Community,
    Innovation,
    Afforestation,
    Other,
}

impl Domain {
    /// In the seed's order.
    pub const ALL: [Domain; 8] = [
        Domain::Stability,
        Domain::Safety,
        Domain::Environment,
        Domain::Poverty,
        Domain::Community,
        Domain::Innovation,
        Domain::Afforestation,
        Domain::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Domain::Stability => "stability",
            Domain::Safety => "safety",
            Domain::Environment => "environment",
            Domain::Poverty => "poverty",
            Domain::Community => "community",
            Domain::Innovation => "innovation",
            Domain::Afforestation => "afforestation",
            Domain::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Domain::Stability => "维护社会稳定",
            Domain::Safety => "安全生产",
            Domain::Environment => "环境保护",
            Domain::Poverty => "扶贫帮困",
            Domain::Community => "社区服务",
            Domain::Innovation => "创新技术",
            Domain::Afforestation => "植树造林",
            Domain::Other => "其他",
        }
    }
}

stored_as_code!(Domain);

/// A team as its form gives it, checked. The host unit is named by its full name and
/// looked up by the service.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TeamInput {
    pub name: String,
    pub domain: Domain,
    pub unit_name: String,
    pub leader_name: String,
    pub founded_on: NaiveDate,
    pub description: String,
}

/// The fields of a team form, as typed.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct TeamFields {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub unit_name: String,
    #[serde(default)]
    pub leader_name: String,
    #[serde(default)]
    pub founded_on: String,
    #[serde(default)]
    pub description: String,
}

impl TryFrom<&TeamFields> for TeamInput {
    type Error = FieldErrors;

    /// Each fault names its field: a name of at most `NAME_MAX` characters, a domain of
    /// `Domain::ALL`, a host unit, a leader, a founding date (2000–2100), a description of
    /// at most `DESCRIPTION_MAX` characters.
    fn try_from(form: &TeamFields) -> Result<TeamInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = line(&mut errors, "队伍名称", &form.name, NAME_MAX, true);
        let domain = Domain::from_code(form.domain.trim());
        if domain.is_none() {
            errors.push("服务领域", "请选择服务领域");
        }
        let unit_name = crate::domain::name::normalize_name(&form.unit_name);
        if unit_name.is_empty() {
            errors.push("依托单位", "请填写依托单位的全称");
        }
        let leader_name = line(&mut errors, "队长", &form.leader_name, LEADER_MAX, true);
        let founded_on = match super::text::parse_date_text(form.founded_on.trim()) {
            Some(d) if super::activity::YEARS.contains(&chrono::Datelike::year(&d)) => Some(d),
            _ if form.founded_on.trim().is_empty() => {
                errors.push("成立日期", "请填写");
                None
            }
            _ => {
                errors.push("成立日期", "不是有效的日期（例如 2018-06-01）");
                None
            }
        };
        let description = super::text::strip_controls(form.description.trim()).into_owned();
        if description.chars().count() > DESCRIPTION_MAX {
            errors.push("简介", format!("不能超过{DESCRIPTION_MAX}个字"));
        }
        match (domain, founded_on, errors.is_empty()) {
            (Some(domain), Some(founded_on), true) => Ok(TeamInput {
                name,
                domain,
                unit_name,
                leader_name,
                founded_on,
                description,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stored::assert_codes_round_trip;

    #[test]
    fn domains_round_trip_in_the_seeds_order() {
        assert_codes_round_trip(&Domain::ALL, Domain::code, Domain::from_code, "river");
        assert_eq!(Domain::ALL[2].label(), "环境保护");
    }

    #[test]
    fn a_filled_form_is_read_and_every_fault_names_its_field() {
        let fields = TeamFields {
            name: " 青年环保志愿服务队 ".into(),
            domain: "environment".into(),
            unit_name: "新疆宜化化工有限公司".into(),
            leader_name: "王磊".into(),
            founded_on: "2018-05-04".into(),
            description: String::new(),
        };
        let input = TeamInput::try_from(&fields).unwrap();
        assert_eq!(input.name, "青年环保志愿服务队");
        assert_eq!(input.domain, Domain::Environment);
        let bad = TeamFields {
            name: "队".repeat(61),
            domain: "river".into(),
            founded_on: "2018-13-01".into(),
            ..TeamFields::default()
        };
        assert_eq!(
            TeamInput::try_from(&bad).unwrap_err().messages(),
            [
                "队伍名称：不能超过60个字",
                "服务领域：请选择服务领域",
                "依托单位：请填写依托单位的全称",
                "队长：请填写",
                "成立日期：不是有效的日期（例如 2018-06-01）",
            ]
        );
    }
}

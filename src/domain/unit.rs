//! Unit kinds and enterprise statuses, with the Chinese words the workbooks use for them.

use super::stored::stored_as_code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitKind {
    Department,
    Community,
    Enterprise,
}

impl UnitKind {
    pub const ALL: [UnitKind; 3] = [
        UnitKind::Department,
        UnitKind::Community,
        UnitKind::Enterprise,
    ];

    /// From the workbook's 部门 / 社区 / 企业 (or the code).
    pub fn parse(s: &str) -> Option<UnitKind> {
        match s.trim() {
            "部门" | "department" => Some(UnitKind::Department),
            "社区" | "community" => Some(UnitKind::Community),
            "企业" | "enterprise" => Some(UnitKind::Enterprise),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            UnitKind::Department => "department",
            UnitKind::Community => "community",
            UnitKind::Enterprise => "enterprise",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Department => "部门",
            UnitKind::Community => "社区",
            UnitKind::Enterprise => "企业",
        }
    }
}

stored_as_code!(UnitKind);

/// An enterprise's state (`unit.status`, `survey_entry.status`), stored as its Chinese word:
/// only 运行 counts as an operating enterprise (实体运行企业).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Operating,
    Building,
    Stopped,
    Closed,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Operating,
        Status::Building,
        Status::Stopped,
        Status::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Operating => "运行",
            Status::Building => "在建",
            Status::Stopped => "停产",
            Status::Closed => "注销",
        }
    }

    /// As typed in a form or a workbook: the word, spaces around it allowed.
    pub fn parse(s: &str) -> Option<Status> {
        Status::from_code(s.trim())
    }
}

stored_as_code!(Status);

/// A unit's name as the form and the workbooks accept it, in the one form it is stored,
/// matched and searched (`name::normalize_name`): not empty, at most 100 characters (the
/// column the 摸排表 and the 批复 carry). Errors are the Chinese reason.
pub fn check_name(name: &str) -> Result<String, &'static str> {
    let name = super::name::normalize_name(name);
    if name.is_empty() {
        Err("不能为空")
    } else if name.chars().count() > 100 {
        Err("不能超过100个字符")
    } else {
        Ok(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workbook_words_map_to_kinds() {
        assert_eq!(UnitKind::parse(" 企业 "), Some(UnitKind::Enterprise));
        assert_eq!(UnitKind::parse("公司"), None);
        for kind in UnitKind::ALL {
            assert_eq!(UnitKind::parse(kind.label()), Some(kind));
            assert_eq!(UnitKind::parse(kind.code()), Some(kind));
        }
        assert_eq!(Status::parse(" 停产"), Some(Status::Stopped));
        assert_eq!(Status::parse("倒闭"), None);
    }

    #[test]
    fn kinds_and_statuses_round_trip() {
        use crate::domain::stored::assert_codes_round_trip;
        assert_codes_round_trip(&UnitKind::ALL, UnitKind::code, UnitKind::from_code, "部门");
        assert_codes_round_trip(&Status::ALL, Status::code, Status::parse, "倒闭");
    }
}

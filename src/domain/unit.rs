//! Unit kinds and enterprise statuses, and the kinds of league organisation, with the
//! Chinese words the workbooks use for them.

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

/// An enterprise's state: only 运行 counts as an operating enterprise (实体运行企业).
pub const STATUSES: [&str; 4] = ["运行", "在建", "停产", "注销"];

pub fn parse_status(s: &str) -> Option<&'static str> {
    STATUSES.into_iter().find(|status| *status == s.trim())
}

/// The kinds a unit's own organisation can be; "团委" is the workbooks' word for 基层团委.
pub const ORGANIZATION_KINDS: [&str; 4] = ["基层团委", "团总支", "团支部", "联合团支部"];

pub fn parse_organization_kind(s: &str) -> Option<&'static str> {
    match s.trim() {
        "团委" | "基层团委" => Some("基层团委"),
        "团总支" => Some("团总支"),
        "团支部" => Some("团支部"),
        "联合团支部" => Some("联合团支部"),
        _ => None,
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
        assert_eq!(parse_organization_kind("团委"), Some("基层团委"));
        assert_eq!(parse_status("停产"), Some("停产"));
        assert_eq!(parse_status("倒闭"), None);
    }
}

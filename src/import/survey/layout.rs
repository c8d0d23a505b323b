//! Where the survey sheet's columns are: the header (one or two levels) found by its text,
//! the title and the as-of date above it, and the rows as text for writing faulty ones back.

use std::collections::HashMap;

use calamine::{Data, Range};
use chrono::NaiveDate;

use crate::import::cell::{date, parse_date_text, text};
use crate::import::sheet::Sheet;
use crate::import::{ImportError, workbook};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Field {
    Name,
    Kind,
    CreditCode,
    Status,
    Staff,
    Youth,
    Members,
    HasOrganization,
    OrganizationName,
    OrganizationKind,
    Approval,
    ApprovedOn,
    Contact,
    Phone,
}

impl Field {
    /// The column's name in fault messages.
    pub(super) fn label(self) -> &'static str {
        match self {
            Field::Name => "单位名称",
            Field::Kind => "单位类型",
            Field::CreditCode => "统一社会信用代码",
            Field::Status => "运行状态",
            Field::Staff => "职工总数",
            Field::Youth => "青年职工数",
            Field::Members => "团员数",
            Field::HasOrganization => "是否建立团组织",
            Field::OrganizationName => "团组织名称",
            Field::OrganizationKind => "组织类型",
            Field::Approval => "批复状态",
            Field::ApprovedOn => "批复日期",
            Field::Contact => "联系人",
            Field::Phone => "联系电话",
        }
    }

    /// Header text, without spaces and anything in brackets, to the column it names.
    fn from_header(header: &str) -> Option<Field> {
        Some(match header {
            "单位名称" | "单位" | "名称" => Field::Name,
            "单位类型" | "类型" => Field::Kind,
            "统一社会信用代码" | "社会信用代码" | "信用代码" => Field::CreditCode,
            "运行状态" | "企业状态" | "状态" => Field::Status,
            "职工总数" | "职工人数" | "职工数" => Field::Staff,
            "青年职工数" | "青年职工人数" | "青年人数" | "青年数" => Field::Youth,
            "团员数" | "团员人数" => Field::Members,
            "是否建立团组织" | "是否建团" => Field::HasOrganization,
            "团组织名称" => Field::OrganizationName,
            "组织类型" | "团组织类型" => Field::OrganizationKind,
            "批复状态" => Field::Approval,
            "批复日期" | "批复时间" => Field::ApprovedOn,
            "联系人" => Field::Contact,
            "联系电话" | "电话" | "手机" => Field::Phone,
            _ => return None,
        })
    }
}

const REQUIRED: [Field; 4] = [Field::Name, Field::Kind, Field::Youth, Field::Members];

/// Header text reduced to what identifies the column.
fn normalize_header(s: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let cut = s.find(['（', '(']).unwrap_or(s.len());
    s[..cut].trim_end_matches(['：', ':', '*']).to_string()
}

pub(super) struct Layout {
    pub(super) columns: HashMap<Field, usize>,
    pub(super) first_data_row: usize,
    pub(super) title: String,
    pub(super) as_of: Option<NaiveDate>,
}

/// Finds the header (the row with 单位名称 and, below it, the second level if any), the
/// title and the as-of date above it.
pub(super) fn layout(range: &Range<Data>) -> Result<Layout, ImportError> {
    let height = range.height();
    let cell = |r: usize, c: usize| range.get((r, c)).unwrap_or(&Data::Empty);
    let header_row = (0..height.min(20))
        .find(|&r| {
            (0..range.width()).any(|c| {
                Field::from_header(&normalize_header(&text(cell(r, c)))) == Some(Field::Name)
            })
        })
        .ok_or_else(|| {
            ImportError::Unreadable("找不到表头：工作表前20行中没有“单位名称”列".into())
        })?;
    let second_level = header_row + 1 < height
        && (0..range.width()).any(|c| {
            matches!(
                Field::from_header(&normalize_header(&text(cell(header_row + 1, c)))),
                Some(Field::Staff | Field::Youth | Field::Members | Field::HasOrganization)
            )
        });
    let mut columns = HashMap::new();
    for c in 0..range.width() {
        let upper = normalize_header(&text(cell(header_row, c)));
        let lower = if second_level {
            normalize_header(&text(cell(header_row + 1, c)))
        } else {
            String::new()
        };
        let field = Field::from_header(&lower).or_else(|| Field::from_header(&upper));
        if let Some(field) = field {
            columns.entry(field).or_insert(c);
        }
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .filter(|f| !columns.contains_key(f))
        .map(|f| f.label())
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::Unreadable(format!(
            "第{}行 表头：缺少必需的列“{}”",
            range.start().map_or(0, |s| s.0) as usize + header_row + 1,
            missing.join("”“")
        )));
    }
    let mut title = String::new();
    let mut as_of = None;
    for r in 0..header_row {
        for c in 0..range.width() {
            let t = text(cell(r, c));
            if t.is_empty() {
                continue;
            }
            if let Some(at) = t.find("截止") {
                // The date after the label, or in the next filled cell of the row as a
                // date cell or an Excel serial (43252 is 2018-06-01).
                let next = || {
                    (c + 1..range.width())
                        .map(|n| cell(r, n))
                        .find(|d| !matches!(d, Data::Empty))
                        .and_then(|d| date(d).ok().flatten())
                };
                as_of = as_of.or_else(|| parse_date_text(&t[at..])).or_else(next);
            } else if title.is_empty() && !t.starts_with("填报单位") {
                title = t;
            }
        }
    }
    Ok(Layout {
        columns,
        first_data_row: header_row + if second_level { 2 } else { 1 },
        title,
        as_of,
    })
}

/// The most unit rows one survey workbook may hold: a province-scale zone's round is
/// uploaded per district.
pub const MAX_ROWS: u32 = 20_000;

/// The worksheet of a survey workbook: `wanted`, or the first visible one with the
/// survey's header.
pub fn survey_sheet(bytes: &[u8], wanted: Option<&str>) -> Result<Sheet, ImportError> {
    workbook::sheet(bytes, MAX_ROWS, wanted, |range| layout(range).is_ok())
}

/// The workbook's rows as text, with the number of rows that form its title and header,
/// and the spreadsheet row number of the first row: for writing faulty rows back out.
pub fn raw_rows(
    bytes: &[u8],
    wanted: Option<&str>,
) -> Result<(Vec<Vec<String>>, usize, u32), ImportError> {
    let range = survey_sheet(bytes, wanted)?.range;
    let layout = layout(&range)?;
    let rows = range
        .rows()
        .map(|row| row.iter().map(text).collect())
        .collect();
    Ok((
        rows,
        layout.first_data_row,
        range.start().map_or(0, |s| s.0) + 1,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_as_of_date_stored_as_a_serial_beside_its_label_is_read() {
        let mut range = Range::new((0, 0), (2, 3));
        range.set_value((0, 0), Data::String("统计截止日期：".into()));
        range.set_value((0, 1), Data::Float(43252.0));
        for (c, title) in ["单位名称", "单位类型", "青年职工数", "团员数"]
            .iter()
            .enumerate()
        {
            range.set_value((1, c as u32), Data::String((*title).into()));
        }
        let layout = layout(&range).unwrap();
        assert_eq!(layout.as_of, NaiveDate::from_ymd_opt(2018, 6, 1));
        assert_eq!(layout.first_data_row, 2);
    }
}

//! Where a roster sheet's columns are, as other offices' systems lay them out: the header
//! found by its text within the first rows, on one row or two (a merged group title such as
//! 基本信息 above the column titles, or 姓名 merged down beside the split ones), columns in
//! any order among others, and the 合计 and signature rows below the members told apart.

use calamine::{Data, Range};

use super::ImportError;
use super::cell::{HEADER_ROWS, compact, header_title};
use super::roster::COLUMNS;

/// Where the members are: the first row (index into the range) below the header, and the
/// column of each template field (`COLUMNS` order).
#[derive(Debug, PartialEq, Eq)]
pub struct Layout {
    pub first_data_row: usize,
    pub columns: [Option<usize>; 9],
}

/// The template field (index into `COLUMNS`) a header title names.
fn field(title: &str) -> Option<usize> {
    COLUMNS.iter().position(|(_, names)| names.contains(&title))
}

/// The header: the first row with 姓名 or 身份证号码 which, alone or with the row below it
/// as a second level, names both; the required columns must all be there.
pub fn header(range: &Range<Data>) -> Result<Layout, ImportError> {
    let titles = |r: usize| -> Vec<String> {
        (0..range.width())
            .map(|c| header_title(range.get((r, c)).unwrap_or(&Data::Empty)))
            .collect()
    };
    for r in 0..range.height().min(HEADER_ROWS) {
        let upper = titles(r);
        if !upper.iter().any(|t| matches!(field(t), Some(0 | 3))) {
            continue;
        }
        let lower = if r + 1 < range.height() {
            titles(r + 1)
        } else {
            Vec::new()
        };
        let two_levels = lower.iter().any(|t| field(t).is_some());
        let mut columns = [None; 9];
        for (c, above) in upper.iter().enumerate() {
            let below = lower.get(c).filter(|_| two_levels).and_then(|t| field(t));
            if let Some(k) = below.or_else(|| field(above)) {
                columns[k] = columns[k].or(Some(c));
            }
        }
        if columns[0].is_none() || columns[3].is_none() {
            continue;
        }
        let missing: Vec<&str> = [0, 3, 5]
            .into_iter()
            .filter(|&k| columns[k].is_none())
            .map(|k| COLUMNS[k].0)
            .collect();
        if !missing.is_empty() {
            return Err(ImportError::Unreadable(format!(
                "表头缺少必填列：{}。请使用下载的名册模板",
                missing.join("、")
            )));
        }
        return Ok(Layout {
            first_data_row: r + if two_levels { 2 } else { 1 },
            columns,
        });
    }
    Err(ImportError::Unreadable(
        "找不到表头（应有“姓名”“身份证号码”“入团年月”等列）。请使用下载的名册模板".into(),
    ))
}

/// A row below the members that is not one: it starts with a total (合计, 小计, 总计), a
/// note or the signatures (填表人, 审核人 ...), and has no resident ID. A member's row
/// without an ID is still read, so that its fault is reported.
pub fn is_footer(cells: &[Data], id_column: usize) -> bool {
    const STARTS: [&str; 9] = [
        "合计",
        "小计",
        "总计",
        "注",
        "说明",
        "填表人",
        "制表人",
        "审核人",
        "负责人",
    ];
    let has_id = cells.get(id_column).is_some_and(|c| !compact(c).is_empty());
    let first = cells.iter().map(compact).find(|t| !t.is_empty());
    !has_id && first.is_some_and(|t| STARTS.iter().any(|s| t.starts_with(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(rows: &[&[&str]]) -> Range<Data> {
        let width = rows.iter().map(|r| r.len()).max().unwrap_or(0);
        let mut range = Range::new((0, 0), (rows.len() as u32 - 1, width as u32 - 1));
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                if !value.is_empty() {
                    range.set_value((r as u32, c as u32), Data::String(value.to_string()));
                }
            }
        }
        range
    }

    #[test]
    fn a_group_title_row_above_the_titles_is_passed_over() {
        let layout = header(&range(&[
            &["某单位团员花名册"],
            &["", "基本信息", "", "", "团籍信息"],
            &[
                "序号",
                "姓名",
                "性别",
                "身份证号码（18位）",
                "入团时间",
                "团内职务",
            ],
            &["1", "张三"],
        ]))
        .unwrap();
        assert_eq!(layout.first_data_row, 3);
        assert_eq!(layout.columns[0], Some(1));
        assert_eq!(layout.columns[3], Some(3));
        assert_eq!(layout.columns[5], Some(4));
        assert_eq!(layout.columns[8], Some(5));
    }

    #[test]
    fn titles_merged_down_beside_split_ones_make_a_two_level_header() {
        let layout = header(&range(&[
            &["姓名", "身份信息", "", "团籍信息", "", "联系方式"],
            &[
                "",
                "性别",
                "公民身份号码",
                "入团年月",
                "团内职务",
                "手机号码",
            ],
            &["张三"],
        ]))
        .unwrap();
        assert_eq!(layout.first_data_row, 2);
        assert_eq!(
            layout.columns,
            [
                Some(0),
                Some(1),
                None,
                Some(2),
                Some(5),
                Some(3),
                None,
                None,
                Some(4)
            ]
        );
    }

    #[test]
    fn totals_notes_and_signatures_are_footers_but_a_member_without_an_id_is_not() {
        let row = |cells: &[&str]| -> Vec<Data> {
            cells.iter().map(|s| Data::String(s.to_string())).collect()
        };
        assert!(is_footer(&row(&["合计", "25人"]), 2));
        assert!(is_footer(&row(&["", "填表人：李四"]), 2));
        assert!(is_footer(&row(&["注：团员指28周岁以下"]), 2));
        assert!(!is_footer(&row(&["1", "张三", ""]), 2));
        assert!(!is_footer(&row(&["合计", "", "110105200003150012"]), 2));
    }
}

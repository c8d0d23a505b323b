//! The 合计 row checked against the sums of the rows above it.

use calamine::{Data, Range};

use super::layout::{Field, Layout};
use crate::import::Fault;
use crate::import::cell::{compact, count, text};

pub(super) struct TotalRow {
    pub(super) r: usize,
    pub(super) line: u32,
    pub(super) sums: [(Field, i64); 3],
    pub(super) data_rows: usize,
}

/// The 合计 row against the column sums, for each column without a faulty cell.
pub(super) fn check_totals(
    range: &Range<Data>,
    layout: &Layout,
    total: &TotalRow,
    faulty_columns: &[Field],
    faults: &mut Vec<Fault>,
) {
    let (r, line, data_rows) = (total.r, total.line, total.data_rows);
    for (field, sum) in total.sums {
        if faulty_columns.contains(&field) {
            continue;
        }
        let Some(&c) = layout.columns.get(&field) else {
            continue;
        };
        let cell = range.get((r, c)).unwrap_or(&Data::Empty);
        if let Ok(Some(total)) = count(cell)
            && total != sum
        {
            faults.push(Fault {
                row: line,
                column: field.label().to_string(),
                reason: format!("合计为{total}，但各行之和为{sum}"),
                value: text(cell),
            });
        }
    }
    if let Some(&c) = layout.columns.get(&Field::Name) {
        let cell = range.get((r, c)).unwrap_or(&Data::Empty);
        let digits: String = compact(cell)
            .chars()
            .filter(|ch| ch.is_ascii_digit())
            .collect();
        if let Ok(stated) = digits.parse::<usize>()
            && stated != data_rows
        {
            faults.push(Fault {
                row: line,
                column: Field::Name.label().to_string(),
                reason: format!("合计为{stated}家，但表中有{data_rows}行"),
                value: text(cell),
            });
        }
    }
}

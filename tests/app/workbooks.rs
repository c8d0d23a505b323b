//! Building test workbooks: the sample as a grid of cells, and grids written back as .xlsx
//! with columns moved, extra columns, numbers as text and other ways offices type.

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use rust_xlsxwriter::Workbook;

pub const SAMPLE_XLSX: &[u8] = include_bytes!("../../demo/survey-2018.xlsx");
pub const SAMPLE_XLS: &[u8] = include_bytes!("../data/survey-2018.xls");
pub const ERRORS_XLSX: &[u8] = include_bytes!("../data/survey-2018-errors.xlsx");
pub const ERRORS_EXPECTED: &str = include_str!("../data/survey-2018-errors.expected.tsv");

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Number(f64),
    Text(String),
}

/// The first sheet of a workbook as rows of cells, from the sheet's first row.
pub fn grid(bytes: &[u8]) -> Vec<Vec<Cell>> {
    let mut workbook = open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = workbook.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => Cell::Empty,
                    Data::Int(i) => Cell::Number(*i as f64),
                    Data::Float(f) => Cell::Number(*f),
                    other => Cell::Text(other.to_string()),
                })
                .collect()
        })
        .collect()
}

/// Writes a grid as an .xlsx with one sheet.
pub fn xlsx(grid: &[Vec<Cell>]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    write_grid(workbook.add_worksheet(), grid);
    workbook.save_to_buffer().unwrap()
}

/// Writes a grid into a sheet from its first cell.
pub fn write_grid(sheet: &mut rust_xlsxwriter::Worksheet, grid: &[Vec<Cell>]) {
    for (r, row) in grid.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                Cell::Empty => {}
                Cell::Number(n) => {
                    sheet.write_number(r, c, *n).unwrap();
                }
                Cell::Text(t) => {
                    sheet.write_string(r, c, t).unwrap();
                }
            }
        }
    }
}

/// The sample with its columns in another order (reversed) and an extra column of notes
/// in the middle.
pub fn reordered_with_extra_column() -> Vec<u8> {
    let sample = grid(SAMPLE_XLSX);
    let moved: Vec<Vec<Cell>> = sample
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let mut row: Vec<Cell> = row.iter().rev().cloned().collect();
            let extra = match r {
                2 => Cell::Text("填表人备注".into()),
                3 => Cell::Empty,
                _ if r > 3 && r < sample.len() - 2 => Cell::Text(format!("备注{r}")),
                _ => Cell::Empty,
            };
            row.insert(5, extra);
            row
        })
        .collect();
    xlsx(&moved)
}

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                char::from_u32(c as u32 + 0xFEE0).unwrap()
            } else {
                c
            }
        })
        .collect()
}

/// The sample with counts typed as text (half the rows in full-width digits, some with
/// spaces), phones as numbers and credit codes in lower case.
pub fn numbers_as_text() -> Vec<u8> {
    let mut sample = grid(SAMPLE_XLSX);
    let last = sample.len() - 2;
    for (r, row) in sample.iter_mut().enumerate().take(last).skip(4) {
        for c in [5, 6, 7] {
            if let Cell::Number(n) = row[c] {
                let text = format!("{}", n as i64);
                row[c] = Cell::Text(if r % 2 == 0 {
                    full_width(&text)
                } else {
                    format!(" {text} ")
                });
            }
        }
        if let Cell::Text(phone) = &row[14] {
            row[14] = Cell::Number(phone.parse().unwrap());
        }
        if let Cell::Text(code) = &row[3] {
            row[3] = Cell::Text(format!(" {} ", code.to_lowercase()));
        }
    }
    xlsx(&sample)
}

//! Reading one worksheet into a bounded range. A range is dense, so a sheet with one value
//! in A1 and one in XFD1048576 would ask for 17 billion cells: cells are streamed from an
//! .xlsx and refused as soon as one lies outside the bounds, and an .xls (which calamine
//! parses whole when it opens) is measured from its cell records before it is opened.
//! Hidden sheets are skipped and the first visible sheet the importer accepts is read, as
//! templates from higher levels often start with a hidden sheet of dropdown values.

use std::io::{Cursor, Read};

use calamine::{Cell, Data, Range, Reader, SheetType, SheetVisible, Xls, Xlsx};

use super::ImportError;

/// The most columns a sheet may use: the survey workbook has 16, rosters from other
/// systems some 30.
pub const MAX_COLUMNS: u32 = 64;
/// Rows allowed above the data, for titles, notes and header rows.
const HEADING_ROWS: u32 = 50;

/// The worksheet read, its name (for the preview), and every visible sheet the importer
/// would accept, in the workbook's order (more than one: the person may choose).
#[derive(Debug)]
pub struct Sheet {
    pub name: String,
    pub range: Range<Data>,
    pub candidates: Vec<String>,
}

fn unreadable(message: impl Into<String>) -> ImportError {
    ImportError::Unreadable(message.into())
}

fn damaged() -> ImportError {
    unreadable("无法读取工作簿：文件已损坏或不是Excel格式")
}

/// The column letters of a 0-based column number (`0` → `A`, `16383` → `XFD`).
pub fn column_name(column: u32) -> String {
    let mut n = column + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Checks one cell's place (0-based) against the bounds: at most `MAX_COLUMNS` columns and
/// `max_rows` rows of data below a heading.
fn check_place(sheet: &str, (row, column): (u32, u32), max_rows: u32) -> Result<(), ImportError> {
    if column >= MAX_COLUMNS {
        return Err(unreadable(format!(
            "工作表“{sheet}”的使用范围过大：单元格 {}{} 超出了最多 {MAX_COLUMNS} 列的范围。\
             请删除多余的列后再上传",
            column_name(column),
            row + 1
        )));
    }
    if row >= max_rows + HEADING_ROWS {
        return Err(unreadable(format!(
            "工作表“{sheet}”超过了一次最多导入 {max_rows} 行的上限（第 {} 行仍有内容）。\
             请分成几个文件上传，或删除表格下方多余的内容",
            row + 1
        )));
    }
    Ok(())
}

/// The visible worksheets' names, in the workbook's order.
fn visible(sheets: &[calamine::Sheet]) -> Vec<String> {
    sheets
        .iter()
        .filter(|s| s.visible == SheetVisible::Visible && s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect()
}

/// The worksheet of the workbook in `bytes` (already checked by `workbook::check`) to
/// import: the visible one named `wanted` if it is accepted, else the first visible one for
/// which `accept` holds, or the first visible one with any value when none does (so that
/// the importer reports what it misses). Every visible sheet is read, within the bounds, to
/// list the candidates. `max_rows` bounds the data rows; a sheet beyond the bounds refuses
/// the file with the cell that lies outside.
pub fn read(
    bytes: &[u8],
    max_rows: u32,
    wanted: Option<&str>,
    accept: impl Fn(&Range<Data>) -> bool,
) -> Result<Sheet, ImportError> {
    let mut sheets: Vec<(String, Range<Data>)> = Vec::new();
    if bytes.starts_with(b"PK\x03\x04") {
        let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|_| damaged())?;
        for name in visible(workbook.sheets_metadata()) {
            let mut reader = workbook
                .worksheet_cells_reader(&name)
                .map_err(|_| damaged())?;
            let mut cells: Vec<Cell<Data>> = Vec::new();
            while let Some(cell) = reader.next_cell().map_err(|_| damaged())? {
                if matches!(cell.get_value(), calamine::DataRef::Empty) {
                    continue;
                }
                check_place(&name, cell.get_position(), max_rows)?;
                let (position, value) = (cell.get_position(), cell.get_value().clone());
                cells.push(Cell::new(position, Data::from(value)));
            }
            sheets.push((name, Range::from_sparse(cells)));
        }
    } else {
        measure_xls(bytes, max_rows)?;
        let mut workbook = Xls::new(Cursor::new(bytes)).map_err(|_| damaged())?;
        for name in visible(workbook.sheets_metadata()) {
            let range = workbook.worksheet_range(&name).map_err(|_| damaged())?;
            sheets.push((name, range));
        }
    }
    sheets.retain(|(_, range)| !range.is_empty());
    let candidates: Vec<String> = sheets
        .iter()
        .filter(|(_, range)| accept(range))
        .map(|(name, _)| name.clone())
        .collect();
    let chosen = wanted
        .filter(|w| candidates.iter().any(|c| c == w))
        .or(candidates.first().map(String::as_str));
    let at = match chosen {
        Some(name) => sheets.iter().position(|(n, _)| n == name),
        None if sheets.is_empty() => None,
        None => Some(0),
    };
    let (name, range) = at
        .map(|i| sheets.swap_remove(i))
        .ok_or_else(|| unreadable("工作簿中没有可读取的工作表（可见的工作表都是空的）"))?;
    Ok(Sheet {
        name,
        range,
        candidates,
    })
}

/// Reads the cell records of every sheet of an .xls (BIFF8, [MS-XLS] 2.4) for their rows and
/// columns, and refuses the file when one lies outside the bounds. calamine parses every
/// sheet into a dense range when it opens the file, hidden ones included.
fn measure_xls(bytes: &[u8], max_rows: u32) -> Result<(), ImportError> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|_| damaged())?;
    let mut stream = Vec::new();
    let path = ["/Workbook", "/Book"]
        .into_iter()
        .find(|p| file.is_stream(p))
        .ok_or_else(damaged)?;
    file.open_stream(path)
        .and_then(|mut s| s.read_to_end(&mut stream))
        .map_err(|_| damaged())?;
    let mut sheet = 0usize;
    let mut at = 0usize;
    while at + 4 <= stream.len() {
        let kind = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let size = usize::from(u16::from_le_bytes([stream[at + 2], stream[at + 3]]));
        let data = stream.get(at + 4..at + 4 + size).ok_or_else(damaged)?;
        at += 4 + size;
        let word = |i: usize| {
            data.get(i..i + 2)
                .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
        };
        let name = || format!("第{sheet}个工作表");
        match kind {
            // BOF: a sheet's substream starts (the first is the workbook's globals)
            0x0809 => sheet += 1,
            // Number, Label, RString, BoolErr, Rk, LabelSst, Formula: row, column first
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(row), Some(column)) = (word(0), word(2)) {
                    check_place(&name(), (row, column), max_rows)?;
                }
            }
            // MulRk: row, first column, ..., last column
            0x00BD if size >= 6 => {
                if let (Some(row), Some(last)) = (word(0), word(size - 2)) {
                    check_place(&name(), (row, last), max_rows)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_follow_the_spreadsheet_letters() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(16383), "XFD");
    }

    #[test]
    fn a_cell_outside_the_bounds_is_named_in_the_refusal() {
        let far = check_place("名册", (1_048_575, 16383), 10_000).unwrap_err();
        assert!(format!("{far:?}").contains("XFD1048576"), "{far:?}");
        let deep = check_place("名册", (10_050, 3), 10_000).unwrap_err();
        assert!(format!("{deep:?}").contains("10000 行"), "{deep:?}");
        assert!(check_place("名册", (10_049, 63), 10_000).is_ok());
    }

    /// A compound file whose workbook stream holds one sheet with a number at `place`.
    fn xls_with_number_at(place: (u16, u16)) -> Vec<u8> {
        use std::io::Write;
        let record = |kind: u16, data: &[u8]| {
            let mut r = kind.to_le_bytes().to_vec();
            r.extend((data.len() as u16).to_le_bytes());
            r.extend(data);
            r
        };
        let mut stream = record(0x0809, &[0, 6, 0x10, 0, 0, 0, 0, 0]);
        let mut number = place.0.to_le_bytes().to_vec();
        number.extend(place.1.to_le_bytes());
        number.extend([0u8; 10]);
        stream.extend(record(0x0203, &number));
        stream.extend(record(0x000A, &[]));
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        file.create_stream("/Workbook")
            .unwrap()
            .write_all(&stream)
            .unwrap();
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    #[test]
    fn an_xls_is_measured_from_its_cell_records_before_it_is_opened() {
        let far = measure_xls(&xls_with_number_at((65_535, 255)), 20_000).unwrap_err();
        assert!(format!("{far:?}").contains("IV65536"), "{far:?}");
        let deep = measure_xls(&xls_with_number_at((30_000, 3)), 20_000).unwrap_err();
        assert!(format!("{deep:?}").contains("20000 行"), "{deep:?}");
        assert!(measure_xls(&xls_with_number_at((100, 10)), 20_000).is_ok());
    }
}

//! A person's data as one workbook, for an export on request (PIPL art. 45): one sheet per
//! table, a header row in bold, then the rows, every text escaped (`sheet`).

use rust_xlsxwriter::{Format, XlsxError};

use super::sheet::{Book, Sheet};

/// One sheet: its name, column headings and rows of text.
pub struct Table {
    pub name: &'static str,
    pub header: &'static [&'static str],
    pub rows: Vec<Vec<String>>,
}

/// The workbook of `tables`, in their order.
pub fn workbook(tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let bold = Format::new().set_bold();
    let mut book = Book::new();
    for table in tables {
        let mut sheet = Sheet::new(table.name)?;
        for (c, heading) in table.header.iter().enumerate() {
            sheet.text_with(0, c as u16, heading, &bold)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                sheet.text(r as u32 + 1, c as u16, text)?;
            }
        }
        book.add(sheet);
    }
    book.save()
}

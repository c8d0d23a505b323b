//! The one way exports write workbooks: a worksheet whose every text write escapes what a
//! spreadsheet could take for a formula, so that no export, present or future, can forget
//! it. The raw writers of rust_xlsxwriter are refused by clippy (clippy.toml) elsewhere.
#![allow(clippy::disallowed_methods)]

use rust_xlsxwriter::{DataValidation, Format, Workbook, Worksheet, XlsxError};

/// Text a spreadsheet could take for a formula (starting with = + - @) gets a leading single
/// quote, so that no program evaluates it when the sheet is edited or saved as CSV; the
/// import drops that quote again (`import::cell::text`).
fn safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// A workbook of `Sheet`s, in the order they are added.
pub struct Book {
    inner: Workbook,
}

impl Default for Book {
    fn default() -> Self {
        Self::new()
    }
}

impl Book {
    pub fn new() -> Self {
        Book {
            inner: Workbook::new(),
        }
    }

    pub fn add(&mut self, sheet: Sheet) {
        self.inner.push_worksheet(sheet.inner);
    }

    /// The .xlsx file.
    pub fn save(mut self) -> Result<Vec<u8>, XlsxError> {
        self.inner.save_to_buffer()
    }
}

/// One worksheet. Rows and columns are 0-based, as in rust_xlsxwriter.
pub struct Sheet {
    inner: Worksheet,
}

impl Sheet {
    pub fn new(name: &str) -> Result<Self, XlsxError> {
        let mut inner = Worksheet::new();
        inner.set_name(name)?;
        Ok(Sheet { inner })
    }

    /// Text, escaped.
    pub fn text(&mut self, row: u32, column: u16, text: &str) -> Result<(), XlsxError> {
        self.inner.write_string(row, column, safe(text))?;
        Ok(())
    }

    /// Text, escaped, with a format.
    pub fn text_with(
        &mut self,
        row: u32,
        column: u16,
        text: &str,
        format: &Format,
    ) -> Result<(), XlsxError> {
        self.inner
            .write_string_with_format(row, column, safe(text), format)?;
        Ok(())
    }

    /// Merged cells holding text, escaped.
    pub fn merge(
        &mut self,
        (first_row, first_column): (u32, u16),
        (last_row, last_column): (u32, u16),
        text: &str,
        format: &Format,
    ) -> Result<(), XlsxError> {
        self.inner.merge_range(
            first_row,
            first_column,
            last_row,
            last_column,
            &safe(text),
            format,
        )?;
        Ok(())
    }

    pub fn number(&mut self, row: u32, column: u16, value: f64) -> Result<(), XlsxError> {
        self.inner.write_number(row, column, value)?;
        Ok(())
    }

    pub fn number_with(
        &mut self,
        row: u32,
        column: u16,
        value: f64,
        format: &Format,
    ) -> Result<(), XlsxError> {
        self.inner
            .write_number_with_format(row, column, value, format)?;
        Ok(())
    }

    /// An empty cell that still shows its format (borders, background).
    pub fn blank(&mut self, row: u32, column: u16, format: &Format) -> Result<(), XlsxError> {
        self.inner.write_blank(row, column, format)?;
        Ok(())
    }

    pub fn column_width(&mut self, column: u16, width: f64) -> Result<(), XlsxError> {
        self.inner.set_column_width(column, width)?;
        Ok(())
    }

    pub fn column_format(&mut self, column: u16, format: &Format) -> Result<(), XlsxError> {
        self.inner.set_column_format(column, format)?;
        Ok(())
    }

    pub fn row_height(&mut self, row: u32, height: f64) -> Result<(), XlsxError> {
        self.inner.set_row_height(row, height)?;
        Ok(())
    }

    /// Rows above and columns left of (`rows`, `columns`) stay in view.
    pub fn freeze(&mut self, rows: u32, columns: u16) -> Result<(), XlsxError> {
        self.inner.set_freeze_panes(rows, columns)?;
        Ok(())
    }

    /// A rule (a dropdown) on the cells of one column, from `first_row` to `last_row`.
    pub fn validate(
        &mut self,
        (first_row, last_row): (u32, u32),
        column: u16,
        rule: &DataValidation,
    ) -> Result<(), XlsxError> {
        self.inner
            .add_data_validation(first_row, column, last_row, column, rule)?;
        Ok(())
    }

    pub fn hide(&mut self) {
        self.inner.set_hidden(true);
    }

    /// Printed on A4 landscape, as wide as one page, with rows `first`..=`last` repeated on
    /// each page when given.
    pub fn print_a4_landscape(&mut self, repeat: Option<(u32, u32)>) -> Result<(), XlsxError> {
        if let Some((first, last)) = repeat {
            self.inner.set_repeat_rows(first, last)?;
        }
        self.inner.set_landscape();
        self.inner.set_paper_size(9);
        self.inner.set_print_fit_to_pages(1, 0);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, open_workbook_auto_from_rs};

    #[test]
    fn text_that_could_be_a_formula_is_escaped_and_other_text_is_not() {
        assert_eq!(safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        for s in ["+1", "-1", "@SUM(A1)"] {
            assert_eq!(safe(s), format!("'{s}"));
        }
        assert_eq!(safe("开发区财政局"), "开发区财政局");
        assert_eq!(safe("a=b"), "a=b");
        assert_eq!(safe(""), "");
    }

    #[test]
    fn every_way_to_write_text_escapes_it() {
        let mut sheet = Sheet::new("表").unwrap();
        let format = Format::new();
        sheet.text(0, 0, "=1+1").unwrap();
        sheet.text_with(0, 1, "+1", &format).unwrap();
        sheet.merge((1, 0), (1, 1), "@A1", &format).unwrap();
        let mut book = Book::new();
        book.add(sheet);
        let bytes = book.save().unwrap();
        let mut read = open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = read.worksheet_range("表").unwrap();
        let cell = |r, c| match range.get_value((r, c)) {
            Some(Data::String(s)) => s.clone(),
            other => panic!("expected text, got {other:?}"),
        };
        assert_eq!(cell(0, 0), "'=1+1");
        assert_eq!(cell(0, 1), "'+1");
        assert_eq!(cell(1, 0), "'@A1");
    }
}

//! Rows in PostgreSQL's COPY text format, and a sink that streams them to the server in
//! chunks of about a megabyte, so no table is ever held whole in memory.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;
use sqlx::postgres::PgCopyIn;

/// Flush once a chunk has grown past this.
pub const CHUNK: usize = 1 << 20;

/// COPY text: tab between fields, `\N` for null, backslash escapes, one row a line.
#[derive(Default)]
pub struct Rows {
    pub buf: String,
    at_start: bool,
    pub count: u64,
}

impl Rows {
    pub fn new() -> Rows {
        Rows {
            buf: String::with_capacity(CHUNK + CHUNK / 4),
            at_start: true,
            count: 0,
        }
    }

    fn separate(&mut self) {
        if !self.at_start {
            self.buf.push('\t');
        }
        self.at_start = false;
    }

    pub fn end(&mut self) {
        self.buf.push('\n');
        self.at_start = true;
        self.count += 1;
    }

    pub fn int(&mut self, value: impl Into<i64>) -> &mut Self {
        self.separate();
        write!(self.buf, "{}", value.into()).expect("writing to a String");
        self
    }

    pub fn null(&mut self) -> &mut Self {
        self.separate();
        self.buf.push_str("\\N");
        self
    }

    pub fn text(&mut self, value: &str) -> &mut Self {
        self.separate();
        for c in value.chars() {
            match c {
                '\\' => self.buf.push_str("\\\\"),
                '\t' => self.buf.push_str("\\t"),
                '\n' => self.buf.push_str("\\n"),
                '\r' => self.buf.push_str("\\r"),
                c => self.buf.push(c),
            }
        }
        self
    }

    pub fn opt_text(&mut self, value: Option<&str>) -> &mut Self {
        match value {
            Some(v) => self.text(v),
            None => self.null(),
        }
    }

    pub fn opt_int(&mut self, value: Option<impl Into<i64>>) -> &mut Self {
        match value {
            Some(v) => self.int(v),
            None => self.null(),
        }
    }

    pub fn bool(&mut self, value: bool) -> &mut Self {
        self.separate();
        self.buf.push(if value { 't' } else { 'f' });
        self
    }

    pub fn date(&mut self, value: NaiveDate) -> &mut Self {
        self.separate();
        write!(self.buf, "{}", value.format("%Y-%m-%d")).expect("writing to a String");
        self
    }

    pub fn opt_date(&mut self, value: Option<NaiveDate>) -> &mut Self {
        match value {
            Some(v) => self.date(v),
            None => self.null(),
        }
    }

    pub fn time(&mut self, value: DateTime<Utc>) -> &mut Self {
        self.separate();
        write!(self.buf, "{}", value.format("%Y-%m-%d %H:%M:%S+00")).expect("writing to a String");
        self
    }

    pub fn opt_time(&mut self, value: Option<DateTime<Utc>>) -> &mut Self {
        match value {
            Some(v) => self.time(v),
            None => self.null(),
        }
    }

    /// bytea in hex form; the backslash itself escaped for COPY.
    pub fn bytes(&mut self, value: &[u8]) -> &mut Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.separate();
        self.buf.push_str("\\\\x");
        for b in value {
            self.buf.push(HEX[usize::from(b >> 4)] as char);
            self.buf.push(HEX[usize::from(b & 15)] as char);
        }
        self
    }
}

/// One COPY in progress.
pub struct Sink<'c> {
    copy: PgCopyIn<&'c mut PgConnection>,
    pub rows: Rows,
    sent: u64,
}

impl<'c> Sink<'c> {
    /// `target` is `table (col, ...)`.
    pub async fn start(conn: &'c mut PgConnection, target: &str) -> sqlx::Result<Sink<'c>> {
        let copy = conn
            .copy_in_raw(&format!("copy {target} from stdin with (format text)"))
            .await?;
        Ok(Sink {
            copy,
            rows: Rows::new(),
            sent: 0,
        })
    }

    /// Sends the rows so far once they fill a chunk.
    pub async fn flush_when_full(&mut self) -> sqlx::Result<()> {
        if self.rows.buf.len() >= CHUNK {
            self.send_rows().await?;
        }
        Ok(())
    }

    async fn send_rows(&mut self) -> sqlx::Result<()> {
        let rows = std::mem::replace(&mut self.rows, Rows::new());
        self.sent += rows.count;
        self.copy.send(rows.buf.into_bytes()).await?;
        Ok(())
    }

    /// Text made elsewhere (by the member workers), `count` rows of it.
    pub async fn send_text(&mut self, text: String, count: u64) -> sqlx::Result<()> {
        self.sent += count;
        self.copy.send(text.into_bytes()).await?;
        Ok(())
    }

    /// Ends the COPY; returns the rows the server took.
    pub async fn finish(mut self) -> sqlx::Result<u64> {
        if !self.rows.buf.is_empty() {
            self.send_rows().await?;
        }
        let taken = self.copy.finish().await?;
        debug_assert_eq!(taken, self.sent);
        Ok(taken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_escaped_and_nulls_marked() {
        let mut rows = Rows::new();
        rows.int(7)
            .text("a\tb\\c\nd")
            .null()
            .bytes(&[0, 171])
            .date(NaiveDate::from_ymd_opt(2026, 1, 2).unwrap())
            .bool(true);
        rows.end();
        assert_eq!(
            rows.buf,
            "7\ta\\tb\\\\c\\nd\t\\N\t\\\\x00ab\t2026-01-02\tt\n"
        );
        assert_eq!(rows.count, 1);
    }
}

//! The one CSV writer of every file the app hands out (users export, operation results, audit
//! export): a cell that a spreadsheet would run as a formula — one starting with `=`, `+`, `-`,
//! `@`, a tab or a carriage return — is written with a leading `'`, so it shows as text.

use std::borrow::Cow;
use std::io::Write;

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `value` as it is safe to write in a CSV cell.
pub fn neutralise(value: &str) -> Cow<'_, str> {
    if value.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// Appends one row of neutralised cells to `line`, as [`SafeCsvWriter`] writes it.
pub(super) fn append_row<I, S>(line: &mut Vec<u8>, cells: I) -> std::io::Result<()>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut writer = SafeCsvWriter {
        inner: csv::WriterBuilder::new()
            .buffer_capacity(1024)
            .from_writer(line),
    };
    writer.write_row(cells)?;
    writer.flush()
}

/// A CSV writer that neutralises every cell.
pub struct SafeCsvWriter<W: Write> {
    inner: csv::Writer<W>,
}

impl<W: Write> SafeCsvWriter<W> {
    /// A writer into `out`.
    pub fn new(out: W) -> Self {
        Self {
            inner: csv::Writer::from_writer(out),
        }
    }

    /// Writes one row.
    pub fn write_row<I, S>(&mut self, cells: I) -> Result<(), csv::Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.inner.write_record(
            cells
                .into_iter()
                .map(|c| neutralise(c.as_ref()).into_owned()),
        )
    }

    /// Flushes what is buffered.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }

    /// Flushes and hands back the underlying writer.
    pub fn into_inner(self) -> Result<W, std::io::Error> {
        self.inner.into_inner().map_err(|e| e.into_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_others_untouched() {
        let mut w = SafeCsvWriter::new(Vec::new());
        w.write_row([
            "=1+1", "+A1", "-2", "@SUM(A1)", "\tx", "\ry", "plain", "a=b",
        ])
        .unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(text, "'=1+1,'+A1,'-2,'@SUM(A1),'\tx,\"'\ry\",plain,a=b\n");
    }

    #[test]
    fn a_row_appended_alone_is_the_row_the_writer_writes() {
        let long = "x".repeat(3000);
        let rows = [
            vec!["=cmd", "a,b", "say \"hi\"", "two\nlines", ""],
            vec!["plain", "\r", "ü", &long, "-1"],
        ];
        let mut w = SafeCsvWriter::new(Vec::new());
        let mut appended = Vec::new();
        for row in &rows {
            w.write_row(row).unwrap();
            append_row(&mut appended, row).unwrap();
        }
        assert_eq!(appended, w.into_inner().unwrap());
    }
}

//! The XLSX export: a summary sheet and a users sheet with the CSV's columns.

use std::collections::BTreeMap;
use std::io::{self, Seek, Write};

use orgwarden_store::users::UserRow;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::formats::{ExportMeta, Failure, Visit};
use super::summary::SummaryFacts;
use super::user_record::{csv_record, CSV_HEADER};

/// Counts for the summary.
#[derive(Default)]
struct Counts {
    users: u64,
    billable: u64,
    by_status: BTreeMap<String, u64>,
}

impl Counts {
    fn add(&mut self, row: &UserRow) {
        self.users += 1;
        self.billable += u64::from(row.billable);
        *self.by_status.entry(row.status.clone()).or_default() += 1;
    }
}

/// The most characters a cell holds in Excel (a longer one fails the whole workbook).
const MAX_CELL_CHARS: usize = 32_767;

/// `value`, cut to what a cell holds, ending in `…` when cut (a user in a thousand groups).
fn fit(value: String) -> String {
    match value.char_indices().nth(MAX_CELL_CHARS) {
        None => value,
        Some(_) => {
            let (end, _) = value
                .char_indices()
                .nth(MAX_CELL_CHARS - 1)
                .unwrap_or((0, ' '));
            format!("{}…", &value[..end])
        }
    }
}

/// A workbook with a summary sheet and a users sheet (in constant-memory mode, so rows go to
/// its own scratch file as they are written).
pub(super) fn write_xlsx(
    visit: &mut Visit<'_>,
    meta: &ExportMeta,
    facts: &SummaryFacts,
    out: &mut impl Write,
) -> Result<u64, Failure> {
    let xlsx = |e: XlsxError| Failure::Io(io::Error::other(e.to_string()));
    let mut book = Workbook::new();
    book.add_worksheet().set_name("Summary").map_err(xlsx)?;
    book.add_worksheet_with_constant_memory()
        .set_name("Users")
        .map_err(xlsx)?;
    let bold = Format::new().set_bold();
    let sheet = book.worksheet_from_name("Users").map_err(xlsx)?;
    for (col, title) in (0u16..).zip(CSV_HEADER) {
        sheet
            .write_string_with_format(0, col, title, &bold)
            .map_err(xlsx)?;
    }
    let mut counts = Counts::default();
    let mut row_no = 0u32;
    let written = visit(
        &mut |row, cells| {
            counts.add(row);
            Ok(serde_json::to_writer(cells, &csv_record(row))?)
        },
        &mut |cells| {
            row_no += 1;
            let cells: Vec<String> = serde_json::from_slice(cells)?;
            for (col, value) in (0u16..).zip(cells) {
                sheet
                    .write_string(row_no, col, fit(value))
                    .map_err(|e| io::Error::other(e.to_string()))?;
            }
            Ok(())
        },
    )?;
    let summary = book.worksheet_from_name("Summary").map_err(xlsx)?;
    let mut lines: Vec<(String, String)> = vec![
        ("Site".into(), facts.site.clone()),
        ("Exported by".into(), facts.exporter.clone()),
        ("Exported at".into(), meta.exported_at.to_rfc3339()),
        ("Users".into(), counts.users.to_string()),
        ("Billable".into(), counts.billable.to_string()),
    ];
    lines.extend(
        counts
            .by_status
            .iter()
            .map(|(s, n)| (format!("Status {s}"), n.to_string())),
    );
    lines.push(("Selection".into(), facts.selection.clone()));
    summary.set_column_width(0, 18).map_err(xlsx)?;
    summary.set_column_width(1, 80).map_err(xlsx)?;
    for (row, (label, value)) in (0u32..).zip(lines) {
        summary
            .write_string_with_format(row, 0, label, &bold)
            .map_err(xlsx)?;
        summary.write_string(row, 1, fit(value)).map_err(xlsx)?;
    }
    let mut file = tempfile::tempfile().map_err(Failure::Io)?;
    book.save_to_writer(&mut file).map_err(xlsx)?;
    file.rewind().map_err(Failure::Io)?;
    io::copy(&mut file, out).map_err(Failure::Io)?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_cut_to_what_excel_holds() {
        let short = "é".repeat(MAX_CELL_CHARS);
        assert_eq!(fit(short.clone()), short);
        let cut = fit("é".repeat(MAX_CELL_CHARS + 5));
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        assert!(cut.ends_with("é…"));
    }
}

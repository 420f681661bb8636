//! The three export formats, written from one snapshot of the published mirror.

use std::collections::BTreeMap;
use std::io::{self, Seek, Write};

use chrono::{DateTime, Utc};
use orgwarden_store::csv_safe::SafeCsvWriter;
use orgwarden_store::operations::Selection;
use orgwarden_store::users::{self, ExportOrder, Filter, UserRow, CSV_HEADER};
use orgwarden_store::{DbConnection, StoreError};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Serialize;

use super::export::ExportFormat;
use super::export_summary::{summary_facts, SummaryFacts};

/// Who exports what, when.
pub struct ExportMeta {
    /// The tenant whose mirror is read.
    pub tenant_id: String,
    /// Account id of the admin exporting.
    pub exported_by: String,
    /// When.
    pub exported_at: DateTime<Utc>,
    /// Which users.
    pub selection: Selection,
    /// In which order.
    pub order: ExportOrder,
}

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

/// Why an export stopped: the client (I/O) or the database.
enum Failure {
    Io(io::Error),
    Store(StoreError),
}

impl From<diesel::result::Error> for Failure {
    fn from(e: diesel::result::Error) -> Self {
        Self::Store(e.into())
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

impl From<Failure> for io::Error {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Io(e) => e,
            Failure::Store(e) => io::Error::other(e.to_string()),
        }
    }
}

/// Writes the selected users of the tenant's published mirror to `out` in `format`; returns
/// how many users it wrote.
pub fn write_export(
    conn: &mut DbConnection,
    meta: &ExportMeta,
    format: ExportFormat,
    out: &mut impl Write,
) -> io::Result<u64> {
    let rows = std::cell::Cell::new(0u64);
    users::in_published(
        conn,
        &meta.tenant_id,
        |conn, published| -> Result<(), Failure> {
            let generation = published.generation;
            let summary = if format == ExportFormat::Xlsx {
                summary_facts(conn, meta, generation)?
            } else {
                SummaryFacts::default()
            };
            let mut visit = |each: &mut dyn FnMut(&UserRow) -> io::Result<()>| {
                visit_users(conn, meta, generation, &mut |row| {
                    rows.set(rows.get() + 1);
                    each(row)
                })
            };
            match format {
                ExportFormat::Csv => write_csv(&mut visit, out),
                ExportFormat::Json => write_json(&mut visit, meta, out),
                ExportFormat::Xlsx => write_xlsx(&mut visit, meta, &summary, out),
            }
        },
    )?
    .ok_or_else(|| io::Error::other("the mirror was removed"))?;
    Ok(rows.get())
}

/// Calls `each` with every selected user in the export's order.
fn visit_users(
    conn: &mut DbConnection,
    meta: &ExportMeta,
    generation: i64,
    each: &mut dyn FnMut(&UserRow) -> io::Result<()>,
) -> Result<(), Failure> {
    let all = Filter::default();
    let filter = meta.selection.filter.as_ref().unwrap_or(&all);
    let only = meta.selection.account_ids.as_deref();
    let mut stopped: Option<io::Error> = None;
    let scanned = users::scan(
        conn,
        (&meta.tenant_id, generation),
        filter,
        only,
        meta.order,
        meta.exported_at.naive_utc(),
        |rows| {
            for row in &rows {
                if let Err(e) = each(row) {
                    stopped = Some(e);
                    return Err(StoreError::Corrupt("export stopped".into()));
                }
            }
            Ok(())
        },
    );
    match (stopped, scanned) {
        (Some(e), _) => Err(Failure::Io(e)),
        (None, Err(e)) => Err(Failure::Store(e)),
        (None, Ok(_)) => Ok(()),
    }
}

type Visit<'a> = dyn FnMut(&mut dyn FnMut(&UserRow) -> io::Result<()>) -> Result<(), Failure> + 'a;

fn write_csv(visit: &mut Visit<'_>, out: &mut impl Write) -> Result<(), Failure> {
    let mut writer = SafeCsvWriter::new(out);
    let io = |e: csv::Error| Failure::Io(e.into());
    writer.write_row(CSV_HEADER).map_err(io)?;
    visit(&mut |row| {
        writer
            .write_row(users::csv_record(row))
            .map_err(io::Error::from)
    })?;
    writer.flush().map_err(Failure::Io)
}

fn write_json(
    visit: &mut Visit<'_>,
    meta: &ExportMeta,
    out: &mut impl Write,
) -> Result<(), Failure> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Head<'a> {
        exported_by: &'a str,
        exported_at: DateTime<Utc>,
        selection: &'a Selection,
    }
    let head = serde_json::to_string(&Head {
        exported_by: &meta.exported_by,
        exported_at: meta.exported_at,
        selection: &meta.selection,
    })
    .map_err(|e| Failure::Io(e.into()))?;
    let head = head.strip_suffix('}').unwrap_or(&head);
    write!(out, "{head},\"users\":[").map_err(Failure::Io)?;
    let mut count = 0u64;
    visit(&mut |row| {
        if count > 0 {
            out.write_all(b",")?;
        }
        count += 1;
        serde_json::to_writer(&mut *out, row).map_err(io::Error::from)
    })?;
    write!(out, "],\"count\":{count}}}").map_err(Failure::Io)
}

fn write_xlsx(
    visit: &mut Visit<'_>,
    meta: &ExportMeta,
    facts: &SummaryFacts,
    out: &mut impl Write,
) -> Result<(), Failure> {
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
    visit(&mut |row| {
        counts.add(row);
        row_no += 1;
        for (col, value) in (0u16..).zip(users::csv_record(row)) {
            sheet
                .write_string(row_no, col, value)
                .map_err(|e| io::Error::other(e.to_string()))?;
        }
        Ok(())
    })?;
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
        summary.write_string(row, 1, value).map_err(xlsx)?;
    }
    let mut file = tempfile::tempfile().map_err(Failure::Io)?;
    book.save_to_writer(&mut file).map_err(xlsx)?;
    file.rewind().map_err(Failure::Io)?;
    io::copy(&mut file, out).map_err(Failure::Io)?;
    Ok(())
}

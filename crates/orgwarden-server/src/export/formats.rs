//! The three export formats, written from one snapshot of the published mirror.

use orgwarden_ids::TenantId;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::io::{self, Seek, Write};

use chrono::{DateTime, Utc};
use orgwarden_store::operations::Selection;
use orgwarden_store::snapshot::in_published;
use orgwarden_store::users::{self, ExportOrder, Filter, UserRow};
use orgwarden_store::{DbConnection, StoreError};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::csv_safe::SafeCsvWriter;
use super::summary::{summary_facts, SummaryFacts};
use super::user_record::{csv_record, CSV_HEADER};
use super::ExportFormat;

/// Who exports what, when.
pub struct ExportMeta {
    /// The tenant whose mirror is read.
    pub tenant_id: TenantId,
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
    in_published(
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
    users::scan(
        conn,
        (&meta.tenant_id, generation),
        filter,
        only,
        meta.order,
        meta.exported_at.naive_utc(),
        |rows| {
            rows.iter()
                .try_for_each(|row| each(row).map_err(Failure::Io))
        },
    )?;
    Ok(())
}

type Visit<'a> = dyn FnMut(&mut dyn FnMut(&UserRow) -> io::Result<()>) -> Result<(), Failure> + 'a;

fn write_csv(visit: &mut Visit<'_>, out: &mut impl Write) -> Result<(), Failure> {
    let mut writer = SafeCsvWriter::new(out);
    let io = |e: csv::Error| Failure::Io(e.into());
    writer.write_row(CSV_HEADER).map_err(io)?;
    visit(&mut |row| writer.write_row(csv_record(row)).map_err(io::Error::from))?;
    writer.flush().map_err(Failure::Io)
}

fn write_json(
    visit: &mut Visit<'_>,
    meta: &ExportMeta,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let json = |e: serde_json::Error| Failure::Io(e.into());
    let mut writer = serde_json::Serializer::new(out);
    let mut map = writer.serialize_map(None).map_err(json)?;
    map.serialize_entry("exportedBy", &meta.exported_by)
        .map_err(json)?;
    map.serialize_entry("exportedAt", &meta.exported_at)
        .map_err(json)?;
    map.serialize_entry("selection", &meta.selection)
        .map_err(json)?;
    let users = Users {
        visit: RefCell::new(visit),
        count: Cell::new(0),
        stopped: RefCell::new(None),
    };
    if let Err(e) = map.serialize_entry("users", &users) {
        return Err(users.stopped.into_inner().unwrap_or_else(|| json(e)));
    }
    map.serialize_entry("count", &users.count.get())
        .map_err(json)?;
    SerializeMap::end(map).map_err(json)
}

/// The users of a JSON export as one array, serialized as they are read.
struct Users<'v, 'a> {
    visit: RefCell<&'v mut Visit<'a>>,
    count: Cell<u64>,
    /// Why reading stopped (the database, or writing to the client).
    stopped: RefCell<Option<Failure>>,
}

impl Serialize for Users<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        let read = (self.visit.borrow_mut())(&mut |row| {
            self.count.set(self.count.get() + 1);
            seq.serialize_element(row)
                .map_err(|e| io::Error::other(e.to_string()))
        });
        if let Err(failure) = read {
            *self.stopped.borrow_mut() = Some(failure);
            return Err(S::Error::custom("the export stopped"));
        }
        seq.end()
    }
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
        for (col, value) in (0u16..).zip(csv_record(row)) {
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

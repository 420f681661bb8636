//! The three export formats, written from one snapshot of the published mirror in the export's
//! order: each user is encoded as it is read (in account-id order) and emitted in the
//! export's order, through a scratch file when that is the user browser's.

use orgwarden_ids::TenantId;
use std::io::{self, Write};

use chrono::{DateTime, Utc};
use orgwarden_store::operations::Selection;
use orgwarden_store::snapshot::in_published;
use orgwarden_store::users::{self, Filter, UserRow};
use orgwarden_store::{DbConnection, StoreError};

use super::csv_safe::append_row;
use super::reorder::Reorder;
use super::summary::{summary_facts, SummaryFacts};
use super::user_record::{csv_record, CSV_HEADER};
use super::xlsx::write_xlsx;
use super::{ExportFormat, ExportOrder};

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

/// Why an export stopped: the client (I/O) or the database.
pub(super) enum Failure {
    Io(io::Error),
    Store(StoreError),
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Self::Io(e)
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

/// Turns a user into the bytes of their entry in the file (or what the format writes it from).
pub(super) type Encode<'a> = dyn FnMut(&UserRow, &mut Vec<u8>) -> io::Result<()> + 'a;
/// Writes one user's entry, in the export's order.
pub(super) type Emit<'a> = dyn FnMut(&[u8]) -> io::Result<()> + 'a;
/// Visits the export's users with an encoder and an emitter; returns how many were emitted.
pub(super) type Visit<'a> = dyn FnMut(&mut Encode<'_>, &mut Emit<'_>) -> Result<u64, Failure> + 'a;

/// Writes the selected users of the tenant's published mirror to `out` in `format`; returns
/// how many users it wrote.
pub fn write_export(
    conn: &mut DbConnection,
    meta: &ExportMeta,
    format: ExportFormat,
    out: &mut impl Write,
) -> io::Result<u64> {
    let written = in_published(
        conn,
        &meta.tenant_id,
        |conn, published| -> Result<u64, Failure> {
            let generation = published.generation;
            let summary = if format == ExportFormat::Xlsx {
                summary_facts(conn, meta, generation)?
            } else {
                SummaryFacts::default()
            };
            let mut visit = |encode: &mut Encode<'_>, emit: &mut Emit<'_>| {
                visit_users(conn, meta, generation, encode, emit)
            };
            match format {
                ExportFormat::Csv => write_csv(&mut visit, out),
                ExportFormat::Json => write_json(&mut visit, meta, out),
                ExportFormat::Xlsx => write_xlsx(&mut visit, meta, &summary, out),
            }
        },
    )?
    .ok_or_else(|| io::Error::other("the mirror was removed"))?;
    Ok(written)
}

/// Encodes every selected user as it is read and emits the entries in the export's order;
/// returns how many it emitted.
fn visit_users(
    conn: &mut DbConnection,
    meta: &ExportMeta,
    generation: i64,
    encode: &mut Encode<'_>,
    emit: &mut Emit<'_>,
) -> Result<u64, Failure> {
    let all = Filter::default();
    let filter = meta.selection.filter.as_ref().unwrap_or(&all);
    let only = meta.selection.account_ids.as_deref();
    let mirror = (meta.tenant_id.as_str(), generation);
    let now = meta.exported_at.naive_utc();
    let mut reorder = match meta.order {
        ExportOrder::AccountId => None,
        ExportOrder::Browser(sort) => Some(Reorder::new(users::sorted_account_ids(
            conn, mirror, filter, only, sort, now,
        )?)?),
    };
    let mut entry = Vec::new();
    let visited = users::scan(
        conn,
        mirror,
        filter,
        only,
        now,
        |rows| -> Result<(), Failure> {
            rows.iter().try_for_each(|row| {
                entry.clear();
                encode(row, &mut entry)?;
                match reorder.as_mut() {
                    Some(reorder) => reorder.put(&row.account_id, &entry)?,
                    None => emit(&entry)?,
                }
                Ok(())
            })
        },
    )?;
    if let Some(reorder) = reorder {
        reorder.replay(emit)?;
    }
    Ok(visited as u64)
}

fn write_csv(visit: &mut Visit<'_>, out: &mut impl Write) -> Result<u64, Failure> {
    let mut header = Vec::new();
    append_row(&mut header, CSV_HEADER)?;
    out.write_all(&header)?;
    let count = visit(
        &mut |row, line| append_row(line, csv_record(row)),
        &mut |line| out.write_all(line),
    )?;
    out.flush()?;
    Ok(count)
}

/// `{"exportedBy":…,"exportedAt":…,"selection":…,"users":[…],"count":…}`, compact.
fn write_json(
    visit: &mut Visit<'_>,
    meta: &ExportMeta,
    out: &mut impl Write,
) -> Result<u64, Failure> {
    out.write_all(b"{\"exportedBy\":")?;
    serde_json::to_writer(&mut *out, &meta.exported_by).map_err(io::Error::from)?;
    out.write_all(b",\"exportedAt\":")?;
    serde_json::to_writer(&mut *out, &meta.exported_at).map_err(io::Error::from)?;
    out.write_all(b",\"selection\":")?;
    serde_json::to_writer(&mut *out, &meta.selection).map_err(io::Error::from)?;
    out.write_all(b",\"users\":[")?;
    let mut separator: &[u8] = b"";
    let count = visit(
        &mut |row, entry| Ok(serde_json::to_writer(entry, row)?),
        &mut |entry| {
            out.write_all(separator)?;
            separator = b",";
            out.write_all(entry)
        },
    )?;
    write!(out, "],\"count\":{count}}}")?;
    out.flush()?;
    Ok(count)
}

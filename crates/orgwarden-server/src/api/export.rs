//! `POST /api/v1/users/export`: a filter's users or a selection as CSV, JSON or XLSX, streamed
//! from one database snapshot a chunk at a time, so 100,000 users never sit in memory.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::http::StatusCode;
use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use orgwarden_store::operations::Selection;
use orgwarden_store::users::Sort;
use serde::Deserialize;
use tokio::sync::mpsc::{self, error::TrySendError};
use utoipa::ToSchema;

use super::mirror::with_mirror;
use super::operations::types::validate_selection;
use crate::access::Reader;
use crate::audit_log::{downloaded, record_now, Who};
use crate::error::{ApiError, ErrorEnvelope};
use crate::error_code::ErrorCode;
use crate::export::{write_export, ExportFormat, ExportMeta, ExportOrder};
use crate::export_slots::Busy;
use crate::state::AppState;

/// Bytes per chunk sent to the client.
const CHUNK_BYTES: usize = 64 * 1024;

/// Chunks buffered between the database reader and the client (back-pressure beyond that).
const CHUNKS_IN_FLIGHT: usize = 4;

/// How long a chunk may wait for the client to read: a client that stops reading for longer
/// loses its download, and the export gives its database connection back.
const SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// How often a full channel is tried again while the client reads.
const WAIT_FOR_READER: Duration = Duration::from_millis(10);

/// What to export and how.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExportRequest {
    /// `{filter}` (every matching user) or `{accountIds}` (a selection).
    pub selection: Selection,
    /// `csv`, `json` or `xlsx`.
    pub format: ExportFormat,
    /// The user browser's sort, to list users as the browser does; absent: account-id order.
    #[serde(default)]
    pub sort: Option<Sort>,
}

/// Users as a file download, in the browser's sort order (or by account id).
#[utoipa::path(operation_id = "users_export", post, path = "/api/v1/users/export", tag = "users", security(("connect_jwt" = [])), request_body = ExportRequest,
    responses((status = 200, description = "The file (Content-Disposition: attachment): text/csv, application/json or the XLSX type", content_type = "application/octet-stream"),
        (status = 400, body = ErrorEnvelope), (status = 409, description = "Not synced yet", body = ErrorEnvelope),
        (status = 429, description = "Too many exports running (code too_many_exports)", body = ErrorEnvelope)))]
pub async fn export(
    caller: Reader,
    state: web::Data<AppState>,
    body: web::Json<ExportRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut request = body.into_inner();
    validate_selection(&request.selection)?;
    if caller.access.scope.is_some() {
        let filter = request.selection.filter.take().unwrap_or_default();
        request.selection.filter = Some(caller.limit(filter));
    }
    let (tenant_id, _) = with_mirror(&state, &caller.tenant.client_key, |_, m| {
        Ok((m.tenant_id.clone(), m.generation))
    })
    .await?;
    let now = Utc::now();
    let meta = ExportMeta {
        tenant_id,
        exported_by: caller.account_id.to_string(),
        exported_at: now,
        selection: request.selection,
        order: request
            .sort
            .map_or(ExportOrder::AccountId, ExportOrder::Browser),
    };
    let format = request.format;
    let slot = state.exports.take(&meta.tenant_id).map_err(|busy| {
        let message = match busy {
            Busy::Tenant => "Two exports of this organization are running already; download this one when one of them has finished.",
            Busy::Server => "The server is streaming as many exports as it allows; try again in a minute.",
        };
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyExports, message)
    })?;
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(CHUNKS_IN_FLIGHT);
    let db = state.db.clone();
    let who = Who::from(&*caller);
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        write_and_record(
            &db,
            &meta,
            format,
            &who,
            ChannelWriter::new(tx, SEND_TIMEOUT),
        );
    });
    let stream = futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(file_name(now, format))],
        })
        .insert_header(("Cache-Control", "no-store"))
        .streaming(stream))
}

/// Writes the export into `out` and records it in the audit trail however it ended once any of
/// it was handed out (a download cut short still gave most of its rows); a failure reaches the
/// caller as a failed download. The database connection is given back before an error waits
/// for the reader.
fn write_and_record(
    db: &orgwarden_store::Database,
    meta: &ExportMeta,
    format: ExportFormat,
    who: &Who,
    mut out: ChannelWriter,
) {
    let mut conn = match db.get() {
        Ok(conn) => conn,
        Err(e) => {
            tracing::warn!(error = %e, "export not started: no database connection");
            let _ = out.fail(io::Error::other(e.to_string()));
            return;
        }
    };
    let written =
        write_export(&mut conn, meta, format, &mut out).and_then(|rows| out.flush().map(|()| rows));
    let rows = written.as_ref().ok().copied();
    let recorded = if rows.is_some() || out.sent_any() {
        let note = downloaded("users", &meta.selection, rows, format.extension());
        who.actor(&mut conn)
            .and_then(|actor| record_now(&mut conn, &who.tenant, actor, note).map(drop))
    } else {
        Ok(())
    };
    drop(conn);
    if let Err(e) = recorded {
        tracing::warn!(error = %e, "users export not recorded in the audit trail");
        if written.is_ok() {
            // The stream ends only once this task does: the caller sees a failed download.
            let _ = out.fail(io::Error::other("the export could not be recorded"));
        }
    }
    if let Err(e) = written {
        if !matches!(
            e.kind(),
            io::ErrorKind::BrokenPipe | io::ErrorKind::TimedOut
        ) {
            tracing::warn!(error = %e, "export failed mid-way");
            let _ = out.fail(e);
        }
    }
}

/// `orgwarden-users-20261123-1405.csv`.
fn file_name(at: DateTime<Utc>, format: ExportFormat) -> String {
    format!(
        "orgwarden-users-{}.{}",
        at.format("%Y%m%d-%H%M"),
        format.extension()
    )
}

/// An `io::Write` that sends full chunks to the response: `BrokenPipe` once the client is gone,
/// `TimedOut` when it has not taken a chunk within the timeout.
struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buffer: Vec<u8>,
    timeout: Duration,
    sent_any: bool,
}

impl ChannelWriter {
    fn new(tx: mpsc::Sender<io::Result<Bytes>>, timeout: Duration) -> Self {
        Self {
            tx,
            buffer: Vec::with_capacity(CHUNK_BYTES),
            timeout,
            sent_any: false,
        }
    }

    /// Whether any chunk reached the response.
    fn sent_any(&self) -> bool {
        self.sent_any
    }

    fn send(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK_BYTES));
        self.send_item(Ok(Bytes::from(chunk)))?;
        self.sent_any = true;
        Ok(())
    }

    /// Ends the response with `error` (the caller sees a failed download), waiting for the
    /// reader as long as a chunk would.
    fn fail(&mut self, error: io::Error) -> io::Result<()> {
        self.send_item(Err(error))
    }

    fn send_item(&mut self, mut item: io::Result<Bytes>) -> io::Result<()> {
        let deadline = Instant::now() + self.timeout;
        loop {
            match self.tx.try_send(item) {
                Ok(()) => return Ok(()),
                Err(TrySendError::Closed(_)) => {
                    return Err(io::Error::from(io::ErrorKind::BrokenPipe))
                }
                Err(TrySendError::Full(back)) if Instant::now() < deadline => {
                    item = back;
                    std::thread::sleep(WAIT_FOR_READER);
                }
                Err(TrySendError::Full(_)) => return Err(io::Error::from(io::ErrorKind::TimedOut)),
            }
        }
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK_BYTES {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_that_stops_reading_times_the_export_out() {
        let (tx, mut rx) = mpsc::channel(1);
        let mut out = ChannelWriter::new(tx, Duration::from_millis(50));
        out.write_all(&[b'x'; CHUNK_BYTES]).unwrap();
        let stalled = out.write_all(&[b'y'; CHUNK_BYTES]).unwrap_err();
        assert_eq!(stalled.kind(), io::ErrorKind::TimedOut);
        assert_eq!(rx.try_recv().unwrap().unwrap().len(), CHUNK_BYTES);
    }

    #[test]
    fn file_names_carry_time_and_extension() {
        let at = DateTime::parse_from_rfc3339("2026-11-23T14:05:09Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            file_name(at, ExportFormat::Xlsx),
            "orgwarden-users-20261123-1405.xlsx"
        );
    }

    #[test]
    fn writer_sends_full_chunks_and_the_rest_on_flush() {
        let (tx, mut rx) = mpsc::channel(16);
        let mut writer = ChannelWriter::new(tx, SEND_TIMEOUT);
        writer.write_all(&vec![b'x'; CHUNK_BYTES + 10]).unwrap();
        writer.write_all(b"tail").unwrap();
        writer.flush().unwrap();
        drop(writer);
        let mut sizes = Vec::new();
        while let Ok(chunk) = rx.try_recv() {
            sizes.push(chunk.unwrap().len());
        }
        assert_eq!(sizes, vec![CHUNK_BYTES + 10, 4]);
    }

    #[test]
    fn writer_reports_a_gone_client_as_broken_pipe() {
        let (tx, rx) = mpsc::channel(1);
        drop(rx);
        let mut writer = ChannelWriter::new(tx, SEND_TIMEOUT);
        writer.write_all(b"x").unwrap();
        assert_eq!(
            writer.flush().unwrap_err().kind(),
            io::ErrorKind::BrokenPipe
        );
    }
}

//! `POST /api/v1/users/export`: a filter's users or a selection as CSV, JSON or XLSX, streamed
//! from one database snapshot a chunk at a time, so 100,000 users never sit in memory.

use std::io::{self, Write};

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use orgwarden_store::operations::Selection;
use orgwarden_store::users::{ExportOrder, Sort};
use serde::Deserialize;
use tokio::sync::mpsc;
use utoipa::ToSchema;

use super::export_formats::{write_export, ExportMeta};
use super::mirror::with_mirror;
use super::operation_types::validate_selection;
use crate::access::Reader;
use crate::audit_log::{downloaded, record_now, Who};
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// Bytes per chunk sent to the client.
const CHUNK_BYTES: usize = 64 * 1024;

/// Chunks buffered between the database reader and the client (back-pressure beyond that).
const CHUNKS_IN_FLIGHT: usize = 4;

/// File formats of exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// Comma-separated values, one user per row.
    Csv,
    /// `{exportedBy, exportedAt, filter, users: [...], count}`.
    Json,
    /// A workbook with a summary sheet and a users sheet.
    Xlsx,
}

impl ExportFormat {
    fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
            Self::Xlsx => "xlsx",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Json => "application/json",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

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
        (status = 400, body = ErrorEnvelope), (status = 409, description = "Not synced yet", body = ErrorEnvelope)))]
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
        exported_by: caller.account_id.clone(),
        exported_at: now,
        selection: request.selection,
        order: request
            .sort
            .map_or(ExportOrder::AccountId, ExportOrder::Browser),
    };
    let format = request.format;
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(CHUNKS_IN_FLIGHT);
    let db = state.db.clone();
    let who = Who::from(&*caller);
    tokio::task::spawn_blocking(move || {
        let mut out = ChannelWriter::new(tx.clone());
        let written = db
            .get()
            .map_err(|e| io::Error::other(e.to_string()))
            .and_then(|mut conn| {
                let rows = write_export(&mut conn, &meta, format, &mut out)?;
                out.flush()?;
                // The download is recorded once it has been handed out whole.
                let note = downloaded("users", &meta.selection, rows, format.extension());
                let actor = who.actor(&mut conn).map_err(io::Error::other)?;
                record_now(&mut conn, &who.tenant, actor, note).map_err(io::Error::other)?;
                Ok(())
            });
        if let Err(e) = written {
            if e.kind() != io::ErrorKind::BrokenPipe {
                tracing::warn!(error = %e, "export failed mid-way");
                let _ = tx.blocking_send(Err(e));
            }
        }
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

/// `orgwarden-users-20261123-1405.csv`.
fn file_name(at: DateTime<Utc>, format: ExportFormat) -> String {
    format!(
        "orgwarden-users-{}.{}",
        at.format("%Y%m%d-%H%M"),
        format.extension()
    )
}

/// An `io::Write` that sends full chunks to the response; `BrokenPipe` once the client is gone.
struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buffer: Vec<u8>,
}

impl ChannelWriter {
    fn new(tx: mpsc::Sender<io::Result<Bytes>>) -> Self {
        Self {
            tx,
            buffer: Vec::with_capacity(CHUNK_BYTES),
        }
    }

    fn send(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK_BYTES));
        self.tx
            .blocking_send(Ok(Bytes::from(chunk)))
            .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
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
        let mut writer = ChannelWriter::new(tx);
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
        let mut writer = ChannelWriter::new(tx);
        writer.write_all(b"x").unwrap();
        assert_eq!(
            writer.flush().unwrap_err().kind(),
            io::ErrorKind::BrokenPipe
        );
    }
}

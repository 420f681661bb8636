//! `GET /api/v1/audit/export?format=csv|json`: the filtered trail, newest first, streamed up to
//! a thousand entries at a time (fewer when their details are long: an operation's entry holds
//! its whole selection); the download itself is recorded once it has been handed out, or as
//! interrupted when it stops before its end.

use crate::export::SafeCsvWriter;
use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::web::Bytes;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use orgwarden_ids::TenantId;
use orgwarden_store::audit::{self, Entry, Filter};
use orgwarden_store::{Database, DbConnection, StoreError};
use serde::Deserialize;
use utoipa::IntoParams;

use super::audit::{AuditEntryView, AuditQuery};
use crate::access::Reader;
use crate::audit_log::{downloaded, record_alone, Who};
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

const BATCH: i64 = 1_000;
/// Details (in characters) a batch reads before it ends early: a batch holds about this much
/// plus one entry, however long their details are.
const BATCH_DETAILS: i64 = 4 << 20;
/// Details longer than this are read whole one entry at a time.
const DETAILS_READ_ALONE: i64 = 65_536;
const CSV_HEADER: [&str; 11] = [
    "id",
    "at",
    "kind",
    "actor_account_id",
    "actor_name",
    "via",
    "token_id",
    "summary",
    "details",
    "prev_hash",
    "hash",
];

/// `csv` or `json`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportFormatQuery {
    /// `csv` or `json`.
    pub format: String,
}

struct Export {
    db: Database,
    who: Who,
    filter: Filter,
    csv: bool,
    rows: u64,
    started: bool,
    done: bool,
    /// Whether the download's `export.downloaded` entry was written.
    recorded: bool,
}

impl Export {
    fn note(&self, rows: Option<u64>) -> crate::audit_log::Note {
        let format = if self.csv { "csv" } else { "json" };
        downloaded("audit", &selection(&self.filter), rows, format)
    }
}

/// A download that stopped before its end (the caller went away, a read failed) is recorded
/// as interrupted: the caller has what was sent.
impl Drop for Export {
    fn drop(&mut self) {
        if self.started && !self.recorded {
            let (db, who, note) = (self.db.clone(), self.who.clone(), self.note(None));
            let Ok(runtime) = tokio::runtime::Handle::try_current() else {
                tracing::warn!("interrupted audit export not recorded: no runtime");
                return;
            };
            runtime.spawn(async move {
                if let Err(e) = record_alone(&db, who, note).await {
                    tracing::warn!(error = %e, "interrupted audit export not recorded");
                }
            });
        }
    }
}

/// The filtered trail as CSV or JSON (an array of entries), newest first (a caller limited to
/// what they administer: the entries of their own actions, and the system's entries of the syncs
/// and operations they started).
#[utoipa::path(operation_id = "audit_export", get, path = "/api/v1/audit/export", tag = "audit",
    security(("connect_jwt" = []), ("api_token" = [])), params(ExportFormatQuery, AuditQuery),
    responses((status = 200, description = "text/csv or application/json (Content-Disposition: attachment)", content_type = "application/octet-stream"),
        (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn export(
    caller: Reader,
    state: web::Data<AppState>,
    format: web::Query<ExportFormatQuery>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let csv = match format.format.as_str() {
        "csv" => true,
        "json" => false,
        _ => return Err(ApiError::invalid("format", "must be csv or json")),
    };
    let mut filter = query.filter(&caller)?;
    filter.before_id = None;
    let export = Export {
        db: state.db.clone(),
        who: Who::from(&*caller),
        filter,
        csv,
        rows: 0,
        started: false,
        done: false,
        recorded: false,
    };
    let stream = futures::stream::unfold(export, |mut export| async move {
        if export.done {
            return None;
        }
        let chunk = next_chunk(&mut export).await;
        if chunk.is_err() {
            export.done = true;
        }
        Some((chunk, export))
    });
    let extension = if csv { "csv" } else { "json" };
    Ok(HttpResponse::Ok()
        .content_type(if csv {
            "text/csv; charset=utf-8"
        } else {
            "application/json"
        })
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!(
                "orgwarden-audit-{}.{extension}",
                Utc::now().format("%Y%m%d-%H%M")
            ))],
        })
        .insert_header(("Cache-Control", "no-store"))
        .streaming(stream))
}

async fn next_chunk(export: &mut Export) -> Result<Bytes, ApiError> {
    let (tenant, filter) = (export.who.tenant.clone(), export.filter.clone());
    let first = !export.started;
    let batch = crate::db::run(&export.db, move |conn| {
        if first {
            // Entries carried by their changes join the trail before it is read.
            audit::link_pending(conn, &tenant)?;
        }
        read_batch(conn, &tenant, &filter)
    })
    .await?;
    let mut out = Vec::new();
    if !export.started {
        export.started = true;
        if export.csv {
            out = csv_rows(&[], true)?;
        } else {
            out.push(b'[');
        }
    }
    let Some(last) = batch.last() else {
        export.done = true;
        if !export.csv {
            out.push(b']');
        }
        record_alone(
            &export.db,
            export.who.clone(),
            export.note(Some(export.rows)),
        )
        .await?;
        export.recorded = true;
        return Ok(Bytes::from(out));
    };
    export.filter.before_id = Some(last.id);
    if export.csv {
        out.extend(csv_rows(&batch, false)?);
    } else {
        for entry in &batch {
            if export.rows > 0 || out.len() > 1 {
                out.push(b',');
            }
            serde_json::to_writer(&mut out, &AuditEntryView::from(entry.clone()))
                .map_err(ApiError::internal)?;
            export.rows += 1;
        }
        return Ok(Bytes::from(out));
    }
    export.rows += batch.len() as u64;
    Ok(Bytes::from(out))
}

/// The next entries whole, up to [`BATCH`] of them and about [`BATCH_DETAILS`] characters of
/// details.
fn read_batch(
    conn: &mut DbConnection,
    tenant: &TenantId,
    filter: &Filter,
) -> Result<Vec<Entry>, StoreError> {
    let mut batch = Vec::new();
    let mut details = 0;
    for listed in audit::page(conn, tenant, filter, BATCH, DETAILS_READ_ALONE)? {
        if details >= BATCH_DETAILS {
            break;
        }
        details += listed.details_len;
        if !listed.details_left_out() {
            batch.push(listed.entry);
        } else if let Some(whole) = audit::entry(conn, tenant, listed.entry.id)? {
            batch.push(whole);
        }
    }
    Ok(batch)
}

fn csv_rows(batch: &[Entry], header: bool) -> Result<Vec<u8>, ApiError> {
    let mut w = SafeCsvWriter::new(Vec::new());
    if header {
        w.write_row(CSV_HEADER).map_err(ApiError::internal)?;
    }
    for e in batch {
        w.write_row([
            e.id.to_string(),
            e.at.and_utc().to_rfc3339(),
            e.kind.clone(),
            e.actor_id.clone(),
            e.actor_name.clone(),
            e.via.clone(),
            e.token_id.map(|t| t.to_string()).unwrap_or_default(),
            e.summary.clone(),
            e.details.clone(),
            e.prev_hash.clone(),
            e.hash.clone(),
        ])
        .map_err(ApiError::internal)?;
    }
    w.into_inner().map_err(ApiError::internal)
}

fn selection(filter: &Filter) -> serde_json::Value {
    serde_json::json!({
        "kind": filter.kind,
        "actor": filter.actor,
        "from": filter.from.map(|t| t.and_utc()),
        "to": filter.to.map(|t| t.and_utc()),
    })
}

#[cfg(test)]
mod batch_tests {
    use chrono::Utc;
    use orgwarden_store::audit::{Actor, Kind, NewEntry};
    use orgwarden_store::testing::{fresh_database, installed};
    use orgwarden_store::Backend;

    use super::*;

    #[test]
    fn a_batch_ends_after_so_many_characters_of_details_and_reads_long_ones_whole() {
        let fresh = fresh_database(Backend::Sqlite);
        let mut conn = fresh.db.get().unwrap();
        let tenant = installed(&mut conn, "t");
        // Three entries of 3/4 of a batch's details each, then a short one.
        let long = "x".repeat(usize::try_from(BATCH_DETAILS * 3 / 4).unwrap());
        let texts = [long.as_str(), long.as_str(), long.as_str(), "short"];
        for text in texts {
            let entry = NewEntry {
                kind: Kind::OperationCreated,
                actor: Actor::system("test"),
                summary: "s".into(),
                details: serde_json::json!({ "text": text }),
            };
            audit::record(&mut conn, &tenant, &entry, Utc::now().naive_utc()).unwrap();
        }
        let mut filter = Filter::default();
        let mut batches = Vec::new();
        loop {
            let batch = read_batch(&mut conn, &tenant, &filter).unwrap();
            let Some(last) = batch.last() else { break };
            filter.before_id = Some(last.id);
            let lens: Vec<usize> = batch.iter().map(|e| e.details.len()).collect();
            batches.push(lens);
        }
        let whole = long.len() + r#"{"text":""}"#.len();
        let short = r#"{"text":"short"}"#.len();
        assert_eq!(batches, [vec![short, whole, whole], vec![whole]]);
    }
}

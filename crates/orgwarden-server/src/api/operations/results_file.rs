//! An operation's results as a file: the ledger is read a page at a time in one snapshot and
//! written as JSON (an operation's results, a task run's detail) or CSV to a temporary file,
//! which is then streamed, so an answer of 300,000 steps holds one page of them in memory (not
//! every step, named, at once).

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Seek, Write};

use actix_web::web;
use orgwarden_ids::TenantId;
use orgwarden_store::access::Administered;
use orgwarden_store::{mirror, operations, snapshot, users};
use tokio::io::AsyncReadExt;

use super::results::ResultItem;
use super::steps_mirror::StepsMirror;
use super::views::OperationView;
use crate::error::ApiError;
use crate::export::SafeCsvWriter;
use orgwarden_atlassian::product_name;

/// Ledger rows read, named and written at a time.
const PAGE: i64 = 5_000;

/// The form of the answer.
pub(crate) enum Form<'a> {
    /// JSON: the object `head` (as serialized) with the steps added as the array `key`;
    /// `dry_run` words the outcomes as a task's dry run does (`wouldAct`, `skip`).
    Json {
        /// A serialized JSON object, e.g. `{"operation": …}`.
        head: Vec<u8>,
        /// The name of the steps' array.
        key: &'static str,
        /// A task's dry run.
        dry_run: bool,
    },
    /// One row per step with the operation's columns repeated ([`RESULTS_HEADER`]).
    Csv(&'a OperationView),
}

/// Writes every step of the tenant's operation `operation_id` with its outcome in `form` to a
/// temporary file, in plan order (for a caller limited to what they administer, `within`, only
/// the steps of users they may see); returns the file, rewound, and how many steps it holds.
pub(crate) fn write(
    conn: &mut orgwarden_store::DbConnection,
    tenant_id: &TenantId,
    operation_id: i64,
    within: Option<&[Administered]>,
    form: Form<'_>,
) -> Result<(File, u64), ApiError> {
    let mut file = tempfile::tempfile().map_err(ApiError::internal)?;
    let mut out = Sink::begin(BufWriter::new(&mut file), form)?;
    let steps = snapshot::in_snapshot(conn, |conn| -> Result<u64, ApiError> {
        let mirror = StepsMirror::read(conn, tenant_id, within)?;
        let names = match (&out, mirror.generation()) {
            (Sink::Csv { .. }, Some(generation)) => PlaceNames::read(conn, tenant_id, generation)?,
            _ => PlaceNames::default(),
        };
        let (mut from, mut steps) = (0, 0);
        loop {
            let items = operations::items_page(conn, tenant_id, operation_id, (from, None), PAGE)?;
            let Some(last) = items.last() else {
                return Ok(steps);
            };
            from = last.seq + 1;
            let items = mirror.keep_shown(conn, tenant_id, items)?;
            for item in mirror.named(conn, tenant_id, items)? {
                out.step(item, &names)?;
                steps += 1;
            }
        }
    })?;
    out.end()?;
    file.rewind().map_err(ApiError::internal)?;
    Ok((file, steps))
}

/// The names of the sites and groups steps name, as the published mirror knows them (a CSV
/// gives them beside the ids).
#[derive(Default)]
struct PlaceNames {
    sites: HashMap<String, String>,
    groups: HashMap<String, String>,
}

impl PlaceNames {
    fn read(
        conn: &mut orgwarden_store::DbConnection,
        tenant_id: &TenantId,
        generation: i64,
    ) -> Result<Self, ApiError> {
        let groups = users::groups(conn, tenant_id, generation)?
            .into_iter()
            .map(|g| (g.id, g.name))
            .collect();
        Ok(Self {
            sites: mirror::site_names(conn, tenant_id, generation)?
                .into_iter()
                .collect(),
            groups,
        })
    }
}

/// The name `names` has for `id` ("" when none).
fn name_of<'a>(names: &'a HashMap<String, String>, id: Option<&str>) -> &'a str {
    id.and_then(|id| names.get(id)).map_or("", String::as_str)
}

/// Where the steps go, in their format.
enum Sink<W: Write> {
    Json {
        out: W,
        first: bool,
        dry_run: bool,
    },
    Csv {
        out: Box<SafeCsvWriter<W>>,
        head: [String; 5],
    },
}

impl<W: Write> Sink<W> {
    /// Writes what comes before the steps.
    fn begin(mut out: W, form: Form<'_>) -> Result<Self, ApiError> {
        let op = match form {
            Form::Json { head, key, dry_run } => {
                // The object without its closing brace, then the array.
                let fields = head
                    .strip_suffix(b"}")
                    .ok_or_else(|| ApiError::internal("the head of a JSON answer is no object"))?;
                out.write_all(fields).map_err(ApiError::internal)?;
                let comma = if fields.len() > 1 { "," } else { "" };
                write!(out, "{comma}\"{key}\":[").map_err(ApiError::internal)?;
                return Ok(Self::Json {
                    out,
                    first: true,
                    dry_run,
                });
            }
            Form::Csv(op) => op,
        };
        let mut out = Box::new(SafeCsvWriter::new(out));
        out.write_row(RESULTS_HEADER).map_err(ApiError::internal)?;
        let head = [
            op.id.to_string(),
            op.requested_by.clone(),
            op.created_at.to_rfc3339(),
            op.reason.clone().unwrap_or_default(),
            serde_json::to_string(&op.actions).unwrap_or_default(),
        ];
        Ok(Self::Csv { out, head })
    }

    fn step(&mut self, mut item: ResultItem, names: &PlaceNames) -> Result<(), ApiError> {
        match self {
            Self::Json {
                out,
                first,
                dry_run,
            } => {
                if !std::mem::take(first) {
                    out.write_all(b",").map_err(ApiError::internal)?;
                }
                if *dry_run {
                    item.outcome = item.outcome.as_dry_run();
                }
                serde_json::to_writer(out, &item).map_err(ApiError::internal)
            }
            Self::Csv { out, head } => {
                let detail = item.error.as_ref().or(item.reason.as_ref());
                let step = &item.step;
                let product = step.product_key.as_deref().map(product_name);
                let row = [
                    item.account_id.as_str(),
                    item.name.as_deref().unwrap_or_default(),
                    item.email.as_deref().unwrap_or_default(),
                    &item.action,
                    step.op.as_str(),
                    step.site_id.as_deref().unwrap_or_default(),
                    name_of(&names.sites, step.site_id.as_deref()),
                    step.product_key.as_deref().unwrap_or_default(),
                    product.as_deref().unwrap_or_default(),
                    step.role.as_deref().unwrap_or_default(),
                    step.group_id.as_deref().unwrap_or_default(),
                    name_of(&names.groups, step.group_id.as_deref()),
                    item.outcome.as_str(),
                    detail.map_or("", String::as_str),
                    &item.updated_at.to_rfc3339(),
                ];
                let cells = head.iter().map(String::as_str).chain(row);
                out.write_row(cells).map_err(ApiError::internal)
            }
        }
    }

    /// Writes what comes after the steps and flushes.
    fn end(self) -> Result<(), ApiError> {
        match self {
            Self::Json { mut out, .. } => {
                out.write_all(b"]}").map_err(ApiError::internal)?;
                out.flush().map_err(ApiError::internal)
            }
            Self::Csv { mut out, .. } => out.flush().map_err(ApiError::internal),
        }
    }
}

/// The CSV's columns: the operation's, then the step's.
const RESULTS_HEADER: [&str; 20] = [
    "operation_id",
    "requested_by",
    "created_at",
    "reason",
    "actions",
    "account_id",
    "name",
    "email",
    "action",
    "step",
    "site_id",
    "site",
    "product_key",
    "product",
    "role",
    "group_id",
    "group",
    "outcome",
    "detail",
    "updated_at",
];

/// The file's bytes, 64 KiB at a time, until its end or a read error.
pub(crate) fn file_chunks(
    file: tokio::fs::File,
) -> impl futures::Stream<Item = Result<web::Bytes, io::Error>> {
    futures::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut chunk = vec![0u8; 64 * 1024];
        match file.read(&mut chunk).await {
            Ok(0) => None,
            Ok(n) => {
                chunk.truncate(n);
                Some((Ok(web::Bytes::from(chunk)), Some(file)))
            }
            Err(e) => Some((Err(e), None)),
        }
    })
}

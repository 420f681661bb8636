//! `/api/v1/audit`: the audit trail, newest first with filters and cursor paging (long details
//! abridged, [`super::audit_abridge`]), one entry whole, and the verification of its hash chain.
//! The export is in [`super::audit_export`].

use actix_web::web;
use chrono::{DateTime, Utc};
use orgwarden_store::audit::{self, Entry, Filter, Kind, Listed};
use orgwarden_store::{DbConnection, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::audit_abridge::abridge;
use crate::access::{Caller, Reader, WholeReader};
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 200;

/// Who did it, as they were known at the time.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditActor {
    /// Atlassian account id (empty for the system).
    pub account_id: String,
    /// Their name at the time.
    pub name: String,
    /// `jwt` (the Jira page), `token` (an API token) or `system` (jobs, lifecycle).
    pub via: String,
    /// The API token used, for `via = token`.
    pub token_id: Option<i64>,
}

/// One audit entry.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntryView {
    /// Entry id.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// What happened (dotted).
    #[schema(value_type = Kind)]
    pub kind: String,
    /// Who.
    pub actor: AuditActor,
    /// One line for admins.
    pub summary: String,
    /// Structured facts (for updates `changes`: field → {old, new}, secrets masked).
    pub details: serde_json::Value,
    /// True when a page abridged `details` (longer than 16,384 characters): every list keeps
    /// its first 20 items and every text its first 1,000 characters. `GET /api/v1/audit/{id}`
    /// and the export give them whole.
    pub details_abridged: bool,
    /// The length of the whole details' JSON text, in characters.
    pub details_length: i64,
    /// SHA-256 of the entry's canonical form.
    pub hash: String,
    /// The previous entry's hash.
    pub prev_hash: String,
}

impl From<Entry> for AuditEntryView {
    fn from(e: Entry) -> Self {
        let length = e.details.chars().count() as i64;
        let details = serde_json::from_str(&e.details).unwrap_or(serde_json::Value::Null);
        Self::with_details(e, details, false, length)
    }
}

impl AuditEntryView {
    fn with_details(e: Entry, details: serde_json::Value, abridged: bool, length: i64) -> Self {
        Self {
            id: e.id,
            at: e.at.and_utc(),
            details,
            details_abridged: abridged,
            details_length: length,
            kind: e.kind,
            actor: AuditActor {
                account_id: e.actor_id,
                name: e.actor_name,
                via: e.via,
                token_id: e.token_id,
            },
            summary: e.summary,
            hash: e.hash,
            prev_hash: e.prev_hash,
        }
    }
}

/// A page of entries.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditPage {
    /// Newest first.
    pub items: Vec<AuditEntryView>,
    /// Pass as `cursor` for the next (older) page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters of the list and the export.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// A kind (`settings.updated`) or a family (`operation`).
    pub kind: Option<String>,
    /// The actor's account id.
    pub actor: Option<String>,
    /// From this time (RFC 3339), inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Up to this time (RFC 3339), exclusive.
    pub to: Option<DateTime<Utc>>,
    /// The `nextCursor` of the previous page.
    pub cursor: Option<String>,
    /// Entries per page (1–200, default 50).
    pub limit: Option<i64>,
}

/// Why a caller limited to what they administer cannot read other people's entries.
const OWN_ENTRIES_ONLY: &str = "Your access is limited to the sites and products you \
     administer, so the audit log shows only your own actions and what the app did for them. \
     An organization admin sees everyone's.";

impl AuditQuery {
    /// The store filter these parameters ask for, as `caller` may read the trail: a caller
    /// limited to what they administer reads their own entries only — those of their actions and
    /// what the system recorded for what they asked for (asking for someone else's is refused) —
    /// since the rest concerns sites, products and people outside their scope.
    pub fn filter(&self, caller: &Caller) -> Result<Filter, ApiError> {
        let mut filter = self.unscoped_filter()?;
        if caller.access.scope.is_some() {
            let own = caller.account_id.to_string();
            if filter.actor.as_ref().is_some_and(|actor| *actor != own) {
                return Err(ApiError::forbidden(OWN_ENTRIES_ONLY));
            }
            filter.own = Some(own);
        }
        Ok(filter)
    }

    fn unscoped_filter(&self) -> Result<Filter, ApiError> {
        let before_id = match self.cursor.as_deref().filter(|c| !c.is_empty()) {
            Some(c) => Some(
                c.parse::<i64>()
                    .map_err(|_| ApiError::invalid("cursor", "not a cursor of this list"))?,
            ),
            None => None,
        };
        let kind = self.kind.clone().filter(|k| !k.trim().is_empty());
        if let Some(k) = &kind {
            let family = k.strip_suffix(".*").unwrap_or(k);
            let known = Kind::ALL
                .iter()
                .any(|x| x.as_str() == family || x.as_str().split('.').next() == Some(family));
            if !known {
                return Err(ApiError::invalid("kind", "unknown kind"));
            }
        }
        Ok(Filter {
            kind,
            actor: self.actor.clone().filter(|a| !a.is_empty()),
            own: None,
            from: self.from.map(|t| t.naive_utc()),
            to: self.to.map(|t| t.naive_utc()),
            before_id,
            id: None,
        })
    }
}

/// The audit trail, newest first (a caller limited to what they administer: the entries of
/// their own actions, and the system's entries of the syncs and operations they started).
#[utoipa::path(operation_id = "audit_list", get, path = "/api/v1/audit", tag = "audit",
    security(("connect_jwt" = []), ("api_token" = [])), params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn list(
    caller: Reader,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> Result<web::Json<AuditPage>, ApiError> {
    let filter = query.filter(&caller)?;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid("limit", "must be 1 to 200"));
    }
    let tenant = caller.tenant.client_key.clone();
    let mut items = crate::db::run(&state.db, move |conn| {
        audit::link_pending(conn, &tenant)?;
        let page = audit::page(conn, &tenant, &filter, limit + 1, audit::PAGE_DETAILS_MAX)?;
        page.into_iter()
            .map(|listed| listed_view(conn, &tenant, listed))
            .collect::<Result<Vec<_>, StoreError>>()
    })
    .await?;
    let more = items.len() as i64 > limit;
    items.truncate(usize::try_from(limit).unwrap_or_default());
    let next_cursor = more
        .then(|| items.last().map(|e| e.id.to_string()))
        .flatten();
    Ok(web::Json(AuditPage { items, next_cursor }))
}

/// A listed entry as a page shows it: details the page left out are read whole, one entry at a
/// time, and abridged.
fn listed_view(
    conn: &mut DbConnection,
    tenant: &orgwarden_ids::TenantId,
    listed: Listed,
) -> Result<AuditEntryView, StoreError> {
    if !listed.details_left_out() {
        return Ok(listed.entry.into());
    }
    let whole = audit::entry(conn, tenant, listed.entry.id)?;
    let details = whole.map_or(serde_json::Value::Null, |e| abridge(&e.details));
    Ok(AuditEntryView::with_details(
        listed.entry,
        details,
        true,
        listed.details_len,
    ))
}

/// One entry with its details whole (as the caller may read the trail: a caller limited to what
/// they administer, their own entries only).
#[utoipa::path(operation_id = "audit_entry", get, path = "/api/v1/audit/{id}", tag = "audit",
    security(("connect_jwt" = []), ("api_token" = [])), params(("id" = i64, Path, description = "Entry id")),
    responses((status = 200, body = AuditEntryView), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn entry(
    caller: Reader,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<AuditEntryView>, ApiError> {
    let id = id.into_inner();
    let mut filter = AuditQuery::default().filter(&caller)?;
    filter.id = Some(id);
    let tenant = caller.tenant.client_key.clone();
    let found = crate::db::run(&state.db, move |conn| {
        audit::link_pending(conn, &tenant)?;
        audit::list(conn, &tenant, &filter, 1)
    })
    .await?;
    found
        .into_iter()
        .next()
        .map(|e| web::Json(e.into()))
        .ok_or_else(|| ApiError::not_found(format!("No audit entry {id} that you may read")))
}

/// The outcome of verifying the hash chain.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditVerification {
    /// True when every entry matches its hash and links to the one before it, and every seal
    /// matches its entry.
    pub ok: bool,
    /// Entries checked (up to the first broken one).
    pub checked: i64,
    /// The first entry found broken (see `reason`).
    pub first_broken_id: Option<i64>,
    /// `content` (the entry does not match its hash), `link` (an earlier entry was changed or
    /// removed), `rehashed` (the entry's hash is not the one it was sealed with: it or an
    /// earlier entry was rewritten and the chain hashed again), `removed` (a sealed entry is
    /// gone), `seal` (a seal not made with this deployment's key) or `checkpoint` (the
    /// retention checkpoint carries no seal: retention did not write it).
    pub reason: Option<String>,
    /// The newest entry vouched for by a seal: on success, the newest entry (sealed now).
    pub sealed_through: Option<i64>,
}

/// Walks the tenant's hash chain from the retention checkpoint to the newest entry, checks every
/// seal against its entry and, when all is intact, seals the newest entry (seals are MACs under
/// the master key: an entry rewritten later with the chain hashed again no longer matches).
/// Admins limited to what they administer, who read only their own entries, may not.
#[utoipa::path(operation_id = "audit_verify", get, path = "/api/v1/audit/verify", tag = "audit",
    security(("connect_jwt" = []), ("api_token" = [])),
    responses((status = 200, body = AuditVerification), (status = 403, description = "Not allowed, or limited to what the caller administers (code access_denied)", body = ErrorEnvelope)))]
pub async fn verify(
    caller: WholeReader,
    state: web::Data<AppState>,
) -> Result<web::Json<AuditVerification>, ApiError> {
    let tenant = caller.tenant.client_key.clone();
    let key = state.cipher.audit_seal_key().clone();
    let now = Utc::now().naive_utc();
    let v = crate::db::run(&state.db, move |conn| {
        audit::verify(conn, &tenant, &key, Some(now))
    })
    .await?;
    if let Some(id) = v.first_broken_id {
        tracing::warn!(tenant = %caller.tenant.client_key, entry = id, "audit chain broken");
    }
    Ok(web::Json(AuditVerification {
        ok: v.first_broken_id.is_none(),
        checked: v.checked,
        first_broken_id: v.first_broken_id,
        reason: v.reason.map(str::to_owned),
        sealed_through: v.sealed_through,
    }))
}

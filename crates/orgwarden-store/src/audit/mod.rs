//! The audit trail: one append-only list of entries per tenant, each written in the same
//! transaction as the change it records ([`record`] is called inside that transaction), and
//! chained by SHA-256 so that a changed or removed entry is found ([`verify`]); [`seal`]s, keyed
//! by the master key, show an entry rewritten with the chain hashed again. Retention
//! ([`delete_through`]) keeps a checkpoint hash (and its seal), so the chain stays verifiable.

mod canonical;
mod chain;
mod commit;
mod diff;
mod kind;
mod pending;
mod query;
mod retention;
mod seal;
mod verify;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use orgwarden_ids::TenantId;

use crate::schema::audit_entries;

pub use canonical::GENESIS;
pub(crate) use chain::PREPARE_APPEND_PG;
pub use chain::{lock_trail, record};
pub use commit::write_recorded;
pub use diff::{changes, mask_secret};
pub use kind::Kind;
pub use pending::{execute_carrying, link_pending};
pub use query::{entry, list, page, Filter, Listed, PAGE_DETAILS_MAX};
pub use retention::delete_through;
pub(crate) use retention::purge;
pub use seal::{record_broken, seal, SealKey, Sealing};
pub use verify::{verify, Verification};

/// How an actor proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// A Connect context JWT (the Jira page), or a lifecycle callback signed by Atlassian.
    Jwt,
    /// An API token.
    Token(i64),
    /// The app itself: jobs and lifecycle events.
    System,
}

impl Via {
    /// The stored spelling: `jwt`, `token` or `system`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jwt => "jwt",
            Self::Token(_) => "token",
            Self::System => "system",
        }
    }

    fn token_id(self) -> Option<i64> {
        match self {
            Self::Token(id) => Some(id),
            _ => None,
        }
    }
}

/// Who did what an entry records, as they were known at the time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Atlassian account id (empty for the system).
    pub account_id: String,
    /// Their name at the time (the account id when the mirror does not know them).
    pub name: String,
    /// How they authenticated.
    pub via: Via,
}

impl Actor {
    /// The app itself (jobs, lifecycle events), named `what`.
    pub fn system(what: &str) -> Self {
        Self {
            account_id: String::new(),
            name: what.to_owned(),
            via: Via::System,
        }
    }
}

/// An entry to append.
#[derive(Debug, Clone)]
pub struct NewEntry {
    /// What happened.
    pub kind: Kind,
    /// Who did it.
    pub actor: Actor,
    /// One line an admin can read.
    pub summary: String,
    /// Structured facts (for updates: the changed fields, old → new, secrets masked).
    pub details: serde_json::Value,
}

/// A stored entry.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_entries)]
pub struct Entry {
    /// Entry id (increasing per database).
    pub id: i64,
    /// Tenant id.
    pub tenant_id: TenantId,
    /// When it was recorded (UTC, microseconds).
    pub at: NaiveDateTime,
    /// Dotted kind.
    pub kind: String,
    /// Actor's account id (empty for the system).
    pub actor_id: String,
    /// Actor's name at the time.
    pub actor_name: String,
    /// `jwt`, `token` or `system`.
    pub via: String,
    /// The API token used, for `via = token`.
    pub token_id: Option<i64>,
    /// One line for admins.
    pub summary: String,
    /// Details, JSON text.
    pub details: String,
    /// The previous entry's hash (or the checkpoint's, or [`GENESIS`]).
    pub prev_hash: String,
    /// This entry's hash (see the crate README: form 1 hashes the whole entry, form 2 links the
    /// previous hash to the digest of the content).
    pub hash: String,
    /// The canonical form it was hashed in: 1 or 2.
    pub form: i16,
}

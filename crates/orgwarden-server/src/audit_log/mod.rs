//! Writing the audit trail from handlers: who acts (their name as the mirror knows it at the
//! time), and the change and its entry in one transaction ([`in_transaction`]), so that a
//! change without its entry cannot be committed. Refusals with `access_denied` are recorded
//! at most once per caller and hour ([`denied`]).

mod denied;
pub mod lifecycle_audit;
mod linker;
mod notes;

use orgwarden_ids::{AccountId, TenantId};
use std::sync::LazyLock;
use std::time::Duration;

use chrono::Utc;
use moka::sync::Cache;
use orgwarden_store::audit::{self, Actor, Kind, NewEntry, Via as AuditVia};
use orgwarden_store::{mirror, users, DbConnection, StoreError};

use crate::access::{Caller, Via};
use crate::error::ApiError;

pub use denied::denied;
pub use linker::Linker;
pub use notes::{changes, downloaded, record_alone, record_now};

/// Names of actors by (tenant, account), briefly: a burst of changes looks them up once.
static NAMES: LazyLock<Cache<(TenantId, AccountId), String>> = LazyLock::new(|| {
    Cache::builder()
        .max_capacity(10_000)
        .time_to_live(Duration::from_secs(60))
        .build()
});

/// Who acts in a request, before their name is looked up.
#[derive(Debug, Clone)]
pub struct Who {
    /// Tenant id.
    pub tenant: TenantId,
    /// Account id.
    pub account_id: AccountId,
    /// How they authenticated.
    pub via: AuditVia,
}

impl From<&Caller> for Who {
    fn from(caller: &Caller) -> Self {
        Self {
            tenant: caller.tenant.client_key.clone(),
            account_id: caller.account_id.clone(),
            via: match caller.via {
                Via::Jwt => AuditVia::Jwt,
                Via::Token { id, .. } => AuditVia::Token(id),
            },
        }
    }
}

impl Who {
    /// The actor, named as the published mirror knows them (else by account id).
    pub fn actor(&self, conn: &mut DbConnection) -> Result<Actor, StoreError> {
        let key = (self.tenant.clone(), self.account_id.clone());
        let name = match NAMES.get(&key) {
            Some(name) => name,
            // Only names the mirror knows are kept: before the first sync, the account id stands in.
            None => match name_in_mirror(conn, &self.tenant, &self.account_id)? {
                Some(name) => {
                    NAMES.insert(key, name.clone());
                    name
                }
                None => self.account_id.to_string(),
            },
        };
        Ok(Actor {
            account_id: self.account_id.to_string(),
            name,
            via: self.via,
        })
    }
}

fn name_in_mirror(
    conn: &mut DbConnection,
    tenant: &TenantId,
    account_id: &AccountId,
) -> Result<Option<String>, StoreError> {
    let Some(published) = mirror::current(conn, tenant)? else {
        return Ok(None);
    };
    let mut names = users::names_of(
        conn,
        tenant,
        published.generation,
        &[account_id.to_string()],
    )?;
    Ok(names.remove(account_id.as_str()).map(|n| n.name))
}

/// What a change says about itself in the trail (the actor is added).
#[derive(Debug, Clone)]
pub struct Note {
    /// What happened.
    pub kind: Kind,
    /// One line for admins.
    pub summary: String,
    /// Structured facts.
    pub details: serde_json::Value,
}

impl Note {
    /// A note.
    pub fn new(kind: Kind, summary: impl Into<String>, details: serde_json::Value) -> Self {
        Self {
            kind,
            summary: summary.into(),
            details,
        }
    }

    /// The entry of this note, made by `actor`.
    pub fn by(self, actor: Actor) -> NewEntry {
        NewEntry {
            kind: self.kind,
            actor,
            summary: self.summary,
            details: self.details,
        }
    }
}

/// Runs `change` and records the note it returns (if any) in one transaction: both commit or
/// neither does.
pub fn in_transaction<T>(
    conn: &mut DbConnection,
    who: &Who,
    change: impl FnOnce(&mut DbConnection) -> Result<(T, Option<Note>), ApiError>,
) -> Result<T, ApiError> {
    let actor = who.actor(conn)?;
    audit::write_recorded(conn, &who.tenant, Utc::now().naive_utc(), |conn| {
        let (value, note) = change(conn)?;
        Ok((value, note.map(|note| note.by(actor))))
    })
}

/// Runs `change` in one transaction, given the actor; the change writes its entry in its own
/// statement (the store's `audit::execute_carrying`, such as `settings::save_recorded`), so
/// both commit or neither does. Link it with [`Linker::soon`] once it has committed.
pub fn carried_in_transaction<T>(
    conn: &mut DbConnection,
    who: &Who,
    change: impl FnOnce(&mut DbConnection, Actor) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let actor = who.actor(conn)?;
    orgwarden_store::transaction(conn, |conn| change(conn, actor))
}

//! What access decisions read per tenant and per token, cached briefly in memory so that a
//! request costs hash lookups. Saving a key, access control or revoking a token invalidates
//! this instance's entries at once; other instances (scale-out) see the change within
//! [`CONTEXT_TTL`].

use orgwarden_ids::{DirectoryId, TenantId};
use std::sync::Arc;
use std::time::Duration;

use moka::sync::Cache;
use orgwarden_store::access::control::{self, AccessControl};
use orgwarden_store::access::tokens::{self, ApiToken};
use orgwarden_store::{mirror, org_connections, Cipher, Database};

use super::identity::{OrgKey, RolesCache};
use crate::error::ApiError;

/// How long a tenant's key and access control, and a token's row, stay cached.
pub const CONTEXT_TTL: Duration = Duration::from_secs(5);
const MAX_ENTRIES: u64 = 100_000;

/// A tenant's saved key (if any) and access control.
pub struct TenantAccess {
    /// The organization its key reaches; `None` before a key is saved.
    pub org: Option<OrgKey>,
    /// Who besides org admins may use the app.
    pub control: AccessControl,
}

/// The access caches of one process.
pub struct AccessCache {
    tenants: Cache<TenantId, Arc<TenantAccess>>,
    tokens: Cache<String, Option<Arc<ApiToken>>>,
    used: Cache<i64, ()>,
    /// Callers' organization roles.
    pub roles: RolesCache,
}

impl AccessCache {
    /// Caches that trust callers' roles for `roles_ttl`.
    pub fn new(roles_ttl: Duration) -> Self {
        Self {
            tenants: short_lived(),
            tokens: short_lived(),
            used: Cache::builder()
                .max_capacity(MAX_ENTRIES)
                .time_to_live(Duration::from_secs(60))
                .build(),
            roles: RolesCache::new(roles_ttl),
        }
    }
}

fn short_lived<K, V>() -> Cache<K, V>
where
    K: std::hash::Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    Cache::builder()
        .max_capacity(MAX_ENTRIES)
        .time_to_live(CONTEXT_TTL)
        .build()
}

impl AccessCache {
    /// The tenant's key and access control.
    pub async fn tenant(
        &self,
        db: &Database,
        cipher: &Cipher,
        tenant_id: &TenantId,
    ) -> Result<Arc<TenantAccess>, ApiError> {
        if let Some(hit) = self.tenants.get(tenant_id) {
            return Ok(hit);
        }
        let (tenant, cipher) = (tenant_id.to_owned(), cipher.clone());
        let loaded = crate::db::run(db, move |conn| {
            let control = control::get(conn, &tenant)?;
            let Some(saved) = org_connections::find(conn, &tenant)? else {
                return Ok(TenantAccess { org: None, control });
            };
            let directory_id = mirror::current(conn, &tenant)?
                .filter(|m| m.org_id == saved.org_id)
                .map_or_else(DirectoryId::all, |m| m.directory_id);
            Ok(TenantAccess {
                org: Some(OrgKey {
                    key: saved.api_key(&cipher)?,
                    org_id: saved.org_id,
                    directory_id,
                }),
                control,
            })
        })
        .await?;
        let loaded = Arc::new(loaded);
        self.tenants.insert(tenant_id.clone(), loaded.clone());
        Ok(loaded)
    }

    /// Forgets a tenant's key and access control after a change.
    pub fn invalidate_tenant(&self, tenant_id: &TenantId) {
        self.tenants.invalidate(tenant_id);
    }

    /// The token whose secret hashes to `token_hash`, if any.
    pub async fn token(
        &self,
        db: &Database,
        token_hash: &str,
    ) -> Result<Option<Arc<ApiToken>>, ApiError> {
        if let Some(hit) = self.tokens.get(token_hash) {
            return Ok(hit);
        }
        let hash = token_hash.to_owned();
        let found = crate::db::run(db, move |conn| tokens::find_by_hash(conn, &hash))
            .await?
            .map(Arc::new);
        self.tokens.insert(token_hash.to_owned(), found.clone());
        Ok(found)
    }

    /// True the first time token `id` is seen in a minute (its use is then recorded).
    pub fn first_use_this_minute(&self, id: i64) -> bool {
        let first = !self.used.contains_key(&id);
        if first {
            self.used.insert(id, ());
        }
        first
    }

    /// Forgets every cached token (after a revocation; tokens are few).
    pub fn invalidate_tokens(&self) {
        self.tokens.invalidate_all();
    }
}

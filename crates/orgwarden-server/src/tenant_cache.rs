//! Short-lived in-memory caches in front of the database and Jira, so that checking a token
//! costs a hash lookup. Lifecycle handlers invalidate this instance's entries at once; other
//! instances (scale-out) see a change within [`TENANT_TTL`].

use orgwarden_ids::{AccountId, TenantId};
use std::sync::Arc;
use std::time::Duration;

use moka::sync::Cache;
use orgwarden_store::tenants::TenantState;

/// How long a tenant stays cached.
pub const TENANT_TTL: Duration = Duration::from_secs(5);
/// How long a Jira permission answer stays cached.
pub const PERMISSION_TTL: Duration = Duration::from_secs(60);
/// Entries each cache holds at most; beyond it the least useful are evicted, one at a time.
const MAX_ENTRIES: u64 = 10_000;

/// A tenant as token checks need it, with its secret decrypted.
pub struct CachedTenant {
    /// Tenant id.
    pub client_key: TenantId,
    /// Product base URL.
    pub base_url: String,
    /// HS256 secret in clear.
    pub shared_secret: String,
    /// Lifecycle state.
    pub state: TenantState,
}

/// Tenants by `clientKey`.
pub struct TenantCache(Cache<TenantId, Arc<CachedTenant>>);

impl Default for TenantCache {
    fn default() -> Self {
        Self(
            Cache::builder()
                .max_capacity(MAX_ENTRIES)
                .time_to_live(TENANT_TTL)
                .build(),
        )
    }
}

impl TenantCache {
    /// A cached tenant, if fresh.
    pub fn get(&self, client_key: &TenantId) -> Option<Arc<CachedTenant>> {
        self.0.get(client_key)
    }

    /// Caches a tenant.
    pub fn insert(&self, tenant: Arc<CachedTenant>) {
        self.0.insert(tenant.client_key.clone(), tenant);
    }

    /// Forgets a tenant after a lifecycle change.
    pub fn invalidate(&self, client_key: &TenantId) {
        self.0.invalidate(client_key);
    }
}

/// Whether an account administers a tenant's Jira, by (clientKey, accountId).
pub struct PermissionCache(Cache<(TenantId, AccountId), bool>);

impl Default for PermissionCache {
    fn default() -> Self {
        Self(
            Cache::builder()
                .max_capacity(MAX_ENTRIES)
                .time_to_live(PERMISSION_TTL)
                .support_invalidation_closures()
                .build(),
        )
    }
}

impl PermissionCache {
    /// A cached answer, if fresh.
    pub fn get(&self, client_key: &TenantId, account_id: &AccountId) -> Option<bool> {
        self.0.get(&(client_key.clone(), account_id.clone()))
    }

    /// Caches an answer.
    pub fn insert(&self, client_key: &TenantId, account_id: &AccountId, is_admin: bool) {
        self.0
            .insert((client_key.clone(), account_id.clone()), is_admin);
    }

    /// Forgets every answer of a tenant.
    pub fn invalidate_tenant(&self, client_key: &TenantId) {
        let tenant = client_key.to_owned();
        if let Err(error) = self
            .0
            .invalidate_entries_if(move |(key, _), _| *key == tenant)
        {
            // Only when built without invalidation closures; entries then expire on their own.
            tracing::warn!(%error, "permission answers not invalidated");
        }
    }
}

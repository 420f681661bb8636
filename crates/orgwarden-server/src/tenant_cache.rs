//! Short-lived in-memory caches in front of the database and Jira, so that checking a token
//! costs a hash lookup. Lifecycle handlers invalidate this instance's entries at once; other
//! instances (scale-out) see a change within [`TENANT_TTL`].

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use orgwarden_store::tenants::TenantState;
use parking_lot::RwLock;

/// How long a tenant stays cached.
pub const TENANT_TTL: Duration = Duration::from_secs(5);
/// How long a Jira permission answer stays cached.
pub const PERMISSION_TTL: Duration = Duration::from_secs(60);
const MAX_ENTRIES: usize = 10_000;

/// A tenant as token checks need it, with its secret decrypted.
pub struct CachedTenant {
    /// Tenant id.
    pub client_key: String,
    /// Product base URL.
    pub base_url: String,
    /// HS256 secret in clear.
    pub shared_secret: String,
    /// Lifecycle state.
    pub state: TenantState,
}

struct Expiring<T> {
    value: T,
    until: Instant,
}

struct TtlMap<K, V> {
    entries: RwLock<HashMap<K, Expiring<V>>>,
    ttl: Duration,
}

impl<K: std::hash::Hash + Eq, V: Clone> TtlMap<K, V> {
    fn new(ttl: Duration) -> Self {
        Self {
            entries: RwLock::new(HashMap::new()),
            ttl,
        }
    }

    fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        let entries = self.entries.read();
        entries
            .get(key)
            .filter(|e| e.until > Instant::now())
            .map(|e| e.value.clone())
    }

    fn insert(&self, key: K, value: V) {
        let mut entries = self.entries.write();
        if entries.len() >= MAX_ENTRIES {
            let now = Instant::now();
            entries.retain(|_, e| e.until > now);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(
            key,
            Expiring {
                value,
                until: Instant::now() + self.ttl,
            },
        );
    }
}

/// Tenants by `clientKey`.
pub struct TenantCache(TtlMap<String, Arc<CachedTenant>>);

impl Default for TenantCache {
    fn default() -> Self {
        Self(TtlMap::new(TENANT_TTL))
    }
}

impl TenantCache {
    /// A cached tenant, if fresh.
    pub fn get(&self, client_key: &str) -> Option<Arc<CachedTenant>> {
        self.0.get(client_key)
    }

    /// Caches a tenant.
    pub fn insert(&self, tenant: Arc<CachedTenant>) {
        self.0.insert(tenant.client_key.clone(), tenant);
    }

    /// Forgets a tenant after a lifecycle change.
    pub fn invalidate(&self, client_key: &str) {
        self.0.entries.write().remove(client_key);
    }
}

/// Whether an account administers a tenant's Jira, by (clientKey, accountId).
pub struct PermissionCache(TtlMap<(String, String), bool>);

impl Default for PermissionCache {
    fn default() -> Self {
        Self(TtlMap::new(PERMISSION_TTL))
    }
}

impl PermissionCache {
    /// A cached answer, if fresh.
    pub fn get(&self, client_key: &str, account_id: &str) -> Option<bool> {
        self.0.get(&(client_key.to_owned(), account_id.to_owned()))
    }

    /// Caches an answer.
    pub fn insert(&self, client_key: &str, account_id: &str, is_admin: bool) {
        self.0
            .insert((client_key.to_owned(), account_id.to_owned()), is_admin);
    }

    /// Forgets every answer of a tenant.
    pub fn invalidate_tenant(&self, client_key: &str) {
        self.0
            .entries
            .write()
            .retain(|(tenant, _), _| tenant != client_key);
    }
}

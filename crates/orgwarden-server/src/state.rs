//! What every handler shares: configuration, the database, the cipher and the caches.

use std::sync::Arc;

use orgwarden_connect::InstallKeys;
use orgwarden_store::{Cipher, Database};

use crate::config::Config;
use crate::metrics::Metrics;
use crate::tenant_cache::{PermissionCache, TenantCache};

/// Shared application state (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    /// Configuration.
    pub config: Arc<Config>,
    /// The database pool.
    pub db: Database,
    /// Encrypts secrets at rest.
    pub cipher: Cipher,
    /// The rendered descriptor.
    pub descriptor: Arc<serde_json::Value>,
    /// Where signed-install keys come from.
    pub install_keys: Arc<dyn InstallKeys>,
    /// Verified tenants by `clientKey`.
    pub tenants: Arc<TenantCache>,
    /// Keys, access control, tokens and callers' roles, briefly.
    pub access: Arc<crate::access::AccessCache>,
    /// Jira admin checks by tenant and account (the bootstrap before a key is saved).
    pub permissions: Arc<PermissionCache>,
    /// Outgoing HTTP.
    pub http: reqwest::Client,
    /// Prometheus metrics.
    pub metrics: Arc<Metrics>,
    /// The path part of the base URL (`""` or `/prefix`), parsed once.
    pub base_path: Arc<str>,
    /// The background runtime: job queue and workers.
    pub jobs: crate::background::Jobs,
    /// Content-Security-Policy, HSTS and the `all.js` URL the pages name.
    pub security: Arc<crate::security_headers::SecurityHeaders>,
    /// Links audit entries that changes carried in their own statements (PostgreSQL).
    pub audit_links: Arc<crate::audit_log::Linker>,
    /// Exports streaming now, by tenant (each holds a database connection).
    pub exports: Arc<crate::export_slots::ExportSlots>,
    /// On SQLite, the lock that keeps a second process off the database file.
    pub single_process: Option<Arc<crate::sqlite_lock::SqliteLock>>,
}

impl AppState {
    /// The path part of our base URL, stripped before hashing requests.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }
}

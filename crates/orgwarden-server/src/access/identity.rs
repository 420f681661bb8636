//! An account's organization roles, read from the Admin API with the tenant's key: U3 with the
//! `platformRoles` expand, then (for anyone but an org admin) U8's role assignments. Answers
//! are cached per account for a minute; when the Admin API cannot be reached, the published
//! mirror answers instead (for ten seconds), and the log says which source was used. When it
//! answers otherwise (the key revoked or expired), the mirror answers as
//! [`RolesSource::KeyRejected`], uncached: only the key may then be replaced.

use orgwarden_ids::{AccountId, DirectoryId, OrgId, TenantId};
use std::sync::Arc;
use std::time::Duration;

use moka::sync::Cache;
use orgwarden_atlassian::{AdminClient, AdminClientConfig, AdminError, ApiKey};
use orgwarden_store::{users, Database};

use super::decide::{OrgRoles, RolesSource};
use crate::error::ApiError;

/// How long a mirror answer (the API was unreachable) is trusted at most.
const FALLBACK_TTL: Duration = Duration::from_secs(10);
const MAX_ENTRIES: u64 = 100_000;

/// The organization a tenant's key reaches.
#[derive(Clone)]
pub struct OrgKey {
    /// Organization id.
    pub org_id: OrgId,
    /// Directory used for directory-scoped calls (`-` before the first sync).
    pub directory_id: DirectoryId,
    /// The Organization API key in clear.
    pub key: String,
}

type Key = (TenantId, OrgId, AccountId);

/// Roles by (tenant, organization, account); `None` when caching is off.
pub struct RolesCache {
    fresh: Option<Cache<Key, Arc<OrgRoles>>>,
    fallback: Option<Cache<Key, Arc<OrgRoles>>>,
}

fn cache(ttl: Duration) -> Option<Cache<Key, Arc<OrgRoles>>> {
    (!ttl.is_zero()).then(|| {
        Cache::builder()
            .max_capacity(MAX_ENTRIES)
            .time_to_live(ttl)
            .build()
    })
}

impl RolesCache {
    /// A cache that trusts Admin API answers for `ttl` (zero: no caching).
    pub fn new(ttl: Duration) -> Self {
        Self {
            fresh: cache(ttl),
            fallback: cache(ttl.min(FALLBACK_TTL)),
        }
    }
}

/// Everything a roles lookup needs.
pub struct Lookup<'a> {
    /// Outgoing HTTP.
    pub http: &'a reqwest::Client,
    /// The Admin API's base URL.
    pub admin_api_url: &'a str,
    /// The database (for the mirror fallback).
    pub db: &'a Database,
    /// The tenant.
    pub tenant_id: &'a TenantId,
    /// Its organization.
    pub org: &'a OrgKey,
}

impl RolesCache {
    /// The account's roles: cached, else from the Admin API, else from the mirror.
    pub async fn roles(
        &self,
        lookup: &Lookup<'_>,
        account_id: &AccountId,
    ) -> Result<Arc<OrgRoles>, ApiError> {
        let key = (
            lookup.tenant_id.to_owned(),
            lookup.org.org_id.clone(),
            account_id.to_owned(),
        );
        let cached = |c: &Option<Cache<Key, Arc<OrgRoles>>>| c.as_ref()?.get(&key);
        if let Some(hit) = cached(&self.fresh).or_else(|| cached(&self.fallback)) {
            return Ok(hit);
        }
        match from_admin_api(lookup, account_id).await {
            Ok(roles) => {
                tracing::debug!(source = "admin_api", "caller roles resolved");
                let roles = Arc::new(roles);
                if let Some(c) = &self.fresh {
                    c.insert(key, roles.clone());
                }
                Ok(roles)
            }
            Err(e) if is_transient(&e) => {
                tracing::warn!(error = %e, source = "mirror",
                    "the Admin API could not tell the caller's roles; the mirror answers instead");
                let roles = Arc::new(from_mirror(lookup, account_id, RolesSource::Mirror).await?);
                if let Some(c) = &self.fallback {
                    c.insert(key, roles.clone());
                }
                Ok(roles)
            }
            Err(e) => {
                tracing::warn!(error = %e, source = "mirror",
                    "the Admin API refused to tell the caller's roles with the saved key; only the key may be replaced");
                let roles = from_mirror(lookup, account_id, RolesSource::KeyRejected).await?;
                Ok(Arc::new(roles))
            }
        }
    }
}

async fn from_admin_api(
    lookup: &Lookup<'_>,
    account_id: &AccountId,
) -> Result<OrgRoles, AdminError> {
    let client = AdminClient::new(
        lookup.http.clone(),
        AdminClientConfig {
            base_url: lookup.admin_api_url.to_owned(),
            max_retries: 1,
            ..AdminClientConfig::default()
        },
        ApiKey::new(lookup.org.key.clone()),
    );
    let (org, dir) = (&lookup.org.org_id, &lookup.org.directory_id);
    Ok(OrgRoles {
        roles: orgwarden_jobs::roles::admin_roles(&client, org, dir, account_id).await?,
        source: RolesSource::AdminApi,
    })
}

/// Whether `error` says the Admin API could not answer now (rather than that it refuses).
fn is_transient(error: &AdminError) -> bool {
    matches!(
        error,
        AdminError::Unreachable(_) | AdminError::Server { .. } | AdminError::RateLimited { .. }
    )
}

async fn from_mirror(
    lookup: &Lookup<'_>,
    account_id: &AccountId,
    source: RolesSource,
) -> Result<OrgRoles, ApiError> {
    let (db, tenant, account) = (
        lookup.db.clone(),
        lookup.tenant_id.to_owned(),
        account_id.to_owned(),
    );
    let known =
        crate::db::run(&db, move |conn| users::admin_roles(conn, &tenant, &account)).await?;
    let roles = orgwarden_jobs::roles::AdminRoles {
        org_admin: known.org_admin,
        product_admin: known.administered,
        user_access_admin: known.user_access_admin,
        user_access: Vec::new(),
    };
    Ok(OrgRoles { roles, source })
}

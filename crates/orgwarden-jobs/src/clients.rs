//! One Admin API client per tenant in this process, shared by all of the tenant's jobs, so they
//! draw from one token bucket (the background lane included). Across processes the tenant lease
//! (see [`crate::tenant_lease`]) lets one process at a time use it.

use orgwarden_ids::TenantId;
use std::collections::HashMap;
use std::sync::Arc;

use orgwarden_atlassian::{AdminClient, AdminClientConfig, ApiKey};
use parking_lot::Mutex;
use sha2::{Digest, Sha256};

/// A tenant's client and the digest of the key it uses.
type KeyedClient = ([u8; 32], AdminClient);

/// The clients of this process, by tenant; cheap to clone (clones share the clients).
#[derive(Clone, Default)]
pub struct AdminClients {
    clients: Arc<Mutex<HashMap<TenantId, KeyedClient>>>,
}

impl AdminClients {
    /// The tenant's client; a new one when the tenant has none yet or its key changed.
    pub fn get(
        &self,
        http: &reqwest::Client,
        config: AdminClientConfig,
        tenant_id: &TenantId,
        key: String,
    ) -> AdminClient {
        let key = ApiKey::new(key);
        let digest: [u8; 32] = Sha256::digest(key.expose().as_bytes()).into();
        let mut clients = self.clients.lock();
        match clients.get(tenant_id) {
            Some((used, client)) if *used == digest => client.clone(),
            _ => {
                let client = AdminClient::new(http.clone(), config, key);
                clients.insert(tenant_id.clone(), (digest, client.clone()));
                client
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_of_a_tenant_share_its_client_until_its_key_changes() {
        let (clients, http) = (AdminClients::default(), reqwest::Client::new());
        let config = AdminClientConfig::new("http://127.0.0.1:9");
        let get = |tenant: &str, key: &str| {
            clients.get(&http, config.clone(), &TenantId::from(tenant), key.into())
        };
        let first = get("a", "key-1");
        assert!(first.shares_bucket_with(&get("a", "key-1")));
        assert!(!first.shares_bucket_with(&get("b", "key-1")));
        assert!(!first.shares_bucket_with(&get("a", "key-2")));
    }
}

//! The Organization API key of a tenant: stored encrypted, returned only masked.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use orgwarden_ids::{OrgId, TenantId};

use crate::connection::with_backend;
use crate::schema::org_connections;
use crate::{Cipher, DbConnection, SecretSlot, StoreError};

/// Where a tenant's Organization API key is stored: its ciphertext is valid in that row only.
pub(crate) fn api_key_slot(tenant_id: &TenantId) -> SecretSlot<'_> {
    SecretSlot {
        column: "org_connections.api_key",
        tenant_id,
    }
}

/// The organization a tenant is connected to. The key stays encrypted until
/// [`OrgConnection::api_key`] is called.
#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = org_connections)]
pub struct OrgConnection {
    /// Tenant id.
    pub tenant_id: TenantId,
    /// Atlassian organization id.
    pub org_id: OrgId,
    /// Organization name.
    pub org_name: String,
    api_key_enc: String,
    /// Last characters of the key, for the masked view.
    pub key_hint: String,
    /// Expiry date the admin entered, `YYYY-MM-DD`.
    pub expires_on: String,
    /// Account id of the admin who saved it.
    pub updated_by: String,
    /// First saved.
    pub created_at: NaiveDateTime,
    /// Last replaced.
    pub updated_at: NaiveDateTime,
}

impl std::fmt::Debug for OrgConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OrgConnection")
            .field("tenant_id", &self.tenant_id)
            .field("org_id", &self.org_id)
            .field("api_key", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl OrgConnection {
    /// The API key in clear, for calling the Admin API.
    pub fn api_key(&self, cipher: &Cipher) -> Result<String, StoreError> {
        Ok(cipher.decrypt(&self.api_key_enc, api_key_slot(&self.tenant_id))?)
    }

    /// The key as the UI shows it: a fixed mask and the last four characters.
    pub fn masked_key(&self) -> String {
        format!("••••••••{}", self.key_hint)
    }
}

/// What saving a key records.
pub struct NewOrgConnection<'a> {
    /// Tenant id.
    pub tenant_id: &'a TenantId,
    /// Organization id.
    pub org_id: &'a OrgId,
    /// Organization name.
    pub org_name: &'a str,
    /// The key in clear (encrypted here).
    pub api_key: &'a str,
    /// `YYYY-MM-DD`.
    pub expires_on: &'a str,
    /// Who saved it.
    pub updated_by: &'a str,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = org_connections)]
struct Row<'a> {
    tenant_id: &'a str,
    org_id: &'a str,
    org_name: &'a str,
    api_key_enc: &'a str,
    key_hint: &'a str,
    expires_on: &'a str,
    updated_by: &'a str,
    updated_at: NaiveDateTime,
}

/// Saves or replaces a tenant's key.
pub fn save(
    conn: &mut DbConnection,
    cipher: &Cipher,
    new: &NewOrgConnection<'_>,
    now: NaiveDateTime,
) -> Result<OrgConnection, StoreError> {
    let encrypted = cipher.encrypt(new.api_key, api_key_slot(new.tenant_id))?;
    let hint: String = {
        let chars: Vec<char> = new.api_key.chars().collect();
        chars[chars.len().saturating_sub(4)..].iter().collect()
    };
    let row = Row {
        tenant_id: new.tenant_id,
        org_id: new.org_id,
        org_name: new.org_name,
        api_key_enc: &encrypted,
        key_hint: &hint,
        expires_on: new.expires_on,
        updated_by: new.updated_by,
        updated_at: now,
    };
    with_backend!(&mut *conn, |c| diesel::insert_into(org_connections::table)
        .values((&row, org_connections::created_at.eq(now)))
        .on_conflict(org_connections::tenant_id)
        .do_update()
        .set(&row)
        .execute(c))?;
    find(conn, new.tenant_id)?.ok_or(StoreError::Query(diesel::result::Error::NotFound))
}

/// The tenant's connection, if a key is saved.
pub fn find(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
) -> Result<Option<OrgConnection>, StoreError> {
    Ok(org_connections::table
        .find(tenant_id)
        .select(OrgConnection::as_select())
        .first(conn)
        .optional()?)
}

/// The tenants that have a saved key, in client-key order.
pub fn tenant_ids(conn: &mut DbConnection) -> Result<Vec<TenantId>, StoreError> {
    Ok(org_connections::table
        .order(org_connections::tenant_id)
        .select(org_connections::tenant_id)
        .load(conn)?)
}

/// Removes the tenant's key. Returns whether one was saved.
pub fn delete(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<bool, StoreError> {
    Ok(diesel::delete(org_connections::table.find(tenant_id)).execute(conn)? > 0)
}

/// Deletes the tenant's rows (purge).
pub(crate) fn purge(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<(), StoreError> {
    delete(conn, tenant_id).map(drop)
}

//! Re-encrypts secrets stored in an older form (`v1:`, bound to no row) into the current one
//! (`v2:`, bound to its column and tenant). Runs at start, after the diesel migrations, because
//! it needs the master key. Idempotent, and safe when several instances start together: a row is
//! rewritten only while it still holds the value that was read.

use diesel::prelude::*;
use orgwarden_ids::TenantId;

use crate::org_connections::api_key_slot;
use crate::schema::{org_connections, tenants};
use crate::tenants::shared_secret_slot;
use crate::{Cipher, Database, SecretSlot, StoreError};

/// Upgrades every encrypted column of every row to the current stored form. Returns how many
/// values were rewritten. A value that does not decrypt (wrong master key, corrupt row) is left
/// as it is and logged: it fails where it is used, as it would have without the upgrade.
pub fn upgrade_secrets(db: &Database, cipher: &Cipher) -> Result<usize, StoreError> {
    let mut conn = db.get()?;
    let conn = &mut *conn;
    let mut upgraded = 0;

    let shared_secrets: Vec<(TenantId, String)> = tenants::table
        .filter(tenants::shared_secret_enc.like("v1:%"))
        .select((tenants::client_key, tenants::shared_secret_enc))
        .load(conn)?;
    for (client_key, old) in shared_secrets {
        let Some(new) = reencrypt(cipher, &old, shared_secret_slot(&client_key))? else {
            continue;
        };
        upgraded += diesel::update(tenants::table)
            .filter(tenants::client_key.eq(&client_key))
            .filter(tenants::shared_secret_enc.eq(&old))
            .set(tenants::shared_secret_enc.eq(&new))
            .execute(conn)?;
    }

    let api_keys: Vec<(TenantId, String)> = org_connections::table
        .filter(org_connections::api_key_enc.like("v1:%"))
        .select((org_connections::tenant_id, org_connections::api_key_enc))
        .load(conn)?;
    for (tenant_id, old) in api_keys {
        let Some(new) = reencrypt(cipher, &old, api_key_slot(&tenant_id))? else {
            continue;
        };
        upgraded += diesel::update(org_connections::table)
            .filter(org_connections::tenant_id.eq(&tenant_id))
            .filter(org_connections::api_key_enc.eq(&old))
            .set(org_connections::api_key_enc.eq(&new))
            .execute(conn)?;
    }
    if upgraded > 0 {
        tracing::info!(upgraded, "secrets re-encrypted to the v2 form");
    }
    Ok(upgraded)
}

/// Checks that `cipher` opens the secrets the database holds: one tenant's shared secret (the
/// most recently installed) must decrypt. A process started with another master key would
/// answer every tenant with errors, and write the secrets of the tenants that install again
/// under its own key, which the other processes cannot read. `Ok` on an empty database.
pub fn check_master_key(db: &Database, cipher: &Cipher) -> Result<(), StoreError> {
    let mut conn = db.get()?;
    let newest: Option<(TenantId, String)> = tenants::table
        .order(tenants::updated_at.desc())
        .select((tenants::client_key, tenants::shared_secret_enc))
        .first(&mut *conn)
        .optional()?;
    if let Some((client_key, stored)) = newest {
        cipher.decrypt(&stored, shared_secret_slot(&client_key))?;
    }
    Ok(())
}

/// The current stored form of `old`, or `None` when it is current already or undecryptable.
fn reencrypt(
    cipher: &Cipher,
    old: &str,
    slot: SecretSlot<'_>,
) -> Result<Option<String>, StoreError> {
    if !Cipher::is_outdated(old) {
        return Ok(None);
    }
    match cipher.decrypt(old, slot) {
        Ok(plain) => Ok(Some(cipher.encrypt(&plain, slot)?)),
        Err(error) => {
            tracing::warn!(
                column = slot.column,
                tenant = %slot.tenant_id,
                %error,
                "a v1 secret could not be decrypted; left as it is"
            );
            Ok(None)
        }
    }
}

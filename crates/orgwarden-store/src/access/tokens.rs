//! API tokens for REST clients: `owt_` and 43 random URL-safe characters, shown once when
//! created and stored only as their SHA-256. The prefix (`owt_` and the first six characters)
//! lets people tell tokens apart and secret scanners find leaked ones.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use orgwarden_ids::TenantId;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::connection::with_backend;
use crate::schema::api_tokens;
use crate::{DbConnection, StoreError};

/// What every token starts with.
pub const TOKEN_PREFIX: &str = "owt_";
/// Most tokens a tenant may hold (revoked ones excluded).
pub const MAX_TOKENS: i64 = 100;

/// A token's row (never its secret).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    /// Token id.
    pub id: i64,
    /// Tenant id.
    pub tenant_id: TenantId,
    /// The name its creator gave it.
    pub name: String,
    /// `owt_` and the first six characters of the secret part.
    pub prefix: String,
    /// `read` or `read,write`.
    pub scopes: String,
    /// The account that created it (and whose rights it uses).
    pub created_by: String,
    /// Their name when they created it.
    pub created_by_name: String,
    /// When it was created.
    pub created_at: NaiveDateTime,
    /// When it stops working, if ever.
    pub expires_at: Option<NaiveDateTime>,
    /// When it was last used (recorded at most once a minute).
    pub last_used_at: Option<NaiveDateTime>,
    /// When it was revoked.
    pub revoked_at: Option<NaiveDateTime>,
}

impl ApiToken {
    /// True when the token may call mutating routes.
    pub fn can_write(&self) -> bool {
        self.scopes.split(',').any(|s| s == "write")
    }

    /// True while the token is neither revoked nor expired at `now`.
    pub fn is_live(&self, now: NaiveDateTime) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }
}

/// A token to create.
pub struct NewToken<'a> {
    /// Tenant id.
    pub tenant_id: &'a TenantId,
    /// Its name.
    pub name: &'a str,
    /// May it write.
    pub write: bool,
    /// Creator's account id.
    pub created_by: &'a str,
    /// Creator's name.
    pub created_by_name: &'a str,
    /// Expiry.
    pub expires_at: Option<NaiveDateTime>,
}

/// The SHA-256 (hex) a token is stored and looked up as.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Creates a token; returns its row and the secret, which is not kept anywhere.
pub fn create(
    conn: &mut DbConnection,
    new: &NewToken<'_>,
    now: NaiveDateTime,
) -> Result<(ApiToken, String), StoreError> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let prefix: String = secret.chars().take(TOKEN_PREFIX.len() + 6).collect();
    let row = (
        api_tokens::tenant_id.eq(new.tenant_id),
        api_tokens::name.eq(new.name),
        api_tokens::prefix.eq(&prefix),
        api_tokens::token_hash.eq(hash(&secret)),
        api_tokens::scopes.eq(if new.write { "read,write" } else { "read" }),
        api_tokens::created_by.eq(new.created_by),
        api_tokens::created_by_name.eq(new.created_by_name),
        api_tokens::created_at.eq(now),
        api_tokens::expires_at.eq(new.expires_at),
    );
    let id: i64 = with_backend!(&mut *conn, |c| diesel::insert_into(api_tokens::table)
        .values(row)
        .returning(api_tokens::id)
        .get_result(c))?;
    let token = api_tokens::table
        .find(id)
        .select(ApiToken::as_select())
        .first(conn)?;
    Ok((token, secret))
}

/// How many live (unrevoked) tokens the tenant holds.
pub fn count_unrevoked(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<i64, StoreError> {
    Ok(api_tokens::table
        .filter(api_tokens::tenant_id.eq(tenant_id))
        .filter(api_tokens::revoked_at.is_null())
        .count()
        .get_result(conn)?)
}

/// The tenant's unrevoked tokens, newest first.
pub fn list(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<Vec<ApiToken>, StoreError> {
    Ok(api_tokens::table
        .filter(api_tokens::tenant_id.eq(tenant_id))
        .filter(api_tokens::revoked_at.is_null())
        .order(api_tokens::id.desc())
        .select(ApiToken::as_select())
        .load(conn)?)
}

/// The token whose secret hashes to `token_hash`, whatever its state.
pub fn find_by_hash(
    conn: &mut DbConnection,
    token_hash: &str,
) -> Result<Option<ApiToken>, StoreError> {
    Ok(api_tokens::table
        .filter(api_tokens::token_hash.eq(token_hash))
        .select(ApiToken::as_select())
        .first(conn)
        .optional()?)
}

/// Revokes the tenant's token `id`; returns whether an unrevoked token was revoked.
pub fn revoke(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    id: i64,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let changed = diesel::update(
        api_tokens::table
            .filter(api_tokens::tenant_id.eq(tenant_id))
            .filter(api_tokens::id.eq(id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(conn)?;
    Ok(changed > 0)
}

/// Records a use of token `id` at `now`.
pub fn touch(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(api_tokens::table.find(id))
        .set(api_tokens::last_used_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Deletes the tenant's tokens (purge).
pub(crate) fn purge(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<(), StoreError> {
    diesel::delete(api_tokens::table.filter(api_tokens::tenant_id.eq(tenant_id))).execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_hex_sha256() {
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}

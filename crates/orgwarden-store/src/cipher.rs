//! Secrets at rest: AES-256-GCM with a random 96-bit nonce per value.
//!
//! Stored forms: `v2:` + base64(nonce ‖ ciphertext ‖ tag), sealed with associated data that names
//! the column and the tenant ([`SecretSlot`]), so a value copied into another row or column does
//! not decrypt; `v1:` is the earlier form without associated data, still read and upgraded to
//! `v2:` at start ([`crate::upgrade_secrets`]).

use aes_gcm::aead::{Aead, KeyInit, OsRng, Payload};
use aes_gcm::{AeadCore, Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use thiserror::Error;

use crate::audit::SealKey;

const V1: &str = "v1:";
const V2: &str = "v2:";
const NONCE_LEN: usize = 12;

/// Why a master key or a stored secret was refused.
#[derive(Debug, Error)]
pub enum CipherError {
    /// The master key is not base64 of exactly 32 bytes.
    #[error("ORGWARDEN_MASTER_KEY must be base64 of 32 random bytes (make one with `openssl rand -base64 32`)")]
    BadMasterKey,
    /// The stored value was not produced by this cipher for this slot, or was tampered with.
    #[error(
        "a stored secret could not be decrypted (wrong master key, or a corrupt or moved value)"
    )]
    Undecryptable,
    /// Encryption failed (practically impossible with AES-GCM).
    #[error("a secret could not be encrypted")]
    Encrypt,
}

/// Where a secret lives: its column and its tenant. Sealed into the ciphertext as associated
/// data (`"tenants.shared_secret|<clientKey>"`), it makes a value valid in that one place only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecretSlot<'a> {
    /// `table.column` of the secret.
    pub column: &'static str,
    /// The tenant's `clientKey`.
    pub tenant_id: &'a str,
}

impl SecretSlot<'_> {
    fn associated_data(&self) -> String {
        format!("{}|{}", self.column, self.tenant_id)
    }
}

/// Encrypts and decrypts secrets under the master key, and holds the key audit seals are made
/// with (derived from it).
#[derive(Clone)]
pub struct Cipher {
    aead: Aes256Gcm,
    seal_key: SealKey,
}

impl std::fmt::Debug for Cipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cipher([redacted])")
    }
}

impl Cipher {
    /// Builds a cipher from the base64 master key of the configuration.
    pub fn from_base64(master_key: &str) -> Result<Self, CipherError> {
        let bytes = STANDARD
            .decode(master_key.trim())
            .map_err(|_| CipherError::BadMasterKey)?;
        if bytes.len() != 32 {
            return Err(CipherError::BadMasterKey);
        }
        let key = Key::<Aes256Gcm>::from_slice(&bytes);
        Ok(Self {
            aead: Aes256Gcm::new(key),
            seal_key: SealKey::derive(&bytes).ok_or(CipherError::BadMasterKey)?,
        })
    }

    /// The key audit seals are made and checked with.
    pub fn audit_seal_key(&self) -> &SealKey {
        &self.seal_key
    }

    /// Makes a fresh random master key, base64-encoded (used by `orgwarden demo`).
    pub fn generate_master_key() -> String {
        STANDARD.encode(Aes256Gcm::generate_key(OsRng))
    }

    /// Encrypts `plain` into its stored form (`v2:`), bound to `slot`.
    pub fn encrypt(&self, plain: &str, slot: SecretSlot<'_>) -> Result<String, CipherError> {
        let aad = slot.associated_data();
        self.seal(V2, plain, aad.as_bytes())
    }

    /// Decrypts a stored value of `slot`: a `v2:` value sealed for exactly this slot, or a legacy
    /// `v1:` value (not bound to any slot).
    pub fn decrypt(&self, stored: &str, slot: SecretSlot<'_>) -> Result<String, CipherError> {
        if let Some(body) = stored.strip_prefix(V2) {
            let aad = slot.associated_data();
            self.open(body, aad.as_bytes())
        } else if let Some(body) = stored.strip_prefix(V1) {
            self.open(body, b"")
        } else {
            Err(CipherError::Undecryptable)
        }
    }

    /// Whether a stored value is in a form older than the current one (to be re-encrypted).
    pub fn is_outdated(stored: &str) -> bool {
        stored.starts_with(V1)
    }

    /// The legacy `v1:` form, for tests of the upgrade.
    #[cfg(any(test, feature = "testing"))]
    pub(crate) fn encrypt_v1(&self, plain: &str) -> Result<String, CipherError> {
        self.seal(V1, plain, b"")
    }

    fn seal(&self, prefix: &str, plain: &str, aad: &[u8]) -> Result<String, CipherError> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let payload = Payload {
            msg: plain.as_bytes(),
            aad,
        };
        let sealed = self
            .aead
            .encrypt(&nonce, payload)
            .map_err(|_| CipherError::Encrypt)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("{prefix}{}", STANDARD.encode(out)))
    }

    fn open(&self, body: &str, aad: &[u8]) -> Result<String, CipherError> {
        let bytes = STANDARD
            .decode(body)
            .map_err(|_| CipherError::Undecryptable)?;
        if bytes.len() < NONCE_LEN {
            return Err(CipherError::Undecryptable);
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let payload = Payload { msg: sealed, aad };
        let plain = self
            .aead
            .decrypt(Nonce::from_slice(nonce), payload)
            .map_err(|_| CipherError::Undecryptable)?;
        String::from_utf8(plain).map_err(|_| CipherError::Undecryptable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SLOT: SecretSlot<'static> = SecretSlot {
        column: "tenants.shared_secret",
        tenant_id: "client-1",
    };

    fn cipher() -> Cipher {
        Cipher::from_base64(&Cipher::generate_master_key()).unwrap()
    }

    #[test]
    fn round_trip_and_random_nonce() {
        let cipher = cipher();
        let a = cipher.encrypt("s3cret", SLOT).unwrap();
        let b = cipher.encrypt("s3cret", SLOT).unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("v2:"));
        assert!(!a.contains("s3cret"));
        assert_eq!(cipher.decrypt(&a, SLOT).unwrap(), "s3cret");
        assert!(!Cipher::is_outdated(&a));
    }

    #[test]
    fn a_value_decrypts_only_in_its_own_slot() {
        let cipher = cipher();
        let sealed = cipher.encrypt("s3cret", SLOT).unwrap();
        let other_tenant = SecretSlot {
            tenant_id: "client-2",
            ..SLOT
        };
        let other_column = SecretSlot {
            column: "org_connections.api_key",
            ..SLOT
        };
        assert!(cipher.decrypt(&sealed, other_tenant).is_err());
        assert!(cipher.decrypt(&sealed, other_column).is_err());
    }

    #[test]
    fn v1_values_are_still_read_and_reported_outdated() {
        let cipher = cipher();
        let legacy = cipher.encrypt_v1("old").unwrap();
        assert!(legacy.starts_with("v1:"));
        assert!(Cipher::is_outdated(&legacy));
        assert_eq!(cipher.decrypt(&legacy, SLOT).unwrap(), "old");
        // A v1 body relabelled v2 is refused (the associated data differs).
        let relabelled = legacy.replacen("v1:", "v2:", 1);
        assert!(cipher.decrypt(&relabelled, SLOT).is_err());
    }

    #[test]
    fn wrong_key_and_tampering_are_refused() {
        let one = cipher();
        let two = cipher();
        let sealed = one.encrypt("x", SLOT).unwrap();
        assert!(two.decrypt(&sealed, SLOT).is_err());
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push('A');
        assert!(one.decrypt(&tampered, SLOT).is_err());
        assert!(one.decrypt("plain", SLOT).is_err());
    }

    #[test]
    fn bad_master_keys_are_refused() {
        assert!(Cipher::from_base64("short").is_err());
        assert!(Cipher::from_base64(&STANDARD.encode([0u8; 16])).is_err());
    }
}

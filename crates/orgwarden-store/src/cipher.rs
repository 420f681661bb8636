//! Secrets at rest: AES-256-GCM with a random 96-bit nonce per value.

use aes_gcm::aead::{Aead, KeyInit, OsRng};
use aes_gcm::{AeadCore, Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use thiserror::Error;

const PREFIX: &str = "v1:";
const NONCE_LEN: usize = 12;

/// Why a master key or a stored secret was refused.
#[derive(Debug, Error)]
pub enum CipherError {
    /// The master key is not base64 of exactly 32 bytes.
    #[error("ORGWARDEN_MASTER_KEY must be base64 of 32 random bytes (make one with `openssl rand -base64 32`)")]
    BadMasterKey,
    /// The stored value was not produced by this cipher or was tampered with.
    #[error("a stored secret could not be decrypted (wrong master key or corrupt value)")]
    Undecryptable,
    /// Encryption failed (practically impossible with AES-GCM).
    #[error("a secret could not be encrypted")]
    Encrypt,
}

/// Encrypts and decrypts secrets under the master key.
#[derive(Clone)]
pub struct Cipher {
    aead: Aes256Gcm,
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
        })
    }

    /// Makes a fresh random master key, base64-encoded (used by `orgwarden demo`).
    pub fn generate_master_key() -> String {
        STANDARD.encode(Aes256Gcm::generate_key(OsRng))
    }

    /// Encrypts `plain` into its stored form.
    pub fn encrypt(&self, plain: &str) -> Result<String, CipherError> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed = self
            .aead
            .encrypt(&nonce, plain.as_bytes())
            .map_err(|_| CipherError::Encrypt)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", STANDARD.encode(out)))
    }

    /// Decrypts a value produced by [`Cipher::encrypt`].
    pub fn decrypt(&self, stored: &str) -> Result<String, CipherError> {
        let body = stored
            .strip_prefix(PREFIX)
            .ok_or(CipherError::Undecryptable)?;
        let bytes = STANDARD
            .decode(body)
            .map_err(|_| CipherError::Undecryptable)?;
        if bytes.len() < NONCE_LEN {
            return Err(CipherError::Undecryptable);
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let plain = self
            .aead
            .decrypt(Nonce::from_slice(nonce), sealed)
            .map_err(|_| CipherError::Undecryptable)?;
        String::from_utf8(plain).map_err(|_| CipherError::Undecryptable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_random_nonce() {
        let cipher = Cipher::from_base64(&Cipher::generate_master_key()).unwrap();
        let a = cipher.encrypt("s3cret").unwrap();
        let b = cipher.encrypt("s3cret").unwrap();
        assert_ne!(a, b);
        assert!(!a.contains("s3cret"));
        assert_eq!(cipher.decrypt(&a).unwrap(), "s3cret");
    }

    #[test]
    fn wrong_key_and_tampering_are_refused() {
        let one = Cipher::from_base64(&Cipher::generate_master_key()).unwrap();
        let two = Cipher::from_base64(&Cipher::generate_master_key()).unwrap();
        let sealed = one.encrypt("x").unwrap();
        assert!(two.decrypt(&sealed).is_err());
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push('A');
        assert!(one.decrypt(&tampered).is_err());
        assert!(one.decrypt("plain").is_err());
    }

    #[test]
    fn bad_master_keys_are_refused() {
        assert!(Cipher::from_base64("short").is_err());
        assert!(Cipher::from_base64(&STANDARD.encode([0u8; 16])).is_err());
    }
}

//! The RS256 keypair that signs install/uninstall callbacks: generated at every start, or the
//! one `SimConfig::install_key` gives; the install-keys server (`connect::install_keys`)
//! publishes its public half.

use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der, PublicKeyX509Der};
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::config::InstallKey;

/// An RSA keypair with its key id.
#[derive(Clone)]
pub struct InstallSigner {
    /// Key id (`kid` header of install tokens).
    pub kid: String,
    /// Private key, PEM (PKCS#8 when generated, else as given).
    pub private_pem: String,
    /// SPKI public key, PEM.
    pub public_pem: String,
}

impl InstallSigner {
    /// Generates a 2048-bit RSA keypair.
    pub fn generate() -> anyhow::Result<InstallSigner> {
        let pair = KeyPair::generate(KeySize::Rsa2048)
            .map_err(|_| anyhow::anyhow!("RSA key generation failed"))?;
        let private: Pkcs8V1Der<'static> = pair
            .as_der()
            .map_err(|_| anyhow::anyhow!("RSA private key encoding failed"))?;
        Self::from_pair(&pair, None, pem("PRIVATE KEY", private.as_ref()))
    }

    /// The signer of a given key (PKCS#8 or PKCS#1 PEM), under its kid or the derived one.
    pub fn from_key(key: &InstallKey) -> anyhow::Result<InstallSigner> {
        let der = pem_body(&key.private_pem)
            .ok_or_else(|| anyhow::anyhow!("the install key is not a PEM private key"))?;
        let pair = KeyPair::from_pkcs8(&der)
            .or_else(|_| KeyPair::from_der(&der))
            .map_err(|e| anyhow::anyhow!("the install key is not an RSA private key: {e}"))?;
        if let Some(kid) = &key.kid {
            anyhow::ensure!(
                orgwarden_connect::is_valid_kid(kid),
                "install key id {kid:?}: letters, digits, '-' and '_' only (at most 128)"
            );
        }
        Self::from_pair(&pair, key.kid.clone(), key.private_pem.clone())
    }

    fn from_pair(
        pair: &KeyPair,
        kid: Option<String>,
        private_pem: String,
    ) -> anyhow::Result<InstallSigner> {
        let public: PublicKeyX509Der<'static> = pair
            .public_key()
            .as_der()
            .map_err(|_| anyhow::anyhow!("RSA public key encoding failed"))?;
        let public_der = public.as_ref();
        let kid = kid.unwrap_or_else(|| {
            format!(
                "cloudsim-{}",
                &hex::encode(Sha256::digest(public_der))[..16]
            )
        });
        Ok(InstallSigner {
            kid,
            private_pem,
            public_pem: pem("PUBLIC KEY", public_der),
        })
    }
}

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// The DER inside a `PRIVATE KEY` or `RSA PRIVATE KEY` PEM block.
fn pem_body(text: &str) -> Option<Vec<u8>> {
    let start = text.find("PRIVATE KEY-----")? + "PRIVATE KEY-----".len();
    let rest = &text[start..];
    let end = rest.find("-----END")?;
    let b64: String = rest[..end].chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

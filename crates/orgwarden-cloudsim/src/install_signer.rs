//! The RS256 keypair that signs install/uninstall callbacks, generated at every start; the
//! install-keys server (`connect::install_keys`) publishes its public half.

use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der, PublicKeyX509Der};
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::Engine;

/// A freshly generated RSA keypair with its key id.
#[derive(Clone)]
pub struct InstallSigner {
    /// Key id (`kid` header of install tokens).
    pub kid: String,
    /// PKCS#8 private key, PEM.
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
        let public: PublicKeyX509Der<'static> = pair
            .public_key()
            .as_der()
            .map_err(|_| anyhow::anyhow!("RSA public key encoding failed"))?;
        let public_der = public.as_ref().to_vec();
        use sha2::{Digest, Sha256};
        let kid = format!(
            "cloudsim-{}",
            &hex::encode(Sha256::digest(&public_der))[..16]
        );
        Ok(InstallSigner {
            kid,
            private_pem: pem("PRIVATE KEY", private.as_ref()),
            public_pem: pem("PUBLIC KEY", &public_der),
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

//! Standard Webhooks signatures: `webhook-signature: v1,<base64 HMAC-SHA256>` over
//! `{webhook-id}.{webhook-timestamp}.{body}`, keyed by the secret's bytes — the base64 after
//! `whsec_` for Standard Webhooks secrets, or the text itself for other secrets (an Atlassian
//! Automation token), which a Standard Webhooks library verifies as `whsec_` + base64 of it.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use orgwarden_store::webhooks::SECRET_PREFIX;
use sha2::Sha256;

/// The key bytes of `secret`.
pub fn key_bytes(secret: &str) -> Vec<u8> {
    secret
        .strip_prefix(SECRET_PREFIX)
        .and_then(|b64| STANDARD.decode(b64).ok())
        .unwrap_or_else(|| secret.as_bytes().to_vec())
}

/// The `webhook-signature` value for a message (HMAC accepts keys of any length, so the error
/// is never seen in practice).
pub fn signature(
    secret: &str,
    id: &str,
    timestamp: i64,
    body: &str,
) -> Result<String, hmac::digest::InvalidLength> {
    let mut mac = Hmac::<Sha256>::new_from_slice(&key_bytes(secret))?;
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body.as_bytes());
    Ok(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_standard_webhooks_test_vector() {
        // From the Standard Webhooks reference implementations' tests.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).unwrap(),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn other_secrets_sign_with_their_own_bytes() {
        assert_eq!(key_bytes("token-123"), b"token-123".to_vec());
        assert_eq!(key_bytes("whsec_AAEC"), vec![0, 1, 2]);
    }
}

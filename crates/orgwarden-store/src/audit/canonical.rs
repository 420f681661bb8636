//! The canonical forms entries are hashed in (documented in the crate README).

use chrono::SecondsFormat;
use sha2::{Digest, Sha256};

use super::Entry;

/// The `prev_hash` of a tenant's first entry: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The form entries are appended in.
pub(super) const FORM: i16 = 2;

fn sha256_hex(write: impl FnOnce(&mut Sha256)) -> String {
    let mut hasher = Sha256::new();
    write(&mut hasher);
    hex::encode(hasher.finalize())
}

fn at_text(e: &Entry) -> String {
    e.at.and_utc().to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Form 2's content digest: SHA-256 (hex) of the compact JSON array `["orgwarden.audit.v2",
/// tenantId, at, kind, actorId, actorName, via, tokenId, summary, details]`.
pub(super) fn content_digest(e: &Entry) -> String {
    // A tuple serializes as the JSON array, straight into the hasher; writing into a hasher
    // cannot fail, and these values always serialize.
    sha256_hex(|h| {
        let _ = serde_json::to_writer(
            h,
            &(
                "orgwarden.audit.v2",
                &e.tenant_id,
                at_text(e),
                &e.kind,
                &e.actor_id,
                &e.actor_name,
                &e.via,
                e.token_id,
                &e.summary,
                &e.details,
            ),
        );
    })
}

/// Form 2's hash: SHA-256 (hex) of the previous hash followed by the content digest (128 ASCII
/// hex digits). PostgreSQL computes the same in SQL when it appends.
pub(super) fn link(prev_hash: &str, digest: &str) -> String {
    sha256_hex(|h| {
        h.update(prev_hash.as_bytes());
        h.update(digest.as_bytes());
    })
}

/// Form 1: SHA-256 (hex) of `["orgwarden.audit.v1", id, tenantId, at, kind, actorId, actorName,
/// via, tokenId, summary, details, prevHash]`.
fn form1_hash(e: &Entry) -> String {
    sha256_hex(|h| {
        let _ = serde_json::to_writer(
            h,
            &(
                "orgwarden.audit.v1",
                e.id,
                &e.tenant_id,
                at_text(e),
                &e.kind,
                &e.actor_id,
                &e.actor_name,
                &e.via,
                e.token_id,
                &e.summary,
                &e.details,
                &e.prev_hash,
            ),
        );
    })
}

/// The hash `e` should have, in its own form.
pub(super) fn hash_of(e: &Entry) -> String {
    match e.form {
        1 => form1_hash(e),
        _ => link(&e.prev_hash, &content_digest(e)),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn entry(form: i16) -> Entry {
        let at = NaiveDate::from_ymd_opt(2026, 12, 2)
            .and_then(|d| d.and_hms_micro_opt(9, 5, 7, 42))
            .expect("a valid time");
        Entry {
            id: 7,
            tenant_id: "client-\"key\"".into(),
            at,
            kind: "settings.updated".into(),
            actor_id: "557058:x".into(),
            actor_name: "Élodie \u{1F600}".into(),
            via: "token".into(),
            token_id: Some(3),
            summary: "Changed settings\n".into(),
            details: r#"{"a":1}"#.into(),
            prev_hash: GENESIS.into(),
            hash: String::new(),
            form,
        }
    }

    fn sha(text: &str) -> String {
        hex::encode(Sha256::digest(text.as_bytes()))
    }

    /// Form 1 is SHA-256 of the documented canonical form, byte for byte.
    #[test]
    fn form_1_hashes_the_documented_canonical_form() {
        let documented = r#"["orgwarden.audit.v1",7,"client-\"key\"","2026-12-02T09:05:07.000042Z","settings.updated","557058:x","Élodie 😀","token",3,"Changed settings\n","{\"a\":1}","0000000000000000000000000000000000000000000000000000000000000000"]"#;
        assert_eq!(hash_of(&entry(1)), sha(documented));
    }

    /// Form 2 links the previous hash to the digest of the documented content, byte for byte;
    /// the id is not part of it.
    #[test]
    fn form_2_links_the_previous_hash_to_the_documented_content_digest() {
        let content = r#"["orgwarden.audit.v2","client-\"key\"","2026-12-02T09:05:07.000042Z","settings.updated","557058:x","Élodie 😀","token",3,"Changed settings\n","{\"a\":1}"]"#;
        let expected = sha(&format!("{GENESIS}{}", sha(content)));
        let mut e = entry(2);
        assert_eq!(hash_of(&e), expected);
        e.id = 8;
        assert_eq!(hash_of(&e), expected);
        e.prev_hash = "1".repeat(64);
        assert_ne!(hash_of(&e), expected);
    }
}

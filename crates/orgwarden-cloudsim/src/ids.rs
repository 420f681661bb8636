//! Id formats: UUIDs, account ids and API keys.

use rand::Rng;

/// Formats 16 bytes (or more; the rest is ignored) as a version-4-shaped UUID.
pub fn uuid_from_bytes(bytes: &[u8]) -> String {
    let mut b = [0u8; 16];
    for (dst, src) in b.iter_mut().zip(bytes.iter()) {
        *dst = *src;
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// A random UUID from the given generator.
pub fn uuid<R: Rng + ?Sized>(rng: &mut R) -> String {
    let mut b = [0u8; 16];
    rng.fill(&mut b);
    uuid_from_bytes(&b)
}

/// A random lowercase hex string of `len` bytes.
pub fn hex_token<R: Rng + ?Sized>(rng: &mut R, len: usize) -> String {
    let bytes: Vec<u8> = (0..len).map(|_| rng.gen()).collect();
    hex::encode(bytes)
}

/// A fresh API key in the style of Atlassian's (`ATCTT3xFfGN0…`): long, URL-safe.
pub fn api_key<R: Rng + ?Sized>(rng: &mut R) -> String {
    use base64::Engine;
    let bytes: Vec<u8> = (0..48).map(|_| rng.gen()).collect();
    format!(
        "ATCTT3xFfGN0{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

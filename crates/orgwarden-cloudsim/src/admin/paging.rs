//! Cursors and page limits shared by the paging styles.
//!
//! A cursor is base64url (no padding) of a small JSON document holding the request it continues
//! and the position after which the next page starts, so a cursor alone reproduces the query
//! ("if present, all other parameters are discarded"). Positions are sort keys, not offsets,
//! so pages stay consistent while the organization changes.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Encodes a cursor.
pub fn encode<T: Serialize>(value: &T) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap_or_default())
}

/// Decodes a cursor; `None` when it is not one of ours.
pub fn decode<T: DeserializeOwned>(cursor: &str) -> Option<T> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Applies the default and the cap of an endpoint to a requested limit.
pub fn clamp_limit(limit: Option<i64>, default: usize, max: usize) -> usize {
    match limit {
        None => default,
        Some(n) if n < 1 => 1,
        Some(n) => (n as usize).min(max),
    }
}

/// Default page size of user search/list (U3, U4).
pub const USERS_DEFAULT: usize = 50;
/// Default page size of group search/list (G1, G2).
pub const GROUPS_DEFAULT: usize = 20;
/// Cap of the v2 cursor endpoints.
pub const V2_MAX: usize = 100;
/// Default and cap of workspaces (W1).
pub const WORKSPACES_DEFAULT: usize = 20;
/// Cap of workspaces (W1).
pub const WORKSPACES_MAX: usize = 1000;
/// Default page size of the events stream (E2).
pub const EVENTS_DEFAULT: usize = 100;
/// Cap of the events stream (E2).
pub const EVENTS_MAX: usize = 1000;

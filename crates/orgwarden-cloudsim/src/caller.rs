//! Who is calling the Admin API, as the gate finds out from the Bearer key and hands to the
//! handlers in the request's extensions: the key's token id (the actor of audit events) and, for
//! a key of another organization, that organization's name.

use sha2::{Digest, Sha256};

/// The API key's token id, put into the request by the gate.
#[derive(Debug, Clone)]
pub struct Actor(pub String);

/// The organization a key of another organization belongs to (by name), for O1.
#[derive(Debug, Clone)]
pub struct ForeignOrg(pub String);

/// Token id of an API key as it appears in audit events.
pub fn token_id(key: &str) -> String {
    hex::encode(&Sha256::digest(key.as_bytes())[..8])
}

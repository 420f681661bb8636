//! Audit events: what one is (the subjects it is about, its action id) and how its id is derived.
//! The organization records them (`Org::record`); E2 serves them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The object an event is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventObject {
    /// Account id, group id or org id.
    pub id: String,
    /// `users`, `groups`, `orgs`, `sites`.
    pub kind: String,
    /// Display name.
    pub name: String,
}

/// One audit event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Monotonic sequence number (the stream's sort key).
    pub seq: u64,
    /// Event id (UUID-like).
    pub id: String,
    /// When it happened.
    pub time: DateTime<Utc>,
    /// Action id, e.g. `user_access_suspended`.
    pub action: String,
    /// Token id of the API key that acted.
    pub actor: String,
    /// Subjects (user, group, …).
    pub context: Vec<EventObject>,
    /// Human message.
    pub message: String,
}

/// Action ids recorded by the simulator (also the keys of the mutation stats).
pub mod action {
    /// L1 / L4.
    pub const SUSPEND: &str = "user_access_suspended";
    /// L2 / L5.
    pub const RESTORE: &str = "user_access_restored";
    /// L3 / L6.
    pub const REMOVE: &str = "user_removed_from_directory";
    /// R1.
    pub const GRANT_ROLE: &str = "user_role_granted";
    /// R2.
    pub const REVOKE_ROLE: &str = "user_role_revoked";
    /// R3.
    pub const ADD_ORG_ADMIN: &str = "added_org_admin";
    /// R4.
    pub const REMOVE_ORG_ADMIN: &str = "removed_org_admin";
    /// G3.
    pub const GROUP_CREATED: &str = "group_created";
    /// G5.
    pub const GROUP_DELETED: &str = "group_deleted";
    /// G6.
    pub const ADDED_TO_GROUP: &str = "user_added_to_group";
    /// G7.
    pub const REMOVED_FROM_GROUP: &str = "user_removed_from_group";
    /// G9.
    pub const GROUP_ROLE_GRANTED: &str = "group_role_granted";
    /// G10.
    pub const GROUP_ROLE_REVOKED: &str = "group_role_revoked";
    /// `POST /__sim/users` (an account joining the organization).
    pub const USER_ADDED_TO_ORG: &str = "user_added_to_org";
}

/// Deterministic UUID-shaped id from the org and the sequence number.
pub(crate) fn event_id(org_id: &str, seq: u64) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{org_id}/event/{seq}").as_bytes());
    crate::ids::uuid_from_bytes(&digest)
}

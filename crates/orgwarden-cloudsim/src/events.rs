//! Audit events: every mutation made through the Admin API is recorded here (served by E2) and
//! counted per subject and action (served by `/__sim/stats`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::org::Org;

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

/// The most events kept in memory; older ones are dropped first.
const MAX_EVENTS: usize = 200_000;

impl Org {
    /// Appends an event about the given subjects.
    pub fn record(
        &mut self,
        action: &str,
        actor: &str,
        context: Vec<EventObject>,
        message: String,
    ) {
        let seq = self.next_event_seq;
        self.next_event_seq += 1;
        let id = event_id(&self.org_id, seq);
        if let Some(subject) = context.first() {
            *self
                .mutations
                .entry(subject.id.clone())
                .or_default()
                .entry(action.to_string())
                .or_default() += 1;
        }
        self.events.push(Event {
            seq,
            id,
            time: Utc::now(),
            action: action.to_string(),
            actor: actor.to_string(),
            context,
            message,
        });
        if self.events.len() > MAX_EVENTS {
            let excess = self.events.len() - MAX_EVENTS;
            self.events.drain(..excess);
        }
    }

    /// The event object for a user.
    pub fn user_object(&self, account_id: &str) -> EventObject {
        EventObject {
            id: account_id.to_string(),
            kind: "users".into(),
            name: self
                .user(account_id)
                .map(|u| u.name.clone())
                .unwrap_or_default(),
        }
    }

    /// The event object for a group.
    pub fn group_object(&self, group_id: &str, name: &str) -> EventObject {
        EventObject {
            id: group_id.to_string(),
            kind: "groups".into(),
            name: name.to_string(),
        }
    }
}

/// Deterministic UUID-shaped id from the org and the sequence number.
fn event_id(org_id: &str, seq: u64) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{org_id}/event/{seq}").as_bytes());
    crate::ids::uuid_from_bytes(&digest)
}

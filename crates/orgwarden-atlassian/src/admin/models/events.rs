//! Audit-log events (E2 events stream).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::de;

/// One audit-log event, in Atlassian's shape (`{id, attributes: {…}, message}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Event id.
    pub id: String,
    /// What happened.
    #[serde(default, deserialize_with = "de::null_default")]
    pub attributes: EventAttributes,
    /// Human summary, e.g. `{"content": "Created admin API key", "format": "simple"}`.
    #[serde(default)]
    pub message: Option<EventMessage>,
}

/// `attributes` of an event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventAttributes {
    /// When it happened.
    #[serde(default, deserialize_with = "de::opt_datetime")]
    pub time: Option<DateTime<Utc>>,
    /// Action id, e.g. `user_removed_from_site`, `group_created`.
    #[serde(default, deserialize_with = "de::null_default")]
    pub action: String,
    /// Who did it.
    #[serde(default)]
    pub actor: Option<EventActor>,
    /// What it was done to.
    #[serde(default, deserialize_with = "de::null_default")]
    pub context: Vec<EventObject>,
    /// Where (organization, site).
    #[serde(default, deserialize_with = "de::null_default")]
    pub container: Vec<EventObject>,
    /// When Atlassian processed it (events stream only).
    #[serde(default, deserialize_with = "de::opt_datetime")]
    pub processed_at: Option<DateTime<Utc>>,
    /// Location details (`ip`, `city`, …) as sent.
    #[serde(default)]
    pub location: Option<Value>,
}

/// The actor of an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventActor {
    /// Account id (or app id).
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
}

/// A subject or container of an event (`{id, type, attributes}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventObject {
    /// Object id.
    pub id: String,
    /// e.g. `users`, `groups`, `sites`, `orgs`.
    #[serde(default, rename = "type", deserialize_with = "de::null_default")]
    pub object_type: String,
    /// Type-specific attributes as sent.
    #[serde(default)]
    pub attributes: Option<Value>,
}

/// `message` of an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventMessage {
    /// Text.
    #[serde(default, deserialize_with = "de::null_default")]
    pub content: String,
    /// e.g. `simple`.
    #[serde(default)]
    pub format: Option<String>,
}

/// One page of the events stream with the cursor to continue from (or poll with later).
#[derive(Debug, Clone, PartialEq)]
pub struct EventPage {
    /// Events of this page.
    pub events: Vec<Event>,
    /// `meta.next`: continues after this page; reusable later to poll for new events.
    pub next: Option<String>,
}

/// The events page as sent: `{data, meta: {next, page_size}, links}`.
#[derive(Debug, Deserialize)]
pub(crate) struct EventPageModel {
    #[serde(default, deserialize_with = "de::null_default")]
    pub(crate) data: Vec<Event>,
    #[serde(default)]
    pub(crate) meta: Option<EventMeta>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct EventMeta {
    #[serde(default)]
    pub(crate) next: Option<String>,
}

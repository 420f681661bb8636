//! The organization's event log: every mutation made through the Admin API (or `/__sim/users`)
//! appends an event (served by E2) and counts per subject and action (served by `/__sim/stats`).

use chrono::Utc;

use super::Org;
use crate::events::{event_id, Event, EventObject};

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

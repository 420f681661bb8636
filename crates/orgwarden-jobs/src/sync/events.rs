//! The organization's events stream (E2) as a change feed: where it stands now (kept when a full
//! sync starts), and which users and groups it names since a kept cursor.

use orgwarden_ids::OrgId;
use std::collections::BTreeSet;

use chrono::Utc;
use orgwarden_atlassian::{AdminClient, AdminError};

use super::failure::message;

/// Events per page (the stream's maximum).
const EVENTS_PER_PAGE: u32 = 1_000;

/// How far before "now" a full sync's position starts: a clock of ours ahead of Atlassian's
/// must not hide the events of the sync's first moments (events read twice are harmless: an
/// incremental sync reads the current state of what they name).
const CLOCK_MARGIN_MINUTES: i64 = 5;

/// Group actions that change only who is in the group (its members are named too).
const MEMBERSHIP_ACTIONS: [&str; 2] = ["user_added_to_group", "user_removed_from_group"];

/// What the events since a cursor name.
#[derive(Debug, Default)]
pub struct Named {
    /// Users to re-read.
    pub users: BTreeSet<String>,
    /// Groups to re-read with what they grant (created, deleted, roles changed, …).
    pub groups: BTreeSet<String>,
    /// Groups whose members changed (the members are in `users`).
    pub memberships: BTreeSet<String>,
    /// The cursor to continue from next time.
    pub cursor: String,
}

/// The cursor from which every event from now on will be read (`None` if the stream gives none).
pub async fn position(client: &AdminClient, org_id: &OrgId) -> Result<Option<String>, AdminError> {
    let first = client
        .events_page(
            org_id,
            Some((Utc::now() - chrono::Duration::minutes(CLOCK_MARGIN_MINUTES)).timestamp_millis()),
            None,
            Some(EVENTS_PER_PAGE),
        )
        .await?;
    let mut cursor = first.next;
    let mut events = first.events.len();
    while events > 0 {
        let Some(at) = cursor.clone() else { break };
        let page = client.events_page(org_id, None, Some(&at), None).await?;
        events = page.events.len();
        cursor = page.next.or(Some(at));
    }
    Ok(cursor)
}

/// The users and groups named by events after `cursor`; `Err` says why the events cannot be
/// trusted (then a full sync runs instead): the stream failed or refused the cursor, an event
/// is about sites, or more than `max_users` users are named (a full read is cheaper then).
pub async fn since(
    client: &AdminClient,
    org_id: &OrgId,
    cursor: &str,
    max_users: usize,
) -> Result<Named, String> {
    let mut named = Named {
        cursor: cursor.to_owned(),
        ..Named::default()
    };
    loop {
        let page = client
            .events_page(org_id, None, Some(&named.cursor), None)
            .await
            .map_err(|e| format!("the events stream could not be read: {}", message(&e)))?;
        if page.events.is_empty() {
            if let Some(next) = page.next {
                named.cursor = next;
            }
            return Ok(named);
        }
        for event in &page.events {
            let membership = MEMBERSHIP_ACTIONS.contains(&event.attributes.action.as_str());
            for object in &event.attributes.context {
                match object.object_type.as_str() {
                    "users" => {
                        named.users.insert(object.id.clone());
                    }
                    "groups" if membership => {
                        named.memberships.insert(object.id.clone());
                    }
                    "groups" => {
                        named.groups.insert(object.id.clone());
                    }
                    "sites" => {
                        return Err(format!(
                            "a site changed ({}): products are read again in full",
                            event.attributes.action
                        ))
                    }
                    _ => {}
                }
            }
        }
        if named.users.len() > max_users {
            return Err(format!(
                "more than {max_users} users changed: reading everyone is cheaper"
            ));
        }
        named.cursor = page
            .next
            .ok_or_else(|| "the events stream ended without a cursor".to_owned())?;
    }
}

//! The organization held in memory: data plus the indexes that make paging and look-ups cheap.
//! Who holds what is in `access`, the recording of events in `event_log`.
//!
//! Invariants: `user.group_ids` and `group.member_ids` mirror each other; the indexes are rebuilt
//! by [`Org::reindex`] after any insertion or deletion and are never serialized.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::events::Event;
use crate::model::{parse_site_ari, Group, Product, Site, User, PLATFORM};

mod access;
mod event_log;

/// The whole simulated organization.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Org {
    /// Organization id.
    pub org_id: String,
    /// Organization name.
    pub name: String,
    /// The single directory (centralized user management).
    pub directory_id: String,
    /// Claimed email domains.
    pub domains: Vec<String>,
    /// Sites with their products.
    pub sites: Vec<Site>,
    /// Every account.
    pub users: Vec<User>,
    /// Every group.
    pub groups: Vec<Group>,
    /// Audit events, oldest first.
    pub events: Vec<Event>,
    /// Sequence number of the next event.
    pub next_event_seq: u64,
    /// Time the generator used as "now".
    pub anchor: DateTime<Utc>,
    /// Mutations counted per subject id and action (since start or reset).
    #[serde(skip)]
    pub mutations: BTreeMap<String, BTreeMap<String, u64>>,
    /// Sort nicknames case-sensitively (`Zoe` before `adam`): an API whose collation differs from
    /// the client's, for tests of how a sync's cursors cope. Takes effect at [`Org::reindex`].
    #[serde(skip)]
    pub case_sensitive_nicknames: bool,
    #[serde(skip)]
    idx: Indexes,
}

#[derive(Debug, Clone, Default)]
struct Indexes {
    user_by_id: BTreeMap<String, usize>,
    user_by_name: BTreeMap<(String, String), usize>,
    group_by_id: BTreeMap<String, usize>,
    group_by_name: BTreeMap<(String, String), usize>,
}

impl Org {
    /// An organization with no sites, users, groups or events.
    pub fn empty(org_id: String, name: String, directory_id: String, anchor: DateTime<Utc>) -> Org {
        Org {
            org_id,
            name,
            directory_id,
            domains: Vec::new(),
            sites: Vec::new(),
            users: Vec::new(),
            groups: Vec::new(),
            events: Vec::new(),
            next_event_seq: 1,
            anchor,
            mutations: BTreeMap::new(),
            case_sensitive_nicknames: false,
            idx: Indexes::default(),
        }
    }

    /// Where a user sorts in the nickname order.
    pub fn nickname_key(&self, u: &User) -> String {
        if self.case_sensitive_nicknames {
            u.nickname.clone()
        } else {
            u.nickname.to_lowercase()
        }
    }

    /// Rebuilds every index from the data (bulk-built: collected, sorted, then built).
    pub fn reindex(&mut self) {
        self.idx.user_by_id = self
            .users
            .iter()
            .enumerate()
            .map(|(i, u)| (u.account_id.clone(), i))
            .collect();
        self.idx.user_by_name = self
            .users
            .iter()
            .enumerate()
            .map(|(i, u)| ((self.nickname_key(u), u.account_id.clone()), i))
            .collect();
        self.reindex_groups();
    }

    /// Rebuilds the group indexes (after a group was added or deleted).
    pub fn reindex_groups(&mut self) {
        self.idx.group_by_id = self
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.id.clone(), i))
            .collect();
        self.idx.group_by_name = self
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| ((g.name.to_lowercase(), g.id.clone()), i))
            .collect();
    }

    /// Appends a user and indexes it.
    pub fn push_user(&mut self, user: User) {
        let i = self.users.len();
        self.idx.user_by_id.insert(user.account_id.clone(), i);
        let key = self.nickname_key(&user);
        self.idx
            .user_by_name
            .insert((key, user.account_id.clone()), i);
        self.users.push(user);
    }

    /// A user by account id.
    pub fn user(&self, account_id: &str) -> Option<&User> {
        self.idx
            .user_by_id
            .get(account_id)
            .and_then(|&i| self.users.get(i))
    }

    /// A mutable user by account id.
    pub fn user_mut(&mut self, account_id: &str) -> Option<&mut User> {
        let i = *self.idx.user_by_id.get(account_id)?;
        self.users.get_mut(i)
    }

    /// A group by id.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.idx
            .group_by_id
            .get(id)
            .and_then(|&i| self.groups.get(i))
    }

    /// A mutable group by id.
    pub fn group_mut(&mut self, id: &str) -> Option<&mut Group> {
        let i = *self.idx.group_by_id.get(id)?;
        self.groups.get_mut(i)
    }

    /// A group by case-insensitive name.
    pub fn group_by_name(&self, name: &str) -> Option<&Group> {
        let lower = name.to_lowercase();
        self.idx
            .group_by_name
            .range((lower.clone(), String::new())..)
            .next()
            .filter(|((n, _), _)| *n == lower)
            .and_then(|(_, &i)| self.groups.get(i))
    }

    /// Users ordered by account id, starting after `after` (exclusive).
    pub fn users_by_id_after<'a>(
        &'a self,
        after: Option<&str>,
        desc: bool,
    ) -> Box<dyn Iterator<Item = &'a User> + 'a> {
        use std::ops::Bound::{Excluded, Unbounded};
        let bounds = match (after, desc) {
            (None, _) => (Unbounded, Unbounded),
            (Some(a), false) => (Excluded(a.to_string()), Unbounded),
            (Some(a), true) => (Unbounded, Excluded(a.to_string())),
        };
        let range = self.idx.user_by_id.range::<String, _>(bounds);
        let users = &self.users;
        if desc {
            Box::new(range.rev().filter_map(move |(_, &i)| users.get(i)))
        } else {
            Box::new(range.filter_map(move |(_, &i)| users.get(i)))
        }
    }

    /// Users ordered by (lowercased nickname, account id), starting after `after` (exclusive).
    pub fn users_by_name_after<'a>(
        &'a self,
        after: Option<(String, String)>,
        desc: bool,
    ) -> Box<dyn Iterator<Item = &'a User> + 'a> {
        use std::ops::Bound::{Excluded, Unbounded};
        let bounds = match (after, desc) {
            (None, _) => (Unbounded, Unbounded),
            (Some(a), false) => (Excluded(a), Unbounded),
            (Some(a), true) => (Unbounded, Excluded(a)),
        };
        let range = self.idx.user_by_name.range(bounds);
        let users = &self.users;
        if desc {
            Box::new(range.rev().filter_map(move |(_, &i)| users.get(i)))
        } else {
            Box::new(range.filter_map(move |(_, &i)| users.get(i)))
        }
    }

    /// Groups ordered by (lowercased name, id).
    pub fn groups_by_name(&self) -> impl DoubleEndedIterator<Item = &Group> + '_ {
        self.idx
            .group_by_name
            .values()
            .filter_map(|&i| self.groups.get(i))
    }

    /// A site by cloud id.
    pub fn site(&self, site_id: &str) -> Option<&Site> {
        self.sites.iter().find(|s| s.site_id == site_id)
    }

    /// A site by name (`acme`).
    pub fn site_by_name(&self, name: &str) -> Option<&Site> {
        self.sites
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(name))
    }

    /// True when the ARI names a product of a site of this org, or a site itself (`platform`).
    pub fn resource_exists(&self, ari: &str) -> bool {
        let Some((owner, site_id)) = parse_site_ari(ari) else {
            return false;
        };
        let Some(site) = self.site(site_id) else {
            return false;
        };
        owner == PLATFORM || Product::parse(owner).is_some_and(|p| site.products.contains(&p))
    }
}

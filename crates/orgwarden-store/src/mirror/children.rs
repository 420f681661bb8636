//! A full sync's product access rows and memberships, held compactly until every user of the
//! generation is in, then written once in primary-key order.
//!
//! Users arrive in name order while these rows are keyed by account id: written with each run of
//! users they land all over their B-trees, so every transaction rewrites most of the pages
//! written before it (on SQLite each one a write-ahead-log frame, copied again by the
//! checkpoint). Sorted once and written from one side, each page is written about once.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use indexmap::IndexSet;
use orgwarden_ids::TenantId;

use super::rows::{NewAccess, NewMember};
use super::write::{insert_access, insert_members};
use crate::schema::{group_members, user_access};
use crate::{DbConnection, StoreError};

/// Rows per write transaction: long enough to write pages whole, short enough that other
/// writers (progress, other tenants) wait well under their busy timeout.
const ROWS_PER_WRITE: usize = 100_000;

/// Rows made at once inside a transaction (and per `COPY` on PostgreSQL), so that only these
/// exist as full rows while the rest stay compact.
const ROWS_PER_STATEMENT: usize = 5_000;

/// Strings stored once, each named by its index.
#[derive(Default)]
struct Interner(IndexSet<String, hashbrown::DefaultHashBuilder>);

impl Interner {
    fn id(&mut self, text: String) -> u32 {
        u32::try_from(self.0.insert_full(text).0).unwrap_or(u32::MAX)
    }

    /// [`Self::id`], without a lookup when `text` is the one `last` names; `last` then names it.
    fn id_after(&mut self, text: String, last: &mut Option<u32>) -> u32 {
        let id = match *last {
            Some(id) if self.text(id) == text => id,
            _ => self.id(text),
        };
        *last = Some(id);
        id
    }

    /// Each text's position in sorted order, by index.
    fn ranks(&self) -> Vec<u32> {
        let mut order: Vec<usize> = (0..self.0.len()).collect();
        order.sort_unstable_by(|a, b| self.0[*a].cmp(&self.0[*b]));
        let mut ranks = vec![0; order.len()];
        for (rank, id) in order.into_iter().enumerate() {
            ranks[id] = u32::try_from(rank).unwrap_or(u32::MAX);
        }
        ranks
    }

    fn text(&self, id: u32) -> &str {
        &self.0[id as usize]
    }
}

/// One access row: account, site, product, last activity.
type Access = (u32, u32, u32, Option<NaiveDateTime>);

/// Product access rows and memberships of users already written, waiting for the rest.
#[derive(Default)]
pub struct PendingChildren {
    accounts: Interner,
    sites: Interner,
    products: Interner,
    groups: Interner,
    access: Vec<Access>,
    members: Vec<(u32, u32)>,
}

impl PendingChildren {
    /// Keeps `access` and `members` (of one generation) until [`write_children`].
    pub fn add(&mut self, access: Vec<NewAccess>, members: Vec<NewMember>) {
        // A user's rows come together: their account id is looked up once.
        let mut last = None;
        self.access.reserve(access.len());
        for a in access {
            let account = self.accounts.id_after(a.account_id, &mut last);
            self.access.push((
                account,
                self.sites.id(a.site_id),
                self.products.id(a.product_key),
                a.last_active,
            ));
        }
        let mut last = None;
        self.members.reserve(members.len());
        for m in members {
            let account = self.accounts.id_after(m.account_id, &mut last);
            self.members.push((account, self.groups.id(m.group_id)));
        }
    }

    /// Rows waiting.
    pub fn len(&self) -> usize {
        self.access.len() + self.members.len()
    }

    /// Nothing waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sorts the rows by primary key (account, then site and product or group) and drops
    /// repeated ones.
    fn sort(&mut self) {
        let account = self.accounts.ranks();
        let (site, product, group) = (
            self.sites.ranks(),
            self.products.ranks(),
            self.groups.ranks(),
        );
        let access_key =
            |&(a, s, k, _): &Access| (account[a as usize], site[s as usize], product[k as usize]);
        self.access.sort_unstable_by_key(access_key);
        self.access.dedup_by_key(|row| access_key(row));
        let member_key = |&(a, g): &(u32, u32)| (account[a as usize], group[g as usize]);
        self.members.sort_unstable_by_key(member_key);
        self.members.dedup_by_key(|row| member_key(row));
    }
}

/// Writes `pending` into the generation (none of these rows may be there yet; repeated rows
/// are written once), sorted by primary key, in transactions of [`ROWS_PER_WRITE`] rows;
/// returns how many rows it wrote. Into empty SQLite tables, their secondary indexes are built
/// once the rows are in (see [`super::deferred_indexes`]).
pub fn write_children(
    conn: &mut DbConnection,
    generation: (&TenantId, i64),
    pending: PendingChildren,
) -> Result<usize, StoreError> {
    let deferred = super::deferred_indexes::defer(conn)?;
    let written = write_sorted(conn, generation, pending);
    // Failed or not; also builds one an earlier writer left unbuilt (nothing when all exist).
    super::deferred_indexes::restore(conn)?;
    if deferred {
        crate::writer_connection::restart_log(conn)?;
    }
    written
}

fn write_sorted(
    conn: &mut DbConnection,
    (tenant, generation): (&TenantId, i64),
    mut pending: PendingChildren,
) -> Result<usize, StoreError> {
    pending.sort();
    let accounts = &pending.accounts;
    let access = write_runs(
        conn,
        &pending.access,
        |&(a, s, k, last_active)| NewAccess {
            tenant_id: tenant.clone(),
            generation,
            account_id: accounts.text(a).to_owned(),
            site_id: pending.sites.text(s).to_owned(),
            product_key: pending.products.text(k).to_owned(),
            last_active,
        },
        |conn, rows| match conn {
            DbConnection::Pg(pg) => Ok(diesel::copy_from(user_access::table)
                .from_insertable(rows)
                .execute(pg)?),
            DbConnection::Sqlite(_) => insert_access(conn, rows),
        },
    )?;
    let members = write_runs(
        conn,
        &pending.members,
        |&(a, g)| NewMember {
            tenant_id: tenant.clone(),
            generation,
            group_id: pending.groups.text(g).to_owned(),
            account_id: accounts.text(a).to_owned(),
        },
        |conn, rows| match conn {
            DbConnection::Pg(pg) => Ok(diesel::copy_from(group_members::table)
                .from_insertable(rows)
                .execute(pg)?),
            DbConnection::Sqlite(_) => insert_members(conn, rows),
        },
    )?;
    Ok(access + members)
}

/// Writes `compact` rows in transactions of [`ROWS_PER_WRITE`], making [`ROWS_PER_STATEMENT`]
/// full rows at a time and handing them to `insert`; SQLite's write-ahead log starts afresh
/// after each transaction (left to the automatic checkpoints, readers keep it growing).
fn write_runs<T, R>(
    conn: &mut DbConnection,
    compact: &[T],
    make: impl Fn(&T) -> R,
    insert: impl Fn(&mut DbConnection, &Vec<R>) -> Result<usize, StoreError>,
) -> Result<usize, StoreError> {
    let mut written = 0;
    for run in compact.chunks(ROWS_PER_WRITE) {
        written += crate::transaction(conn, |conn| {
            run.chunks(ROWS_PER_STATEMENT)
                .map(|chunk| insert(conn, &chunk.iter().map(&make).collect()))
                .sum::<Result<usize, StoreError>>()
        })?;
        crate::writer_connection::restart_log(conn)?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(account: &str, site: &str, product: &str) -> NewAccess {
        NewAccess {
            tenant_id: "t".into(),
            generation: 1,
            account_id: account.into(),
            site_id: site.into(),
            product_key: product.into(),
            last_active: None,
        }
    }

    fn member(account: &str, group: &str) -> NewMember {
        NewMember {
            tenant_id: "t".into(),
            generation: 1,
            group_id: group.into(),
            account_id: account.into(),
        }
    }

    #[test]
    fn rows_come_out_in_key_order_once() {
        let mut pending = PendingChildren::default();
        pending.add(
            vec![access("c", "s2", "jira"), access("a", "s2", "confluence")],
            vec![member("c", "g1"), member("b", "g2")],
        );
        pending.add(
            vec![access("a", "s1", "jira"), access("c", "s2", "jira")],
            vec![member("b", "g1"), member("c", "g1")],
        );
        assert_eq!(pending.len(), 8);
        pending.sort();
        let access: Vec<_> = pending
            .access
            .iter()
            .map(|&(a, s, k, _)| {
                (
                    pending.accounts.text(a),
                    pending.sites.text(s),
                    pending.products.text(k),
                )
            })
            .collect();
        assert_eq!(
            access,
            [
                ("a", "s1", "jira"),
                ("a", "s2", "confluence"),
                ("c", "s2", "jira")
            ]
        );
        let members: Vec<_> = pending
            .members
            .iter()
            .map(|&(a, g)| (pending.accounts.text(a), pending.groups.text(g)))
            .collect();
        assert_eq!(members, [("b", "g1"), ("b", "g2"), ("c", "g1")]);
    }
}

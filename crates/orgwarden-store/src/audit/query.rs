//! Reading the trail: filtered, newest first, paged by id; pages leave out long details.

use chrono::NaiveDateTime;
use diesel::dsl::case_when;
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};
use diesel::Connection;
use orgwarden_ids::TenantId;

use super::{Entry, Via};
use crate::schema::audit_entries;
use crate::{DbConnection, StoreError};

type Backend = <DbConnection as Connection>::Backend;

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// A dotted kind (`settings.updated`), or a family (`operation` or `operation.*`).
    pub kind: Option<String>,
    /// The actor's account id.
    pub actor: Option<String>,
    /// An account whose own entries these are: those of their actions, and those the system
    /// recorded for what they asked for (a sync or an operation whose details name them as
    /// `requestedBy`).
    pub own: Option<String>,
    /// Entries at or after this time.
    pub from: Option<NaiveDateTime>,
    /// Entries before this time.
    pub to: Option<NaiveDateTime>,
    /// Entries with an id below this one (the cursor of the previous page).
    pub before_id: Option<i64>,
    /// Only the entry with this id.
    pub id: Option<i64>,
}

diesel::define_sql_function! {
    /// `replace(s, from, to)`: the same function, case-sensitive, on SQLite and PostgreSQL.
    fn replace(s: Text, from: Text, to: Text) -> Text;
}

diesel::define_sql_function! {
    /// `length(s)`: the characters in `s`, on SQLite and PostgreSQL.
    fn length(s: Text) -> Integer;
}

diesel::define_sql_function! {
    /// `coalesce(x, y)`: `x`, or `y` when `x` is null, on SQLite and PostgreSQL.
    fn coalesce(x: Nullable<Text>, y: Text) -> Text;
}

/// Up to `limit` of the tenant's entries matching `filter`, newest first.
pub fn list(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    filter: &Filter,
    limit: i64,
) -> Result<Vec<Entry>, StoreError> {
    Ok(matching(tenant_id, filter)
        .order(audit_entries::id.desc())
        .limit(limit)
        .select(Entry::as_select())
        .load(conn)?)
}

/// Details longer than this (in characters) a page of the trail leaves out and shows abridged;
/// the entry itself and the export give them whole.
pub const PAGE_DETAILS_MAX: i64 = 16_384;

/// The tenant's entry `id`, whole.
pub fn entry(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    id: i64,
) -> Result<Option<Entry>, StoreError> {
    let only = Filter {
        id: Some(id),
        ..Filter::default()
    };
    Ok(list(conn, tenant_id, &only, 1)?.pop())
}

/// An entry as a page lists it: its details only when they are short.
#[derive(Debug, Clone)]
pub struct Listed {
    /// The entry; `details` is empty when they are longer than the page's cap.
    pub entry: Entry,
    /// The length of the full details' JSON text, in characters.
    pub details_len: i64,
}

impl Listed {
    /// True when the page left the details out (read the whole entry with [`entry`]).
    pub fn details_left_out(&self) -> bool {
        self.entry.details.is_empty()
    }
}

/// The entry's columns but its details.
/// As [`list`], but details longer than `details_max` characters are left out (an operation's
/// records its whole selection: megabytes for a large one), so a page of them stays small.
pub fn page(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    filter: &Filter,
    limit: i64,
    details_max: i64,
) -> Result<Vec<Listed>, StoreError> {
    use audit_entries as a;
    // Built with the DSL, no SQL text: diesel keeps the statement prepared, as it does
    // `list`'s, so PostgreSQL plans it once rather than at every page.
    let max = i32::try_from(details_max).unwrap_or(i32::MAX);
    // Details over the cap read as empty, their length kept.
    let short_details = coalesce(case_when(length(a::details).le(max), a::details), "");
    let rows: Vec<(Entry, i32)> = matching(tenant_id, filter)
        .order(a::id.desc())
        .limit(limit)
        .select((
            (
                a::id,
                a::tenant_id,
                a::at,
                a::kind,
                a::actor_id,
                a::actor_name,
                a::via,
                a::token_id,
                a::summary,
                short_details,
                a::prev_hash,
                a::hash,
                a::form,
            ),
            length(a::details),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(entry, len)| Listed {
            entry,
            details_len: i64::from(len),
        })
        .collect())
}

/// The tenant's entries matching `filter`, in no order.
fn matching<'a>(
    tenant_id: &'a TenantId,
    filter: &Filter,
) -> audit_entries::BoxedQuery<'a, Backend> {
    let mut query = audit_entries::table
        .filter(audit_entries::tenant_id.eq(tenant_id))
        .into_boxed();
    if let Some(kind) = filter.kind.as_deref() {
        let family = kind.strip_suffix(".*").unwrap_or(kind);
        query = if family.contains('.') {
            query.filter(audit_entries::kind.eq(family.to_owned()))
        } else {
            query.filter(audit_entries::kind.like(format!("{family}.%")))
        };
    }
    if let Some(actor) = &filter.actor {
        query = query.filter(audit_entries::actor_id.eq(actor.clone()));
    }
    if let Some(own) = &filter.own {
        // The text that names `own` as the requester in a system entry's details: JSON
        // escapes every quote inside a string, so no value can hold it.
        let requested = format!("\"requestedBy\":{}", serde_json::Value::from(own.as_str()));
        query = query.filter(
            audit_entries::actor_id
                .eq(own.clone())
                .or(audit_entries::via.eq(Via::System.as_str()).and(
                    replace(audit_entries::details, requested, "").ne(audit_entries::details),
                )),
        );
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_entries::at.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(audit_entries::at.lt(to));
    }
    if let Some(before) = filter.before_id {
        query = query.filter(audit_entries::id.lt(before));
    }
    if let Some(id) = filter.id {
        query = query.filter(audit_entries::id.eq(id));
    }
    query
}

//! Reading the trail: filtered, newest first, paged by id.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Text;
use orgwarden_ids::TenantId;

use super::{Entry, Via};
use crate::schema::audit_entries;
use crate::{DbConnection, StoreError};

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
}

diesel::define_sql_function! {
    /// `replace(s, from, to)`: the same function, case-sensitive, on SQLite and PostgreSQL.
    fn replace(s: Text, from: Text, to: Text) -> Text;
}

/// Up to `limit` of the tenant's entries matching `filter`, newest first.
pub fn list(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    filter: &Filter,
    limit: i64,
) -> Result<Vec<Entry>, StoreError> {
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
    Ok(query
        .order(audit_entries::id.desc())
        .limit(limit)
        .select(Entry::as_select())
        .load(conn)?)
}

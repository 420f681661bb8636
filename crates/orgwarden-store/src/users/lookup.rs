//! Finding users by email or account id (CSV imports of a selection), naming account ids
//! (operation results), those without any product access (a limited admin's selections), and
//! those a limited admin may see (an operation's steps).

use orgwarden_ids::TenantId;
use std::collections::HashMap;

use diesel::prelude::*;

use super::places::within_rows;
use super::where_clause::same_mirror;
use crate::access::Administered;
use crate::schema::{org_users, user_access};
use crate::sql::Sql;
use crate::{DbConnection, StoreError};

/// Every user of a generation, indexed by account id and by lower-cased email.
pub struct Directory {
    by_email: HashMap<String, String>,
    ids: std::collections::HashSet<String>,
}

impl Directory {
    /// Loads the account ids and emails of a generation.
    pub fn load(
        conn: &mut DbConnection,
        tenant_id: &TenantId,
        generation: i64,
    ) -> Result<Self, StoreError> {
        let rows: Vec<(String, Option<String>)> = org_users::table
            .filter(org_users::tenant_id.eq(tenant_id))
            .filter(org_users::generation.eq(generation))
            .select((org_users::account_id, org_users::email))
            .load(conn)?;
        let mut by_email = HashMap::with_capacity(rows.len());
        let mut ids = std::collections::HashSet::with_capacity(rows.len());
        for (id, email) in rows {
            if let Some(email) = email {
                by_email.insert(email.to_lowercase(), id.clone());
            }
            ids.insert(id);
        }
        Ok(Self { by_email, ids })
    }

    /// The account id of an email (any case) or an account id; `None` when nobody matches.
    pub fn find(&self, value: &str) -> Option<&str> {
        let value = value.trim();
        if value.contains('@') {
            self.by_email.get(&value.to_lowercase()).map(String::as_str)
        } else {
            self.ids.get(value).map(String::as_str)
        }
    }
}

/// A user's name and email as the mirror holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// Display name.
    pub name: String,
    /// Email, when visible.
    pub email: Option<String>,
}

/// Account ids per query: well under both backends' bind limits.
const IDS_PER_QUERY: usize = 1000;

/// The name and email of each of `ids` the generation holds (users deleted since are absent).
pub fn names_of(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    generation: i64,
    ids: &[String],
) -> Result<HashMap<String, Named>, StoreError> {
    let mut names = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let rows: Vec<(String, String, Option<String>)> = org_users::table
            .filter(org_users::tenant_id.eq(tenant_id))
            .filter(org_users::generation.eq(generation))
            .filter(org_users::account_id.eq_any(chunk))
            .select((org_users::account_id, org_users::name, org_users::email))
            .load(conn)?;
        names.extend(
            rows.into_iter()
                .map(|(id, name, email)| (id, Named { name, email })),
        );
    }
    Ok(names)
}

/// Of `ids`, those generation `generation` of the tenant's mirror holds with no product access
/// at all (people not given any product yet, or suspended).
pub fn without_access(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    generation: i64,
    ids: &[String],
) -> Result<std::collections::HashSet<String>, StoreError> {
    let mut found = std::collections::HashSet::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let known: Vec<String> = org_users::table
            .filter(org_users::tenant_id.eq(tenant_id))
            .filter(org_users::generation.eq(generation))
            .filter(org_users::account_id.eq_any(chunk))
            .select(org_users::account_id)
            .load(conn)?;
        let with_access: std::collections::HashSet<String> = user_access::table
            .filter(user_access::tenant_id.eq(tenant_id))
            .filter(user_access::generation.eq(generation))
            .filter(user_access::account_id.eq_any(chunk))
            .select(user_access::account_id)
            .distinct()
            .load::<String>(conn)?
            .into_iter()
            .collect();
        found.extend(known.into_iter().filter(|id| !with_access.contains(id)));
    }
    Ok(found)
}

/// An account id read by [`visible_among`].
#[derive(QueryableByName)]
struct Account {
    #[diesel(sql_type = diesel::sql_types::Text)]
    account_id: String,
}

/// Of `ids`, those generation `generation` of the tenant's mirror gives access to something
/// `within` covers: the users an admin confined to it may see (as the user browser shows them).
pub fn visible_among(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    generation: i64,
    within: &[Administered],
    ids: &[String],
) -> Result<std::collections::HashSet<String>, StoreError> {
    let mut found = std::collections::HashSet::new();
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let mut sql = Sql::for_conn(conn);
        sql.push("SELECT DISTINCT w.account_id FROM user_access w WHERE ");
        same_mirror(&mut sql, "w", tenant_id.as_str(), generation);
        sql.push(" AND w.account_id IN ")
            .bind_list(chunk.iter().map(String::as_str));
        within_rows(&mut sql, "w", within);
        found.extend(sql.load::<Account>(conn)?.into_iter().map(|a| a.account_id));
    }
    Ok(found)
}

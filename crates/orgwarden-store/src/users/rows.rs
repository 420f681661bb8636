//! A user list's rows: the `org_users` columns they are read from, and their access, groups and
//! roles added in a few queries per page or chunk.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::sql_types::{Bool, Nullable, Text, Timestamp};
use diesel::QueryableByName;
use serde::Serialize;

use super::detail::{UserGroup, UserProduct, Who};
use super::filter::Filter;
use super::hydrate::Catalog;
use super::places::Places;
use crate::access::Administered;
use crate::sql::Sql;
use crate::{DbConnection, StoreError};

/// One user of a list page.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UserRow {
    /// Atlassian account id.
    pub account_id: String,
    /// Display name.
    pub name: String,
    /// Email, when visible.
    pub email: Option<String>,
    /// `active`, `suspended`, `deactivated`, `not_invited`.
    pub status: String,
    /// `atlassian`, `app`, `customer`.
    pub account_type: String,
    /// Counts against product licenses.
    pub billable: bool,
    /// Every site the user can reach (whatever the filter; for a limited caller, of what they
    /// administer).
    pub sites: Vec<String>,
    /// Product access with per-product last activity (for a limited caller, what they
    /// administer of it).
    pub products: Vec<UserProduct>,
    /// Groups.
    pub groups: Vec<UserGroup>,
    /// Roles: `orgAdmin`, `siteAdmin`, `userAccessAdmin`, `productAdmin`, `guest`, `customer`.
    pub roles: Vec<String>,
    /// Last activity: on the filtered products when the filter names products or sites (and for
    /// a limited caller on what they administer of them), else the newest across products.
    /// `null` = never active.
    pub last_active: Option<chrono::DateTime<chrono::Utc>>,
    /// When the user joined the organization.
    pub added_to_org: Option<chrono::DateTime<chrono::Utc>>,
}

/// The `org_users u` columns a [`UserRow`] is built from.
pub(crate) const ROW_COLUMNS: &str = "SELECT u.account_id, u.name, u.email, u.status, u.account_type, u.billable, u.org_admin, u.site_admin, u.user_access_admin, u.added_to_org, u.last_active";

#[derive(QueryableByName)]
pub(super) struct Base {
    #[diesel(sql_type = Text)]
    pub(super) account_id: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Nullable<Text>)]
    email: Option<String>,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Text)]
    account_type: String,
    #[diesel(sql_type = Bool)]
    billable: bool,
    #[diesel(sql_type = Bool)]
    org_admin: bool,
    #[diesel(sql_type = Bool)]
    site_admin: bool,
    #[diesel(sql_type = Bool)]
    user_access_admin: bool,
    #[diesel(sql_type = Nullable<Timestamp>)]
    added_to_org: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    last_active: Option<NaiveDateTime>,
}

/// Runs `sql` (which selects [`ROW_COLUMNS`]) and enriches its rows with the `catalog`'s group
/// names and roles. `dense`: `sql` orders by account id and its rows are every user from the
/// first to the last, so their access and groups are read as one id range.
pub(crate) fn load_rows(
    conn: &mut DbConnection,
    (tenant_id, generation): (&str, i64),
    filter: &Filter,
    sql: Sql,
    catalog: &Catalog,
    dense: bool,
) -> Result<Vec<UserRow>, StoreError> {
    let base = sql.load::<Base>(conn)?;
    enrich(
        conn,
        tenant_id,
        generation,
        filter,
        base,
        Some((catalog, dense)),
    )
}

/// Adds access, groups and roles to `base`: read per call, or with `chunked`'s catalog (and by
/// id range when dense).
pub(super) fn enrich(
    conn: &mut DbConnection,
    tenant_id: &str,
    generation: i64,
    filter: &Filter,
    base: Vec<Base>,
    chunked: Option<(&Catalog, bool)>,
) -> Result<Vec<UserRow>, StoreError> {
    let ids: Vec<String> = base.iter().map(|b| b.account_id.clone()).collect();
    // Dense rows come in account-id order (the database's collation): first to last is the range.
    let who = match (ids.first(), ids.last(), chunked) {
        (Some(first), Some(last), Some((_, true))) => Who::Range(first, last),
        _ => Who::Ids(&ids),
    };
    let mut products = super::detail::access_of(conn, tenant_id, generation, who)?;
    let (mut groups, read_roles) = match chunked {
        Some((catalog, _)) => (
            catalog.groups_of(conn, tenant_id, generation, who)?,
            HashMap::new(),
        ),
        None => (
            super::detail::groups_of(conn, tenant_id, generation, who)?,
            super::detail::granted_roles_of(conn, tenant_id, generation, who)?,
        ),
    };
    let places = Places::of(filter);
    Ok(base
        .into_iter()
        .map(|b| {
            let mut products = products.remove(&b.account_id).unwrap_or_default();
            if let Some(within) = filter.within.as_deref() {
                // A limited caller sees what they administer of each user's access.
                products.retain(|p| Administered::any_covers(within, &p.site_id, &p.product_key));
            }
            let mut sites: Vec<String> = products.iter().map(|p| p.site_id.clone()).collect();
            sites.sort();
            sites.dedup();
            let last_active = match places {
                Some(places) => products
                    .iter()
                    .filter(|p| places.hold(p))
                    .filter_map(|p| p.last_active)
                    .max(),
                None => b.last_active.map(|t| t.and_utc()),
            };
            let mut roles = Vec::new();
            for (flag, name) in [
                (b.org_admin, "orgAdmin"),
                (b.site_admin, "siteAdmin"),
                (b.user_access_admin, "userAccessAdmin"),
            ] {
                if flag {
                    roles.push(name.to_owned());
                }
            }
            let through_groups = match chunked {
                Some((catalog, _)) => catalog.granted(&b.account_id),
                None => read_roles.get(&b.account_id).map_or(&[][..], Vec::as_slice),
            };
            roles.extend_from_slice(through_groups);
            if b.account_type == "customer" {
                roles.push("customer".into());
            }
            UserRow {
                groups: groups.remove(&b.account_id).unwrap_or_default(),
                account_id: b.account_id,
                name: b.name,
                email: b.email,
                status: b.status,
                account_type: b.account_type,
                billable: b.billable,
                sites,
                products,
                roles,
                last_active,
                added_to_org: b.added_to_org.map(|t| t.and_utc()),
            }
        })
        .collect())
}

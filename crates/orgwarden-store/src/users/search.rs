//! The user list: a filter, a sort and a page, with the total.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::sql_types::{BigInt, Bool, Nullable, Text, Timestamp};
use diesel::QueryableByName;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::detail::{UserGroup, UserProduct, Who};
use super::filter::Filter;
use super::hydrate::Catalog;
use super::where_clause::{self, from_where, Drive};
use crate::sql::{Bind, Sql};
use crate::{DbConnection, StoreError};

/// Columns the list sorts by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum SortField {
    /// Display name.
    #[default]
    Name,
    /// Email.
    Email,
    /// Last activity (never active first when ascending).
    LastActive,
    /// Status.
    Status,
}

/// A sort: field and direction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Sort {
    /// The column.
    #[serde(default)]
    pub field: SortField,
    /// Descending instead of ascending.
    #[serde(default)]
    pub descending: bool,
}

/// One user of a list page.
#[derive(Debug, Clone, Serialize, ToSchema)]
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
    /// Counts against product licences.
    pub billable: bool,
    /// Every site the user can reach (whatever the filter).
    pub sites: Vec<String>,
    /// Product access with per-product last activity.
    pub products: Vec<UserProduct>,
    /// Groups.
    pub groups: Vec<UserGroup>,
    /// Roles: `orgAdmin`, `siteAdmin`, `userAccessAdmin`, `productAdmin`, `guest`, `customer`.
    pub roles: Vec<String>,
    /// Last activity: on the filtered products when the filter names products or sites, else the
    /// newest across products. `null` = never active.
    pub last_active: Option<chrono::DateTime<chrono::Utc>>,
    /// When the user joined the organization.
    pub added_to_org: Option<chrono::DateTime<chrono::Utc>>,
}

/// A page of users.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    /// Users matching the filter.
    pub total: i64,
    /// Page number, from 1.
    pub page: i64,
    /// Page size.
    pub page_size: i64,
    /// The users of this page.
    pub items: Vec<UserRow>,
    /// Where the next page starts, for cursor paging in name order (absent on the last page
    /// and for other sorts): pass it back as `cursor`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Where a page in name order starts: after this user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct After {
    /// The user's name as the database lower-cases it.
    pub name: String,
    /// Their account id (ties).
    pub account_id: String,
}

/// The `org_users u` columns a [`UserRow`] is built from.
pub(crate) const ROW_COLUMNS: &str = "SELECT u.account_id, u.name, u.email, u.status, u.account_type, u.billable, u.org_admin, u.site_admin, u.user_access_admin, u.added_to_org, u.last_active";

/// A filter matching at most this many users per row of `offset + page_size` counts as narrow.
const NARROW_PER_ROW: i64 = 20;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Base {
    #[diesel(sql_type = Text)]
    account_id: String,
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

#[derive(QueryableByName)]
pub(crate) struct Id {
    #[diesel(sql_type = Text)]
    pub(crate) account_id: String,
}

/// One page of the users matching `filter`, with the total.
#[allow(clippy::too_many_arguments)]
pub fn search(
    conn: &mut DbConnection,
    tenant_id: &str,
    generation: i64,
    filter: &Filter,
    sort: Sort,
    page: i64,
    page_size: i64,
    now: NaiveDateTime,
) -> Result<Page, StoreError> {
    let mut count = Sql::for_conn(conn);
    where_clause::count(&mut count, tenant_id, generation, filter, now);
    let total = count.load::<Count>(conn)?.first().map_or(0, |c| c.n);

    let offset = (page - 1).max(0) * page_size;
    let (items, _) = page_rows(
        conn,
        (tenant_id, generation),
        filter,
        sort,
        (offset, page_size),
        None,
        total,
        now,
    )?;
    Ok(Page {
        total,
        page,
        page_size,
        items,
        next_cursor: None,
    })
}

/// One page in name order (`descending` or not) of the users matching `filter` after `after`
/// (from the first when `None`), with the total and where the next page starts.
#[allow(clippy::too_many_arguments)]
pub fn search_after(
    conn: &mut DbConnection,
    tenant_id: &str,
    generation: i64,
    filter: &Filter,
    descending: bool,
    after: Option<&After>,
    page_size: i64,
    now: NaiveDateTime,
) -> Result<(Page, Option<After>), StoreError> {
    let mut count = Sql::for_conn(conn);
    where_clause::count(&mut count, tenant_id, generation, filter, now);
    let total = count.load::<Count>(conn)?.first().map_or(0, |c| c.n);
    let sort = Sort {
        field: SortField::Name,
        descending,
    };
    let (items, next) = page_rows(
        conn,
        (tenant_id, generation),
        filter,
        sort,
        (0, page_size),
        after,
        total,
        now,
    )?;
    let page = Page {
        total,
        page: 1,
        page_size,
        items,
        next_cursor: None,
    };
    Ok((page, next))
}

#[derive(QueryableByName)]
struct NameKey {
    #[diesel(sql_type = Text)]
    name: String,
}

/// The rows of one page (and, in name order, the key of its last row when the page is full).
#[allow(clippy::too_many_arguments)]
fn page_rows(
    conn: &mut DbConnection,
    (tenant_id, generation): (&str, i64),
    filter: &Filter,
    sort: Sort,
    (offset, page_size): (i64, i64),
    after: Option<&After>,
    total: i64,
    now: NaiveDateTime,
) -> Result<(Vec<UserRow>, Option<After>), StoreError> {
    // The total tells the planners what their estimates cannot: a page of a broad filter is
    // found fastest by walking the name index until it fills, but a narrow one (a few admins)
    // would walk most of the index; then `|| ''` hides the index so the filter runs first and
    // only its matches are sorted. Same order either way.
    let narrow = total <= NARROW_PER_ROW * (offset + page_size).max(100);
    let name = if narrow {
        "(LOWER(u.name) || '')"
    } else {
        "LOWER(u.name)"
    };
    let drive = if narrow { Drive::Scope } else { Drive::Users };
    let mut rows = Sql::for_conn(conn);
    rows.push(ROW_COLUMNS);
    from_where(&mut rows, tenant_id, generation, filter, drive, now);
    if let Some(after) = after {
        // The same tie-break as `order_by`: account ids ascending in both directions.
        let beyond = if sort.descending { " < " } else { " > " };
        rows.push(" AND (LOWER(u.name)")
            .push(beyond)
            .bind(Bind::Text(after.name.clone()))
            .push(" OR (LOWER(u.name) = ")
            .bind(Bind::Text(after.name.clone()))
            .push(" AND u.account_id > ")
            .bind(Bind::Text(after.account_id.clone()))
            .push("))");
    }
    rows.push(&order_by(sort, name))
        .push(" LIMIT ")
        .bind(Bind::Int(page_size))
        .push(" OFFSET ")
        .bind(Bind::Int(offset));
    let base = rows.load::<Base>(conn)?;
    let last = match base.last() {
        Some(last)
            if sort.field == SortField::Name && i64::try_from(base.len()) == Ok(page_size) =>
        {
            let mut key = Sql::for_conn(conn);
            key.push("SELECT LOWER(u.name) AS name FROM org_users u WHERE u.tenant_id = ")
                .bind(Bind::Text(tenant_id.to_owned()))
                .push(" AND u.generation = ")
                .bind(Bind::Int(generation))
                .push(" AND u.account_id = ")
                .bind(Bind::Text(last.account_id.clone()));
            key.load::<NameKey>(conn)?.pop().map(|k| After {
                name: k.name,
                account_id: last.account_id.clone(),
            })
        }
        _ => None,
    };
    let items = enrich(conn, tenant_id, generation, filter, base, None)?;
    Ok((items, last))
}

/// ` ORDER BY …` of `sort` over `org_users u`, ties broken by account id; `name` is the
/// expression the name is sorted by.
pub(crate) fn order_by(sort: Sort, name: &str) -> String {
    let direction = if sort.descending { "DESC" } else { "ASC" };
    let key = match sort.field {
        SortField::Name => format!("{name} {direction}"),
        SortField::Email => format!("LOWER(u.email) {direction} NULLS LAST"),
        SortField::LastActive => {
            let nulls = if sort.descending { "LAST" } else { "FIRST" };
            format!("u.last_active {direction} NULLS {nulls}")
        }
        SortField::Status => format!("u.status {direction}"),
    };
    format!(" ORDER BY {key}, u.account_id ASC")
}

/// Every account id matching `filter` ("select all N matching").
pub fn matching_account_ids(
    conn: &mut DbConnection,
    tenant_id: &str,
    generation: i64,
    filter: &Filter,
    now: NaiveDateTime,
) -> Result<Vec<String>, StoreError> {
    let mut sql = Sql::for_conn(conn);
    sql.push("SELECT u.account_id");
    from_where(&mut sql, tenant_id, generation, filter, Drive::Scope, now);
    sql.push(" ORDER BY u.account_id");
    Ok(sql
        .load::<Id>(conn)?
        .into_iter()
        .map(|r| r.account_id)
        .collect())
}

/// The rows of these users (in the given order of the database), enriched.
pub(crate) fn search_ids(
    conn: &mut DbConnection,
    tenant_id: &str,
    generation: i64,
    ids: &[String],
    filter: &Filter,
    now: NaiveDateTime,
) -> Result<Vec<UserRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows = Sql::for_conn(conn);
    rows.push(ROW_COLUMNS);
    from_where(&mut rows, tenant_id, generation, filter, Drive::Users, now);
    rows.push(" AND u.account_id IN ")
        .bind_list(ids.iter().map(String::as_str));
    let base = rows.load::<Base>(conn)?;
    enrich(conn, tenant_id, generation, filter, base, None)
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
fn enrich(
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
    let scoped = !filter.products.is_empty() || !filter.sites.is_empty();
    Ok(base
        .into_iter()
        .map(|b| {
            let products = products.remove(&b.account_id).unwrap_or_default();
            let mut sites: Vec<String> = products.iter().map(|p| p.site_id.clone()).collect();
            sites.sort();
            sites.dedup();
            let last_active = if scoped {
                products
                    .iter()
                    .filter(|p| in_scope(filter, p))
                    .filter_map(|p| p.last_active)
                    .max()
            } else {
                b.last_active.map(|t| t.and_utc())
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

fn in_scope(filter: &Filter, p: &UserProduct) -> bool {
    (filter.sites.is_empty() || filter.sites.contains(&p.site_id))
        && (filter.products.is_empty()
            || filter.products.iter().any(|f| {
                f.product_key == p.product_key && f.site_id.as_ref().is_none_or(|s| *s == p.site_id)
            }))
}

//! The user list: a filter, a sort and a page, with the total.

use chrono::NaiveDateTime;
use diesel::sql_types::{BigInt, Text};
use diesel::QueryableByName;
use orgwarden_ids::TenantId;
use serde::{Deserialize, Serialize};

use super::filter::Filter;
use super::places::{scoped_last_active, Places};
use super::rows::{enrich, Base, UserRow, ROW_COLUMNS};
use super::scope_clause::usable_pair;
use super::where_clause::{self, from_where, Drive};
use crate::sql::{Bind, Sql};
use crate::{DbConnection, StoreError};

/// Columns the list sorts by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Sort {
    /// The column.
    #[serde(default)]
    pub field: SortField,
    /// Descending instead of ascending.
    #[serde(default)]
    pub descending: bool,
}

/// A page of users.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
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

/// A filter matching at most this many users per row of `offset + page_size` counts as narrow.
const NARROW_PER_ROW: i64 = 20;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
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
    tenant_id: &TenantId,
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
    tenant_id: &TenantId,
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
    // Sorted by the use of the filter's one product on one site: its access rows, in order.
    let by_pair_activity = sort.field == SortField::LastActive && usable_pair(filter).is_some();
    let drive = if narrow || by_pair_activity {
        Drive::Scope
    } else {
        Drive::Users
    };
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
    let mirror = (tenant_id, generation);
    order_by(&mut rows, sort, name, (mirror, filter), by_pair_activity);
    rows.push(" LIMIT ")
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

/// Pushes ` ORDER BY …` of `sort` over `org_users u` matching `filter` in `mirror`, ties broken
/// by account id; `name` is the expression the name is sorted by. "Last active" is where the
/// filter judges activity ([`Places`]), as the rows show it: with `pair_joined`, the access row
/// `a` of the filter's one product on one site.
pub(crate) fn order_by(
    sql: &mut Sql,
    sort: Sort,
    name: &str,
    (mirror, filter): ((&str, i64), &Filter),
    pair_joined: bool,
) {
    let direction = if sort.descending { "DESC" } else { "ASC" };
    sql.push(" ORDER BY ");
    let nulls = match sort.field {
        SortField::Name => {
            sql.push(name);
            ""
        }
        SortField::Email => {
            sql.push("LOWER(u.email)");
            " NULLS LAST"
        }
        SortField::LastActive => {
            if pair_joined {
                sql.push("a.last_active");
            } else if let Some(places) = Places::of(filter) {
                scoped_last_active(sql, mirror, places);
            } else {
                sql.push("u.last_active");
            }
            if sort.descending {
                " NULLS LAST"
            } else {
                " NULLS FIRST"
            }
        }
        SortField::Status => {
            sql.push("u.status");
            ""
        }
    };
    sql.push(" ")
        .push(direction)
        .push(nulls)
        .push(", u.account_id ASC");
}

/// Every account id matching `filter` ("select all N matching").
pub fn matching_account_ids(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
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

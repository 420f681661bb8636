//! Reading an export's users a chunk at a time in account-id order by keyset, and the order of
//! their account ids in the user browser's sort.

use chrono::NaiveDateTime;

use super::filter::Filter;
use super::hydrate::Catalog;
use super::rows::{load_rows, UserRow, ROW_COLUMNS};
use super::search::{order_by, Id, Sort};
use super::where_clause::{from_where, Drive};
use crate::sql::{Bind, Sql};
use crate::{DbConnection, StoreError};

/// Users per chunk in account-id order: one query for the users and one each for their access
/// and memberships, read as id ranges.
const CHUNK: usize = 2000;

/// Reads the chunks of one export.
pub(crate) struct ChunkReader<'a> {
    /// Tenant and generation.
    pub(crate) mirror: (&'a str, i64),
    /// Which users.
    pub(crate) filter: &'a Filter,
    /// Group names and roles, read once.
    pub(crate) catalog: &'a Catalog,
    /// The time inactivity is measured at.
    pub(crate) now: NaiveDateTime,
}

impl ChunkReader<'_> {
    /// In account-id order, by keyset.
    pub(crate) fn by_account_id<E: From<StoreError>>(
        &self,
        conn: &mut DbConnection,
        only: Option<&[String]>,
        mut each: impl FnMut(Vec<UserRow>) -> Result<(), E>,
    ) -> Result<usize, E> {
        let (filter, now) = (self.filter, self.now);
        // With no filter, a chunk is every user of its id range: hydrate it by range.
        let dense = only.is_none() && *filter == Filter::default();
        let mut after: Option<String> = None;
        let mut visited = 0;
        loop {
            let mut sql = matching(conn, ROW_COLUMNS, self.mirror, filter, only, now);
            if let Some(after) = &after {
                sql.push(" AND u.account_id > ")
                    .bind(Bind::Text(after.clone()));
            }
            sql.push(" ORDER BY u.account_id LIMIT ")
                .bind(Bind::Int(i64::try_from(CHUNK).unwrap_or(i64::MAX)));
            let rows = load_rows(conn, self.mirror, filter, sql, self.catalog, dense)?;
            let Some(last) = rows.last().map(|r| r.account_id.clone()) else {
                return Ok(visited);
            };
            let full = rows.len() >= CHUNK;
            visited += rows.len();
            each(rows)?;
            if !full {
                return Ok(visited);
            }
            after = Some(last);
        }
    }
}

/// The account ids [`scan`](super::scan) visits, in `sort`'s order (the user browser's), read
/// in the same snapshot as the scan so that both list the same users.
pub fn sorted_account_ids(
    conn: &mut DbConnection,
    mirror: (&str, i64),
    filter: &Filter,
    only: Option<&[String]>,
    sort: Sort,
    now: NaiveDateTime,
) -> Result<Vec<String>, StoreError> {
    if only.is_some_and(<[String]>::is_empty) {
        return Ok(Vec::new());
    }
    let mut sql = matching(conn, "SELECT u.account_id", mirror, filter, only, now);
    order_by(&mut sql, sort, "LOWER(u.name)", (mirror, filter), false);
    Ok(sql
        .load::<Id>(conn)?
        .into_iter()
        .map(|r| r.account_id)
        .collect())
}

/// `columns` (a `SELECT` list of `org_users u`) of the users matching `filter`, among `only`
/// when given; the caller adds the order.
fn matching(
    conn: &DbConnection,
    columns: &str,
    (tenant_id, generation): (&str, i64),
    filter: &Filter,
    only: Option<&[String]>,
    now: NaiveDateTime,
) -> Sql {
    let mut sql = Sql::for_conn(conn);
    sql.push(columns);
    from_where(&mut sql, tenant_id, generation, filter, Drive::Users, now);
    if let Some(ids) = only {
        sql.push(" AND u.account_id IN ")
            .bind_list(ids.iter().map(String::as_str));
    }
    sql
}

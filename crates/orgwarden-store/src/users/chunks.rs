//! Reading an export's users a chunk at a time: in account-id order by keyset, or in the user
//! browser's order (a cursor on PostgreSQL; the sorted account ids alone on SQLite).

use std::collections::HashMap;

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

/// Users per chunk in the browser's order, whose access and memberships are read by id lists:
/// larger chunks spread each list query's fixed cost (PostgreSQL, 100,000 users: 3.3 s at 2,000,
/// 2.65 s at 5,000, still about 11 MiB of memory).
const SORTED_CHUNK: usize = 5000;

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
        let ((tenant_id, generation), filter, now) = (self.mirror, self.filter, self.now);
        // With no filter, a chunk is every user of its id range: hydrate it by range.
        let dense = only.is_none() && *filter == Filter::default();
        let mut after: Option<String> = None;
        let mut visited = 0;
        loop {
            let mut sql = Sql::for_conn(conn);
            sql.push(ROW_COLUMNS);
            from_where(&mut sql, tenant_id, generation, filter, Drive::Users, now);
            if let Some(ids) = only {
                sql.push(" AND u.account_id IN ")
                    .bind_list(ids.iter().map(String::as_str));
            }
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

    /// The users in the browser's order. On PostgreSQL a cursor sorts them once and hands them
    /// over a chunk at a time, inside a transaction (a savepoint of the export's snapshot).
    pub(crate) fn sorted<E: From<StoreError>>(
        &self,
        conn: &mut DbConnection,
        only: Option<&[String]>,
        sort: Sort,
        mut each: impl FnMut(Vec<UserRow>) -> Result<(), E>,
    ) -> Result<usize, E> {
        if !matches!(conn, DbConnection::Pg(_)) {
            return self.sorted_ids(conn, only, sort, each);
        }
        crate::transaction(conn, |conn| {
            let mut declare = Sql::for_conn(conn);
            declare.push("DECLARE export_rows NO SCROLL CURSOR FOR ");
            self.matching(&mut declare, ROW_COLUMNS, only, sort);
            declare.execute(conn)?;
            let mut visited = 0;
            loop {
                let mut fetch = Sql::for_conn(conn);
                fetch.push(&format!("FETCH {SORTED_CHUNK} FROM export_rows"));
                let rows = load_rows(conn, self.mirror, self.filter, fetch, self.catalog, false)?;
                let full = rows.len() >= SORTED_CHUNK;
                visited += rows.len();
                if !rows.is_empty() {
                    each(rows)?;
                }
                if !full {
                    break;
                }
            }
            let mut close = Sql::for_conn(conn);
            close.push("CLOSE export_rows");
            close.execute(conn)?;
            Ok(visited)
        })
    }

    /// `columns` of the matching users (or of `only`) in `sort`'s order.
    fn matching(&self, sql: &mut Sql, columns: &str, only: Option<&[String]>, sort: Sort) {
        let (tenant_id, generation) = self.mirror;
        sql.push(columns);
        from_where(
            sql,
            tenant_id,
            generation,
            self.filter,
            Drive::Users,
            self.now,
        );
        if let Some(ids) = only {
            sql.push(" AND u.account_id IN ")
                .bind_list(ids.iter().map(String::as_str));
        }
        sql.push(&order_by(sort, "LOWER(u.name)"));
    }

    /// The users in the browser's order on SQLite (no cursors): the matching account ids are
    /// sorted once (the only part held whole, about 50 bytes a user), then hydrated a chunk at
    /// a time.
    fn sorted_ids<E: From<StoreError>>(
        &self,
        conn: &mut DbConnection,
        only: Option<&[String]>,
        sort: Sort,
        mut each: impl FnMut(Vec<UserRow>) -> Result<(), E>,
    ) -> Result<usize, E> {
        let (tenant_id, generation) = self.mirror;
        let mut sql = Sql::for_conn(conn);
        self.matching(&mut sql, "SELECT u.account_id", only, sort);
        let ids: Vec<String> = sql
            .load::<Id>(conn)?
            .into_iter()
            .map(|r| r.account_id)
            .collect();
        let everyone = Filter::default();
        for chunk in ids.chunks(SORTED_CHUNK) {
            let mut rows = Sql::for_conn(conn);
            rows.push(ROW_COLUMNS);
            from_where(
                &mut rows,
                tenant_id,
                generation,
                &everyone,
                Drive::Users,
                self.now,
            );
            rows.push(" AND u.account_id IN ")
                .bind_list(chunk.iter().map(String::as_str));
            let position: HashMap<&str, usize> = chunk
                .iter()
                .enumerate()
                .map(|(i, id)| (id.as_str(), i))
                .collect();
            let mut rows = load_rows(conn, self.mirror, self.filter, rows, self.catalog, false)?;
            rows.sort_by_key(|r| position.get(r.account_id.as_str()).copied());
            each(rows)?;
        }
        Ok(ids.len())
    }
}

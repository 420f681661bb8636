//! Streaming a filter's users a chunk at a time in account-id order, so exports of 100,000 users
//! keep memory flat, and the order the user browser's sort puts them in (the server puts an
//! export in that order itself; `chunks` says how each is read).

use chrono::NaiveDateTime;

use super::chunks::ChunkReader;
use super::filter::Filter;
use super::hydrate::Catalog;
use super::rows::UserRow;
use crate::{DbConnection, StoreError};

/// Calls `each` with successive chunks of the users matching `filter` (or only `only`, when
/// given) in account-id order; returns how many users were visited. An error of `each` stops
/// the scan and comes back as it was.
pub fn scan<E: From<StoreError>>(
    conn: &mut DbConnection,
    mirror: (&str, i64),
    filter: &Filter,
    only: Option<&[String]>,
    now: NaiveDateTime,
    each: impl FnMut(Vec<UserRow>) -> Result<(), E>,
) -> Result<usize, E> {
    if only.is_some_and(<[String]>::is_empty) {
        return Ok(0);
    }
    let (tenant_id, generation) = mirror;
    let catalog = Catalog::load(conn, tenant_id, generation)?;
    let reader = ChunkReader {
        mirror,
        filter,
        catalog: &catalog,
        now,
    };
    reader.by_account_id(conn, only, each)
}

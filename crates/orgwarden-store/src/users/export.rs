//! Streaming a filter's users a chunk at a time, so exports of 100,000 users keep memory flat,
//! in account-id order or in the user browser's (how: `chunks`); the server writes each format.

use chrono::NaiveDateTime;

use super::chunks::ChunkReader;
use super::filter::Filter;
use super::hydrate::Catalog;
use super::rows::UserRow;
use super::search::Sort;
use crate::{DbConnection, StoreError};

/// The order an export lists users in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportOrder {
    /// By account id: the fastest (a chunk of an unfiltered export is read as one id range).
    AccountId,
    /// The user browser's sort.
    Browser(Sort),
}

/// Calls `each` with successive chunks of the users matching `filter` (or only `only`, when
/// given) in `order`; returns how many users were visited. An error of `each` stops the scan
/// and comes back as it was.
pub fn scan<E: From<StoreError>>(
    conn: &mut DbConnection,
    mirror: (&str, i64),
    filter: &Filter,
    only: Option<&[String]>,
    order: ExportOrder,
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
    match order {
        ExportOrder::AccountId => reader.by_account_id(conn, only, each),
        ExportOrder::Browser(sort) => reader.sorted(conn, only, sort, each),
    }
}

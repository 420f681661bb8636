//! One page of an operation's steps, for its detail page: `GET /api/v1/operations/{id}/steps`.
//! The whole list is `…/results` (a download); an operation's page shows 50 steps at a time of
//! up to 300,000, so it reads them a page at a time.

use actix_web::web;
use orgwarden_store::operations::{self, Item, ItemState};
use orgwarden_store::{snapshot, DbConnection};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::results::ResultItem;
use super::steps_mirror::StepsMirror;
use super::views::no_such_operation;
use crate::access::Reader;
use crate::db;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// Ledger rows read at a time while a page for a limited admin is filled with steps of users
/// they may see.
const SCAN: i64 = 2_000;
/// Ledger rows one request reads at most for a limited admin: a page may then hold fewer steps
/// than asked, and its cursor goes on from where the reading stopped.
const MOST_READ: i64 = 20_000;

/// Which steps, from where.
#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
pub struct StepsQuery {
    /// Only steps in this state: `pending`, `in_flight`, `done`, `skipped`, `failed` or
    /// `would_act` (a dry run's `wouldAct` and `skip` are read as `would_act` and `skipped`).
    pub outcome: Option<String>,
    /// The `nextCursor` of the previous page (start without it).
    pub cursor: Option<String>,
    /// Steps per page, 1–500 (default 50).
    pub limit: Option<i64>,
}

/// A page of steps in plan order.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StepsPage {
    /// The steps, with their users' names from the last sync.
    pub items: Vec<ResultItem>,
    /// Pass as `cursor` for the next page; absent after the last. A limited admin's page may
    /// hold fewer steps than asked and still have a next one (at most 20,000 steps of the
    /// ledger are read per request).
    pub next_cursor: Option<String>,
}

/// The query's state, plan position and page size, checked.
fn parse(query: &StepsQuery) -> Result<(Option<ItemState>, i32, i64), ApiError> {
    let state = match query.outcome.as_deref() {
        None | Some("") => None,
        // A dry run's words for its outcomes, as this endpoint answers them.
        Some("wouldAct") => Some(ItemState::WouldAct),
        Some("skip") => Some(ItemState::Skipped),
        Some(text) => Some(text.parse::<ItemState>().map_err(|_| {
            ApiError::invalid(
                "outcome",
                "must be pending, in_flight, done, skipped, failed or would_act \
                 (wouldAct or skip for a dry run)",
            )
        })?),
    };
    let from = match query.cursor.as_deref() {
        None => 0,
        Some(text) => text
            .parse::<i32>()
            .ok()
            .filter(|from| *from >= 0)
            .ok_or_else(|| {
                ApiError::invalid("cursor", "is not a cursor this endpoint gave; start again")
            })?,
    };
    let limit = query.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::invalid("limit", "must be between 1 and 500"));
    }
    Ok((state, from, limit))
}

/// What a limited admin's page keeps of the steps read: [`StepsMirror::keep_shown`].
type Keep<'a> = &'a dyn Fn(&mut DbConnection, Vec<Item>) -> Result<Vec<Item>, ApiError>;

/// Up to `limit` steps of the operation from plan position `from` in `state` that `shown` keeps
/// of each batch read (all when `None`; else at most [`MOST_READ`] rows are read), and where the
/// next page starts (`None` when no such step follows).
fn steps_from(
    conn: &mut DbConnection,
    (tenant_id, operation_id): (&orgwarden_ids::TenantId, i64),
    (state, mut from, limit): (Option<ItemState>, i32, i64),
    shown: Option<Keep<'_>>,
) -> Result<(Vec<Item>, Option<i32>), ApiError> {
    let scan = if shown.is_some() { SCAN } else { limit + 1 };
    let (mut kept, mut read): (Vec<Item>, i64) = (Vec::new(), 0);
    loop {
        if read >= MOST_READ {
            return Ok((kept, Some(from)));
        }
        let page = operations::items_page(conn, tenant_id, operation_id, (from, state), scan)?;
        read += scan;
        let ended = i64::try_from(page.len()).unwrap_or(i64::MAX) < scan;
        let Some(last) = page.last().map(|item| item.seq) else {
            return Ok((kept, None));
        };
        from = last + 1;
        let page = match shown {
            Some(keep) => keep(conn, page)?,
            None => page,
        };
        for item in page {
            // The page is full and another step follows: the next page starts with it.
            if kept.len() as i64 == limit {
                return Ok((kept, Some(item.seq)));
            }
            kept.push(item);
        }
        if ended {
            return Ok((kept, None));
        }
    }
}

/// A page of an operation's steps with their outcomes, in plan order, filterable by outcome
/// (a limited admin sees the steps of users they may see, as in the results; a task's dry run
/// words its outcomes `wouldAct` or `skip`, as the run's detail does).
#[utoipa::path(operation_id = "operation_steps", get, path = "/api/v1/operations/{id}/steps", tag = "operations", security(("connect_jwt" = [])),
    params(("id" = i64, Path, description = "Operation id"), StepsQuery),
    responses((status = 200, body = StepsPage), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn steps(
    caller: Reader,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    query: web::Query<StepsQuery>,
) -> Result<web::Json<StepsPage>, ApiError> {
    let wanted = parse(&query)?;
    let id = path.into_inner();
    let (tenant, within, me) = (
        caller.tenant.client_key.clone(),
        caller.access.scope.clone(),
        caller.account_id.clone(),
    );
    let page = db::try_run(&state.db, move |conn| {
        snapshot::in_snapshot(conn, |conn| -> Result<StepsPage, ApiError> {
            let operation = operations::find(conn, &tenant, id)?.ok_or_else(no_such_operation)?;
            let mirror = StepsMirror::read(conn, &tenant, within.as_deref())?;
            if !mirror.reads(conn, &operation, me.as_str())? {
                return Err(no_such_operation());
            }
            let keep = |conn: &mut DbConnection, items| mirror.keep_shown(conn, &tenant, items);
            let shown = (!mirror.shows_all()).then_some(&keep as Keep<'_>);
            let (items, next) = steps_from(conn, (&tenant, id), wanted, shown)?;
            let mut items = mirror.named(conn, &tenant, items)?;
            if operation.dry_run {
                for step in &mut items {
                    step.outcome = step.outcome.as_dry_run();
                }
            }
            Ok(StepsPage {
                items,
                next_cursor: next.map(|seq| seq.to_string()),
            })
        })
    })
    .await?;
    Ok(web::Json(page))
}

#[cfg(test)]
mod tests {
    use orgwarden_store::operations::Outcome;
    use orgwarden_store::testing::{fresh_database, installed, planned_operation, suspend_step};
    use orgwarden_store::Backend;

    use super::*;

    #[test]
    fn a_limited_admins_page_reads_so_many_rows_at_most_and_goes_on_from_there() {
        let fresh = fresh_database(Backend::Sqlite);
        let mut conn = fresh.db.get().unwrap();
        let tenant = installed(&mut conn, "t");
        let steps = MOST_READ as usize + 5_000;
        let plan: Vec<_> = (0..steps)
            .map(|i| suspend_step(format!("u{i}"), Outcome::Skip, String::new()))
            .collect();
        let id = planned_operation(&mut conn, &tenant, "557058:steps", &plan);
        let accounts = |items: &[Item]| -> Vec<String> {
            items.iter().map(|i| i.account_id.to_string()).collect()
        };

        // Only the last step's user is theirs: the first request stops reading, empty-handed.
        let last = format!("u{}", steps - 1);
        let theirs = |_: &mut DbConnection, items: Vec<Item>| -> Result<Vec<Item>, ApiError> {
            Ok(items
                .into_iter()
                .filter(|item| item.account_id.as_str() == last)
                .collect())
        };
        let (first, next) =
            steps_from(&mut conn, (&tenant, id), (None, 0, 50), Some(&theirs)).unwrap();
        assert!(first.is_empty());
        let from = next.expect("a cursor to go on from");
        assert_eq!(from, i32::try_from(MOST_READ).unwrap());
        let (second, next) =
            steps_from(&mut conn, (&tenant, id), (None, from, 50), Some(&theirs)).unwrap();
        assert_eq!(
            (accounts(&second), next),
            (vec![format!("u{}", steps - 1)], None)
        );

        // Someone who sees everyone gets full pages, each from where the last ended.
        let (page, next) = steps_from(&mut conn, (&tenant, id), (None, 0, 50), None).unwrap();
        assert_eq!(
            accounts(&page),
            (0..50).map(|i| format!("u{i}")).collect::<Vec<_>>()
        );
        assert_eq!(next, Some(50));
        let end = i32::try_from(steps).unwrap() - 50;
        let (page, next) = steps_from(&mut conn, (&tenant, id), (None, end, 50), None).unwrap();
        assert_eq!((page.len(), next), (50, None));
        let skipped = Some(ItemState::Skipped);
        let (page, _) = steps_from(
            &mut conn,
            (&tenant, id),
            (Some(ItemState::Done), 0, 50),
            None,
        )
        .unwrap();
        assert!(page.is_empty());
        let (page, _) = steps_from(&mut conn, (&tenant, id), (skipped, 0, 50), None).unwrap();
        assert_eq!(page.len(), 50);
    }
}

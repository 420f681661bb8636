//! The outbox's backlog for the metrics: how many deliveries wait, and since when the oldest
//! due one is due (one aggregate over the `(state, next_attempt_at)` index).

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, min};
use diesel::prelude::*;

use super::DeliveryState;
use crate::schema::webhook_deliveries;
use crate::{DbConnection, StoreError};

/// Deliveries still pending (due or waiting for a retry), and the earliest `next_attempt_at`
/// among them.
pub fn backlog(conn: &mut DbConnection) -> Result<(i64, Option<NaiveDateTime>), StoreError> {
    Ok(webhook_deliveries::table
        .filter(webhook_deliveries::state.eq(DeliveryState::Pending))
        .select((count_star(), min(webhook_deliveries::next_attempt_at)))
        .first(conn)?)
}

//! Text enums bind and read back as the very text stored before they existed, on each backend.
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::Text;
use orgwarden_store::operations::exemptions::ExemptionKind;
use orgwarden_store::operations::{ItemState, Op, RunState};
use orgwarden_store::sync_runs::{SyncKind, SyncMode, SyncRunState};
use orgwarden_store::tenants::TenantState;
use orgwarden_store::testing::fresh_database;
use orgwarden_store::webhooks::outbox::DeliveryState;
use orgwarden_store::Backend;

use orgwarden_store::on_both_backends;

on_both_backends!(sync: every_enum_round_trips);

/// Binds every value of `$ty`, reads it back as text and as the enum, and reads the literal
/// text as the enum.
macro_rules! round_trip {
    ($conn:expr, $ty:ty) => {
        for &value in <$ty>::ALL {
            let text: String = diesel::select(value.into_sql::<Text>())
                .get_result($conn)
                .unwrap();
            assert_eq!(text, value.as_str());
            let back: $ty = diesel::select(value.into_sql::<Text>())
                .get_result($conn)
                .unwrap();
            assert_eq!(back, value);
            let literal = format!("'{value}'");
            let read: $ty = diesel::select(sql::<Text>(&literal))
                .get_result($conn)
                .unwrap();
            assert_eq!(read, value);
        }
    };
}

fn every_enum_round_trips(backend: Backend) {
    let test = fresh_database(backend);
    let mut conn = test.db.get().unwrap();
    round_trip!(&mut conn, ItemState);
    round_trip!(&mut conn, RunState);
    round_trip!(&mut conn, Op);
    round_trip!(&mut conn, SyncKind);
    round_trip!(&mut conn, SyncRunState);
    round_trip!(&mut conn, SyncMode);
    round_trip!(&mut conn, DeliveryState);
    round_trip!(&mut conn, TenantState);
    round_trip!(&mut conn, ExemptionKind);
    let unknown: Result<RunState, _> =
        diesel::select(sql::<Text>("'paused'")).get_result(&mut conn);
    let err = unknown.expect_err("unknown text is an error");
    let chain: Vec<String> =
        std::iter::successors(Some(&err as &dyn std::error::Error), |e| e.source())
            .map(ToString::to_string)
            .collect();
    assert!(
        chain
            .iter()
            .any(|m| m == "`paused` is not a known RunState"),
        "{chain:?}"
    );
}

//! The jobs crate's integration tests, linked into one binary: one file per
//! suite below, shared helpers in the support modules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;
mod operations_support;
mod sync_support;

mod dashboard;
mod filters;
mod license;
mod license_gate;
mod metrics;
mod operations;
mod operations_durability;
mod postgres;
mod sqlite;
mod sync;
mod sync_incremental;
mod tasks;
mod tasks_guards;
mod webhooks;

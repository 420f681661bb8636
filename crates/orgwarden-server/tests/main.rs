//! The server crate's integration tests, linked into one binary: one file per
//! suite below, shared helpers in the support modules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod access_support;
mod audit_support;
mod bulk_support;
mod common;
mod conformance;
mod operations_support;
mod processes_support;
mod webhooks_support;

mod access;
mod access_keys;
mod access_limits;
mod audit;
mod audit_chain;
mod audit_details;
mod audit_scope;
mod cluster;
mod csv_safety;
mod database_busy;
mod fairness;
mod hardening;
mod license_api;
mod lifecycle;
mod lifecycle_pause;
mod metrics;
mod operations_api;
mod operations_cancel;
mod operations_crash;
mod postgres_restart;
mod preview_bounds;
mod results_pages;
mod secrets;
mod security;
mod single_process;
mod slow_exports;
mod surface;
mod sync_command;
mod sync_crash;
mod tasks_api;
mod tasks_once;
mod tasks_processes;
mod users_files;
mod webhook_log;
mod webhooks;

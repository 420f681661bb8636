//! The store crate's integration tests, linked into one binary: one file per
//! suite below, shared helpers in `common`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod audit;
mod audit_carried;
mod audit_forms;
mod audit_heads;
mod audit_pages;
mod audit_seals;
mod connection_settings;
mod migrations;
mod secrets;
mod settings;
mod tenant_leases;
mod tenants;
mod text_enums;
mod transactions;
mod webhook_outbox;

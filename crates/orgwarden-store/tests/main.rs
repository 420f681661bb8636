//! The store crate's integration tests, linked into one binary: one file per
//! suite below.

mod audit;
mod connection_settings;
mod migrations;
mod secrets;
mod settings;
mod tenants;

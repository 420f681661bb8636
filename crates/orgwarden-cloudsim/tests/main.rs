//! The cloudsim crate's integration tests, linked into one binary: one file per
//! suite below, shared helpers in the support modules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

mod admin_groups;
mod admin_lifecycle;
mod admin_orgs;
mod admin_users;
mod connect;
mod control;
mod generator;
mod limits;

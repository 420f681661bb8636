//! The atlassian crate's integration tests, linked into one binary: one file per
//! suite below, shared helpers in the support modules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod admin_support;

mod admin_errors;
mod admin_limits;
mod admin_paging;
mod admin_retry;
mod jira_retry;

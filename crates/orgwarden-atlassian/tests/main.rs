//! The atlassian crate's integration tests, linked into one binary: one file per
//! suite below, shared helpers in the support modules.

mod admin_support;

mod admin_errors;
mod admin_limits;
mod admin_paging;
mod admin_retry;

//! The connect crate's integration tests, linked into one binary: one file per
//! suite below, shared helpers in the support modules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

mod descriptor;
mod install_keys;
mod interop;
mod lifecycle;
mod properties;
mod rs256;
mod security_hs256;
mod security_install;
mod tokens;
mod vectors;

#![doc = include_str!("../README.md")]

mod access;
pub mod api;
mod app;
mod audit_log;
mod auth;
mod background;
mod config;
mod db;
mod demo;
mod error;
mod error_code;
mod export_slots;
mod lifecycle;
mod openapi;
mod ops;
mod pages;
mod purge;
mod retention;
mod security_headers;
mod state;
mod sync_command;
mod telemetry;
mod tenant_cache;

pub use access::{Caller, Policy};
pub use app::{build_state, configure, http_server, MISSING_MASTER_KEY};
pub use background::Jobs;
pub use config::Config;
pub use demo::{run as run_demo, DemoArgs};
pub use error::{ApiError, ErrorBody, ErrorCode, ErrorEnvelope};
pub use openapi::{document_json, ApiDoc};
pub use purge::purge_due;
pub use retention::Retention;
pub use security_headers::{SecurityHeaders, ATLASSIAN_ALL_JS};
pub use state::AppState;
pub use sync_command::{run as run_sync_command, SyncArgs};
pub use telemetry::{init_logging, redacted_path};

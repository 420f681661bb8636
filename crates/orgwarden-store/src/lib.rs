#![doc = include_str!("../README.md")]

pub mod access;
pub mod audit;
mod cipher;
mod connection;
mod error;
pub mod license_states;
pub mod mirror;
pub mod operations;
pub mod org_connections;
mod purge;
pub mod retention;
pub mod saved_filters;
mod schema;
mod secrets_upgrade;
pub mod settings;
pub mod snapshot;
mod sql;
pub mod sync_runs;
pub mod tasks;
pub mod tenant_leases;
pub mod tenants;
mod text_enum;
mod transaction;
pub mod users;
pub mod webhooks;
mod writer_connection;

pub use cipher::{Cipher, CipherError, SecretSlot};
pub use connection::{Backend, Database, DbConnection, PooledConnection};
pub use error::StoreError;
pub use secrets_upgrade::{check_master_key, upgrade_secrets};
pub use text_enum::UnknownText;
pub use transaction::transaction;
pub use writer_connection::WriterConnection;

#[cfg(feature = "testing")]
#[allow(clippy::expect_used, missing_docs)]
pub mod testing;

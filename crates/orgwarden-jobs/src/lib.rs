#![doc = include_str!("../README.md")]

mod backend;
mod clients;
mod clock;
mod housekeeping;
mod job;
pub mod license;
mod lifecycle;
pub mod metrics;
pub mod operations;
mod outage;
mod queue;
mod reconcile;
pub mod roles;
pub mod sync;
mod sync_job;
pub mod tasks;
pub mod tenant_lease;
pub mod webhooks;
mod workers;

pub use backend::QueueBackend;
pub use clients::AdminClients;
pub use clock::Clock;
pub use housekeeping::housekeeping;
pub use job::Job;
pub use license::{current_license, license_gate, refresh_license, LicenseSettings};
pub use lifecycle::{tenant_standing, TenantStanding};
pub use operations::{reconcile_operations, run_operation, OperationJob};
pub use orgwarden_store::sync_runs::SyncKind;
pub use queue::Queue;
pub use reconcile::every;
pub use sync::{request_sync, run_sync, SyncContext, FULL_SYNC_EVERY_DAYS};
pub use sync_job::{reconcile_syncs, schedule_daily_syncs, SyncJob, SYNC_CONCURRENCY};
pub use tenant_lease::TenantJobContext;
pub use workers::Workers;

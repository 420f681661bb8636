//! The Organization ("Admin") REST API client: typed models, every paging style as a stream,
//! a shared token bucket, retries with backoff, and typed errors that never carry the key.

mod client;
mod config;
mod errors;
mod events;
mod groups;
mod key;
mod lifecycle;
mod limiter;
mod models;
mod orgs;
mod paging;
pub(crate) mod retry;
mod users;

pub use client::{AdminClient, ClientStats};
pub use config::AdminClientConfig;
pub use errors::AdminError;
pub use key::ApiKey;
pub use models::{
    Counts, Directory, DirectoryUser, DirectoryUserStatus, Event, EventActor, EventAttributes,
    EventMessage, EventObject, EventPage, Group, GroupRef, GroupRoleAssignment, GroupSearch,
    LastActiveDates, LastActiveProduct, ManagementAccess, Org, ProductAccess, RoleAssignment,
    SortBy, UserCounts, UserRoleAssignment, UserSearch, Workspace,
};

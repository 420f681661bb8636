//! Typed Admin API payloads. Unknown fields are ignored, `null` reads as empty, and enumerations
//! stay strings so new Atlassian values never break a sync.

pub(crate) mod de;
mod events;
mod groups;
mod orgs;
mod roles;
mod users;

pub(crate) use events::EventPageModel;
pub use events::{Event, EventActor, EventAttributes, EventMessage, EventObject, EventPage};
pub use groups::{Counts, Group, GroupSearch, ManagementAccess};
pub use orgs::{Directory, Org, Workspace};
pub(crate) use orgs::{OrgModel, WorkspaceModel};
pub use roles::{
    GroupRoleAssignment, LastActiveDates, LastActiveProduct, RoleAssignment, UserRoleAssignment,
};
pub use users::{
    DirectoryUser, DirectoryUserStatus, GroupRef, ProductAccess, SortBy, UserCounts, UserSearch,
};

use serde::Deserialize;

/// `{data: …}`, the body of single-object answers.
#[derive(Debug, Deserialize)]
pub(crate) struct Data<T> {
    pub(crate) data: T,
}

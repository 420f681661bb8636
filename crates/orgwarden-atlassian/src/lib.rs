#![doc = include_str!("../README.md")]

mod admin;
mod jira;
pub mod metrics;
mod names;

pub use admin::{
    AdminClient, AdminClientConfig, AdminError, ApiKey, ClientStats, Counts, Directory,
    DirectoryUser, DirectoryUserStatus, Event, EventActor, EventAttributes, EventMessage,
    EventObject, EventPage, Group, GroupRef, GroupRoleAssignment, GroupSearch, LastActiveDates,
    LastActiveProduct, ManagementAccess, Org, ProductAccess, RoleAssignment, SortBy, UserCounts,
    UserRoleAssignment, UserSearch, Workspace,
};
pub use jira::{AddonLicense, ApplicationRole, JiraClient, JiraError, JiraTenant};
pub use names::{product_name, role_words, status_words};

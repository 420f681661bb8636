//! Reading the mirror: filters, the user list, a user's detail, the dashboard counts.

mod admin_roles;
mod chunks;
mod dashboard;
mod detail;
mod export;
mod filter;
mod groups;
mod hydrate;
mod lookup;
mod places;
mod rows;
mod scope_clause;
mod search;
mod where_clause;

pub use admin_roles::{admin_roles, MirrorAdminRoles};
pub use chunks::sorted_account_ids;
pub use dashboard::{dashboard, ProductCounts};
pub use detail::{user_detail, AccessGrant, GrantingGroup, UserDetail, UserGroup, UserProduct};
pub use export::scan;
pub use filter::{AccountType, Filter, FilterError, ProductRef, Role, UserStatus, MAX_LIST};
pub use groups::{groups, GroupInfo};
pub use lookup::{names_of, visible_among, without_access, Directory, Named};
pub(crate) use places::within_rows;
pub use rows::UserRow;
pub use search::{matching_account_ids, search, search_after, After, Page, Sort, SortField};
pub(crate) use where_clause::same_mirror;

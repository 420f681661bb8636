//! Who may use the app (`docs`: README "Access model"): the caller's organization roles from
//! the Admin API (the mirror when it is unreachable), the tenant's App access control, the
//! bootstrap before a key is saved, and API tokens for REST clients.

mod bearer;
mod caller;
mod context;
mod decide;
mod gate;
mod identity;
mod resolve;

pub use caller::{
    Caller, Interactive, KeyAdmin, OrgAdmin, Policy, Reader, Via, WholeReader, WholeWriter, Writer,
};
pub use context::AccessCache;
pub use gate::authorize;

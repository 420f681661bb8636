//! Who may use the app: the access-control settings an organization admin chooses, the API
//! tokens of REST clients, and the standing an operation acts with.

pub mod control;
mod standing;
pub mod tokens;

pub use standing::{Administered, Standing};

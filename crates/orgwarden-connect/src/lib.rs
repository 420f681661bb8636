#![doc = include_str!("../README.md")]

mod claims;
mod descriptor;
mod error;
mod hs256;
mod install;
mod install_keys;
mod lifecycle;
mod qsh;
mod token;

pub use claims::{Audience, Claims, QshPolicy, LEEWAY_SECS};
pub use descriptor::{render_descriptor, DescriptorError, DescriptorVars, DESCRIPTOR_TEMPLATE};
pub use error::JwtError;
pub use hs256::{
    sign_hs256, sign_outgoing, unverified_issuer, verify_hs256, Hs256Token,
    OUTGOING_TOKEN_LIFETIME_SECS,
};
pub use install::{is_valid_kid, sign_rs256, verify_install, InstallKeys};
pub use install_keys::{FetchPolicy, HttpInstallKeys, DEFAULT_INSTALL_KEYS_URL};
pub use lifecycle::{LifecycleError, LifecycleEvent, LifecyclePayload};
pub use qsh::{canonical_request, query_string_hash, QshError, CONTEXT_QSH};
pub use token::MAX_TOKEN_LEN;

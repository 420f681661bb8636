#![doc = include_str!("../README.md")]

mod admin;
mod answer;
mod automation;
mod caller;
mod config;
mod connect;
mod control;
mod events;
mod gate;
mod generator;
mod group_ops;
mod ids;
mod install_signer;
mod limits;
mod model;
mod ops;
mod org;
mod product;
mod server;
mod state;
mod stats;

pub use config::{today_midnight, ApiKey, InstallKey, SimConfig};
pub use generator::{generate, GenConfig};
pub use limits::{FaultKind, FaultSettings};
pub use model::{
    AccountStatus, AccountType, Activity, Group, Membership, Product, RoleGrant, Site, User,
};
pub use org::Org;
pub use server::{build_state, routes, serve, spawn, RunningSim};
pub use state::{Installation, License, Sim};

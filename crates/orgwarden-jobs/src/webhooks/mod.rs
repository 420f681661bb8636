//! Webhook delivery: the SSRF guard, Standard Webhooks signatures, and the worker that drains
//! the outbox (`orgwarden_store::webhooks::outbox`) with retries and per-tenant fairness.

pub mod attempt;
pub mod guard;
pub mod sign;
mod worker;

pub use worker::{run_deliveries, DeliveryContext, Limits};

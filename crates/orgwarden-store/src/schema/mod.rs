//! One portable schema for both backends: Text, BigInt, Integer, Bool, Timestamp only. Tables
//! live beside the others of their concern; the queries that join across concerns are allowed here.

mod audit;
mod deliveries;
mod mirror;
mod tenancy;
mod work;

pub use audit::*;
pub use deliveries::*;
pub use mirror::*;
pub use tenancy::*;
pub use work::*;

diesel::allow_tables_to_appear_in_same_query!(
    mirror_state,
    sites,
    site_products,
    org_users,
    user_access,
    org_groups,
    group_members,
    group_grants,
);

diesel::allow_tables_to_appear_in_same_query!(tenants, org_connections);

diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));

diesel::allow_tables_to_appear_in_same_query!(webhooks, webhook_deliveries, tenants);

diesel::allow_tables_to_appear_in_same_query!(
    tasks,
    tenants,
    tenant_settings,
    saved_filters,
    operations
);

diesel::allow_tables_to_appear_in_same_query!(operations, operation_items);

//! Large mirrors for tests of bounded work: users written straight into a tenant's published
//! generation (a cloudsim sync of 100,000 users takes minutes in a debug build), and this
//! process's resident memory, which includes the in-process server's.
#![allow(dead_code)]

use orgwarden_ids::TenantId;
use orgwarden_store::mirror::{self, search_text_column, NewUser};
use orgwarden_store::Database;

/// Users written per transaction: the fixture never holds more than this many rows, so the
/// memory it frees is small beside what a test measures afterwards.
const USERS_PER_WRITE: usize = 5_000;

/// Adds `count` active, billable users without groups or products to the published mirror of
/// `tenant`, with account ids `{prefix}-000000`, … and emails at `domain(i)`; then refreshes
/// the planners' statistics as a sync does.
pub fn add_users(
    db: &Database,
    tenant: &str,
    prefix: &str,
    count: usize,
    domain: impl Fn(usize) -> &'static str,
) {
    let mut conn = db.get().unwrap();
    let generation = mirror::current(&mut conn, &TenantId::from(tenant))
        .unwrap()
        .expect("the tenant has synced")
        .generation;
    for start in (0..count).step_by(USERS_PER_WRITE) {
        let users = (start..count.min(start + USERS_PER_WRITE))
            .map(|i| {
                let name = format!("Bulk User {i}");
                let email = format!("{prefix}{i}@{}", domain(i));
                NewUser {
                    tenant_id: TenantId::from(tenant.to_owned()),
                    generation,
                    account_id: format!("{prefix}-{i:06}"),
                    search_text: search_text_column(&name, Some(&email)),
                    content_hash: 0,
                    name,
                    email_domain: Some(domain(i).to_owned()),
                    email: Some(email),
                    account_type: "atlassian".to_owned(),
                    status: "active".to_owned(),
                    claim_status: Some("managed".to_owned()),
                    billable: true,
                    org_admin: false,
                    site_admin: false,
                    user_access_admin: false,
                    platform_roles: String::new(),
                    management_source: None,
                    added_to_org: None,
                    last_active: None,
                    products: String::new(),
                }
            })
            .collect();
        mirror::write_new_users(&mut conn, users).unwrap();
    }
    diesel::connection::SimpleConnection::batch_execute(&mut *conn, "ANALYZE").unwrap();
}

fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with(field))
        .unwrap_or_else(|| panic!("{field} in /proc/self/status"));
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Resident memory of this process now (`VmRSS`), in KiB.
pub fn rss_kib() -> u64 {
    status_kib("VmRSS:")
}

/// Peak resident memory of this process (`VmHWM`), in KiB: since the start, or since the last
/// [`reset_peak`].
pub fn peak_kib() -> u64 {
    status_kib("VmHWM:")
}

/// Resets the peak to the current resident memory (Linux: `5` to `/proc/self/clear_refs`).
pub fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("the peak RSS can be reset");
}

/// An HTTP client that opens a new connection for each request: after a long fixture, a pooled
/// connection may have been closed by the server while idle.
pub fn unpooled() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap()
}

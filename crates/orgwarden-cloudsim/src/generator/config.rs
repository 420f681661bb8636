//! What the generator is asked to make: [`GenConfig`].

use chrono::{DateTime, Utc};

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct GenConfig {
    /// Random seed.
    pub seed: u64,
    /// Organization name; its slug names the sites (`acme`, `acme-eng`, …).
    pub org_name: String,
    /// Number of accounts.
    pub users: usize,
    /// Number of sites (at least 1).
    pub sites: usize,
    /// Number of custom groups (besides the default access and admin groups).
    pub groups: usize,
    /// Average number of products per site (1–6).
    pub products_per_site: usize,
    /// Share of accounts never active on any product.
    pub inactive_share: f64,
    /// Share of custom groups synced from an identity provider.
    pub scim_group_share: f64,
    /// "Now" for the generated dates.
    pub anchor: DateTime<Utc>,
}

//! Deterministic organization generator: the same [`GenConfig`] always yields the same [`Org`].
//!
//! Every random choice comes from one ChaCha8 stream seeded with `seed`, consumed in a fixed
//! order: the sites, their default groups, the custom groups, the people, then who is in which
//! group and who administers what. Dates are offsets from `anchor` (midnight UTC of the start day
//! unless given).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::ids::uuid;
use crate::org::Org;

mod config;
mod memberships;
mod names;
mod people;
mod shape;

pub use config::GenConfig;

/// Generates an organization.
pub fn generate(cfg: &GenConfig) -> Org {
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let company = cfg.org_name.trim();
    let company = if company.is_empty() { "Acme" } else { company };
    let slug = slugify(company);
    let org_id = uuid(&mut rng);
    let directory_id = uuid(&mut rng);
    let sites = shape::gen_sites(&mut rng, cfg, &slug);
    let mut org = Org::empty(org_id, company.to_string(), directory_id, cfg.anchor);
    org.domains = vec![format!("{slug}.com")];
    org.sites = sites;
    org.groups = shape::default_groups(&mut rng, &org.sites);
    let custom_start = org.groups.len();
    let custom = shape::custom_groups(&mut rng, cfg, &org.sites);
    org.groups.extend(custom);
    org.users = people::gen_users(&mut rng, cfg, &org);
    memberships::assign_memberships(&mut rng, cfg, &mut org, custom_start);
    org.reindex();
    org
}

/// Lowercase letters, digits and single hyphens (`Acme Corp` → `acme-corp`).
fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "acme".into()
    } else {
        out
    }
}

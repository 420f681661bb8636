//! Deterministic organization generator: the same [`GenConfig`] always yields the same [`Org`].
//!
//! Every random choice comes from one ChaCha8 stream seeded with `seed`, consumed in a fixed
//! order; dates are offsets from `anchor` (midnight UTC of the start day unless given).

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::ids::uuid;
use crate::model::{
    site_ari, Group, Product, RoleGrant, Site, MANAGED_BY_ADMINS, MANAGED_BY_EXTERNAL, PLATFORM,
};
use crate::names;
use crate::org::Org;

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

/// Generation weights: how likely a site has the product, and a user on that site uses it.
fn weights(p: Product) -> (f64, f64) {
    match p {
        Product::JiraSoftware => (0.95, 0.85),
        Product::Confluence => (0.85, 0.8),
        Product::JiraServiceDesk => (0.5, 0.25),
        Product::JiraProductDiscovery => (0.3, 0.2),
        Product::Bitbucket => (0.25, 0.3),
        Product::Compass => (0.15, 0.15),
    }
}

/// Generates an organization.
pub fn generate(cfg: &GenConfig) -> Org {
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let company = cfg.org_name.trim();
    let company = if company.is_empty() { "Acme" } else { company };
    let slug = slugify(company);
    let org_id = uuid(&mut rng);
    let directory_id = uuid(&mut rng);
    let sites = gen_sites(&mut rng, cfg, &slug);
    let mut org = Org::empty(org_id, company.to_string(), directory_id, cfg.anchor);
    org.domains = vec![format!("{slug}.com")];
    org.sites = sites;
    org.groups = default_groups(&mut rng, &org.sites);
    let custom_start = org.groups.len();
    let custom = custom_groups(&mut rng, cfg, &org.sites);
    org.groups.extend(custom);
    org.users = crate::generator_users::gen_users(&mut rng, cfg, &org);
    crate::generator_users::assign_memberships(&mut rng, cfg, &mut org, custom_start);
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

fn gen_sites(rng: &mut ChaCha8Rng, cfg: &GenConfig, slug: &str) -> Vec<Site> {
    let count = cfg.sites.max(1);
    let per_site = cfg.products_per_site.clamp(1, Product::ALL.len());
    (0..count)
        .map(|i| {
            let name = match i {
                0 => slug.to_string(),
                n if n <= names::SITE_SUFFIXES.len() => {
                    format!("{slug}-{}", names::SITE_SUFFIXES[n - 1])
                }
                n => format!("{slug}-{n}"),
            };
            let wanted = if i == 0 {
                per_site
            } else {
                (per_site as i64 + rng.gen_range(-1..=1)).clamp(1, Product::ALL.len() as i64)
                    as usize
            };
            let mut products: Vec<Product> = if i == 0 {
                vec![Product::JiraSoftware]
            } else {
                vec![]
            };
            while products.len() < wanted {
                let candidates: Vec<Product> = Product::ALL
                    .iter()
                    .copied()
                    .filter(|p| !products.contains(p))
                    .collect();
                let Ok(pick) = candidates.choose_weighted(rng, |p| weights(*p).0) else {
                    break;
                };
                products.push(*pick);
            }
            products.sort();
            let days = rng.gen_range(400..2500);
            Site {
                site_id: uuid(rng),
                name,
                products,
                created_at: cfg.anchor - Duration::days(days),
                client_key: uuid(rng),
            }
        })
        .collect()
}

fn group(rng: &mut ChaCha8Rng, name: String, managed_by: &str, at: DateTime<Utc>) -> Group {
    Group {
        id: uuid(rng),
        name,
        description: None,
        managed_by: managed_by.to_string(),
        default_for: None,
        roles: Vec::new(),
        member_ids: BTreeSet::new(),
        created_at: at,
    }
}

/// Per site: `<product>-users-<site>` (default access group), `<product>-admins-<site>`, and
/// `site-admins-<site>`.
fn default_groups(rng: &mut ChaCha8Rng, sites: &[Site]) -> Vec<Group> {
    let mut out = Vec::new();
    for site in sites {
        for p in &site.products {
            let ari = site_ari(p.key(), &site.site_id);
            let mut users = group(
                rng,
                format!("{}-users-{}", p.key(), site.name),
                MANAGED_BY_ADMINS,
                site.created_at,
            );
            users.description = Some(format!(
                "Default access group for {} on {}",
                p.name(),
                site.name
            ));
            users.default_for = Some(ari.clone());
            users.roles.push(RoleGrant {
                resource: ari.clone(),
                role: "atlassian/user".into(),
            });
            out.push(users);
            let mut admins = group(
                rng,
                format!("{}-admins-{}", p.key(), site.name),
                MANAGED_BY_ADMINS,
                site.created_at,
            );
            admins.description = Some(format!("Administrators of {} on {}", p.name(), site.name));
            admins.roles.push(RoleGrant {
                resource: ari,
                role: "atlassian/admin".into(),
            });
            out.push(admins);
        }
        let mut site_admins = group(
            rng,
            format!("site-admins-{}", site.name),
            MANAGED_BY_ADMINS,
            site.created_at,
        );
        site_admins.description = Some(format!("Site administrators of {}", site.name));
        site_admins.roles.push(RoleGrant {
            resource: site_ari(PLATFORM, &site.site_id),
            role: "atlassian/site-admin".into(),
        });
        out.push(site_admins);
    }
    out
}

/// Custom team groups; about a third also grant product access (`group_direct`).
fn custom_groups(rng: &mut ChaCha8Rng, cfg: &GenConfig, sites: &[Site]) -> Vec<Group> {
    let share = cfg.scim_group_share.clamp(0.0, 1.0);
    let mut scim_count = (cfg.groups as f64 * share).round() as usize;
    if share > 0.0 && cfg.groups > 0 {
        scim_count = scim_count.max(1);
    }
    let all: Vec<usize> = (0..cfg.groups).collect();
    let scim: BTreeSet<usize> = all.choose_multiple(rng, scim_count).copied().collect();
    (0..cfg.groups)
        .map(|k| {
            let team = names::TEAMS[k % names::TEAMS.len()];
            let name = match k / names::TEAMS.len() {
                0 => team.to_string(),
                round => format!("{team}-{round}"),
            };
            let external = scim.contains(&k);
            let managed_by = if external {
                MANAGED_BY_EXTERNAL
            } else {
                MANAGED_BY_ADMINS
            };
            let days = rng.gen_range(1..1400);
            let mut g = group(rng, name, managed_by, cfg.anchor - Duration::days(days));
            g.description = Some(format!("Team {team}"));
            if rng.gen_bool(0.3) {
                let site = sites.choose(rng);
                if let Some((site, p)) = site.and_then(|s| s.products.choose(rng).map(|p| (s, p))) {
                    g.roles.push(RoleGrant {
                        resource: site_ari(p.key(), &site.site_id),
                        role: "atlassian/user".into(),
                    });
                }
            }
            g
        })
        .collect()
}

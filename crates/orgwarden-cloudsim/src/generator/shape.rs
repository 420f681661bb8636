//! The organization's shape: its sites and their products, the default access and admin groups
//! every product of a site comes with, and the custom team groups.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::config::GenConfig;
use super::names;
use crate::ids::uuid;
use crate::model::{
    site_ari, Group, Product, RoleGrant, Site, MANAGED_BY_ADMINS, MANAGED_BY_EXTERNAL, PLATFORM,
};

/// How likely a site has the product.
fn site_weight(p: Product) -> f64 {
    match p {
        Product::JiraSoftware => 0.95,
        Product::Confluence => 0.85,
        Product::JiraServiceDesk => 0.5,
        Product::JiraProductDiscovery => 0.3,
        Product::Bitbucket => 0.25,
        Product::Compass => 0.15,
    }
}

/// The sites, named after the organization's slug, with their products (the first site always
/// has Jira Software).
pub(super) fn gen_sites(rng: &mut ChaCha8Rng, cfg: &GenConfig, slug: &str) -> Vec<Site> {
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
                let Ok(pick) = candidates.choose_weighted(rng, |p| site_weight(*p)) else {
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
pub(super) fn default_groups(rng: &mut ChaCha8Rng, sites: &[Site]) -> Vec<Group> {
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
pub(super) fn custom_groups(rng: &mut ChaCha8Rng, cfg: &GenConfig, sites: &[Site]) -> Vec<Group> {
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

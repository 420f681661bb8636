//! The people: accounts of every kind (Atlassian, customer, app) with their status, the product
//! access they are given (mostly through the default access groups) and when they last used it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::config::GenConfig;
use super::names;
use crate::ids::{hex_token, uuid};
use crate::model::{
    parse_site_ari, site_ari, AccountStatus, AccountType, Activity, Membership, Product, RoleGrant,
    User,
};
use crate::org::Org;

/// How likely a user on a site with the product uses it.
fn use_weight(p: Product) -> f64 {
    match p {
        Product::JiraSoftware => 0.85,
        Product::Confluence => 0.8,
        Product::JiraServiceDesk => 0.25,
        Product::JiraProductDiscovery => 0.2,
        Product::Bitbucket => 0.3,
        Product::Compass => 0.15,
    }
}

/// Generates the accounts with their direct roles and default-group memberships.
pub(super) fn gen_users(rng: &mut ChaCha8Rng, cfg: &GenConfig, org: &Org) -> Vec<User> {
    let default_group: BTreeMap<(String, Product), String> = org
        .groups
        .iter()
        .filter_map(|g| {
            let ari = g.default_for.as_deref()?;
            let (owner, site) = parse_site_ari(ari)?;
            Some(((site.to_string(), Product::parse(owner)?), g.id.clone()))
        })
        .collect();
    let domain = org
        .domains
        .first()
        .cloned()
        .unwrap_or_else(|| "example.com".into());
    let jsm: Vec<String> = org
        .sites
        .iter()
        .filter(|s| s.products.contains(&Product::JiraServiceDesk))
        .map(|s| site_ari(Product::JiraServiceDesk.key(), &s.site_id))
        .collect();
    (0..cfg.users)
        .map(|i| {
            let roll: f64 = rng.gen();
            let kind = if roll < 0.02 {
                AccountType::App
            } else if roll < 0.06 && !jsm.is_empty() {
                AccountType::Customer
            } else {
                AccountType::Atlassian
            };
            let mut user = base_user(rng, cfg, i, kind, &domain);
            let mut granted: BTreeSet<(String, Product)> = BTreeSet::new();
            match kind {
                AccountType::App => {
                    if let Some(site) = org.sites.first() {
                        let p = site
                            .products
                            .first()
                            .copied()
                            .unwrap_or(Product::JiraSoftware);
                        user.roles.push(RoleGrant {
                            resource: site_ari(p.key(), &site.site_id),
                            role: "atlassian/user".into(),
                        });
                        granted.insert((site.site_id.clone(), p));
                    }
                }
                AccountType::Customer => {
                    if let Some(ari) = jsm.choose(rng) {
                        user.roles.push(RoleGrant {
                            resource: ari.clone(),
                            role: "atlassian/customer".into(),
                        });
                    }
                }
                AccountType::Atlassian if user.membership != Membership::NoMembership => {
                    for (s, site) in org.sites.iter().enumerate() {
                        let on_site = if s == 0 { 0.9 } else { 0.45 };
                        if !rng.gen_bool(on_site) {
                            continue;
                        }
                        for &p in &site.products {
                            if !rng.gen_bool(use_weight(p)) {
                                continue;
                            }
                            granted.insert((site.site_id.clone(), p));
                            let key = (site.site_id.clone(), p);
                            match default_group.get(&key) {
                                Some(gid) if rng.gen_bool(0.95) => {
                                    user.group_ids.insert(gid.clone());
                                }
                                _ => user.roles.push(RoleGrant {
                                    resource: site_ari(p.key(), &site.site_id),
                                    role: "atlassian/user".into(),
                                }),
                            }
                        }
                    }
                }
                AccountType::Atlassian => {}
            }
            gen_activity(rng, cfg, &mut user, &granted);
            user
        })
        .collect()
}

fn base_user(
    rng: &mut ChaCha8Rng,
    cfg: &GenConfig,
    i: usize,
    kind: AccountType,
    domain: &str,
) -> User {
    let first = *names::FIRST.choose(rng).unwrap_or(&"Alex");
    let last = *names::LAST.choose(rng).unwrap_or(&"Doe");
    let account_id = match kind {
        AccountType::App => format!("557058:{}", uuid(rng)),
        AccountType::Customer => format!("qm:{}", uuid(rng)),
        AccountType::Atlassian if rng.gen_bool(0.2) => hex_token(rng, 12),
        AccountType::Atlassian => format!("712020:{}", uuid(rng)),
    };
    let (name, email, managed) = match kind {
        AccountType::App => (format!("Automation for {last} {i}"), None, false),
        AccountType::Customer => {
            let d = names::FREEMAIL.choose(rng).unwrap_or(&"gmail.com");
            (
                format!("{first} {last}"),
                Some(format!(
                    "{}.{}{i}@{d}",
                    first.to_lowercase(),
                    last.to_lowercase()
                )),
                false,
            )
        }
        AccountType::Atlassian => {
            let managed = rng.gen_bool(0.92);
            let d = if managed {
                domain
            } else {
                names::FREEMAIL.choose(rng).unwrap_or(&"gmail.com")
            };
            let email = format!("{}.{}{i}@{d}", first.to_lowercase(), last.to_lowercase());
            (format!("{first} {last}"), Some(email), managed)
        }
    };
    let roll: f64 = rng.gen();
    let (account_status, membership) = match kind {
        AccountType::Atlassian if roll < 0.04 => (AccountStatus::Inactive, Membership::Active),
        AccountType::Atlassian if roll < 0.09 => (AccountStatus::Active, Membership::Suspended),
        AccountType::Atlassian if roll < 0.12 => (AccountStatus::Active, Membership::NoMembership),
        _ => (AccountStatus::Active, Membership::Active),
    };
    let added_to_org = cfg.anchor - Duration::seconds(rng.gen_range(86_400..4 * 365 * 86_400));
    let deactivated_on = (account_status == AccountStatus::Inactive)
        .then(|| cfg.anchor - Duration::days(rng.gen_range(1..300)));
    User {
        account_id,
        account_type: kind,
        nickname: name.split(' ').next().unwrap_or(&name).to_string(),
        name,
        email,
        account_status,
        membership,
        added_to_org,
        managed,
        synced: false,
        mfa_enabled: rng.gen_bool(0.6),
        job_title: names::TITLES.choose(rng).map(|s| s.to_string()),
        department: names::DEPARTMENTS.choose(rng).map(|s| s.to_string()),
        org_admin: false,
        roles: Vec::new(),
        group_ids: BTreeSet::new(),
        activity: Vec::new(),
        deactivated_on,
    }
}

/// Activity over the last two years, skewed to recent; `inactive_share` never active.
fn gen_activity(
    rng: &mut ChaCha8Rng,
    cfg: &GenConfig,
    user: &mut User,
    granted: &BTreeSet<(String, Product)>,
) {
    if rng.gen_bool(cfg.inactive_share.clamp(0.0, 1.0)) {
        return;
    }
    for (site_id, product) in granted {
        if !rng.gen_bool(0.9) {
            continue;
        }
        let u: f64 = rng.gen();
        let secs = (u.powf(2.5) * 730.0 * 86_400.0) as i64 + rng.gen_range(0..3600);
        let at: DateTime<Utc> = cfg.anchor - Duration::seconds(secs);
        user.activity.push(Activity {
            site_id: site_id.clone(),
            product: *product,
            at,
        });
        if at < user.added_to_org {
            user.added_to_org = at - Duration::days(rng.gen_range(1..60));
        }
    }
}

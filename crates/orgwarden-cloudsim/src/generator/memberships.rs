//! Who is in which group and who administers what: custom group members (Zipf-ish sizes), product
//! and site admins, org admins and user access admins; then each group's member list and each
//! user's `synced` flag follow from the memberships.

use std::collections::{BTreeMap, BTreeSet};

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::config::GenConfig;
use crate::model::{site_ari, AccountType, Membership, Product, RoleGrant};
use crate::org::Org;

/// Custom group members (Zipf-ish sizes), org admins, product and site admins, user access admins.
pub(super) fn assign_memberships(
    rng: &mut ChaCha8Rng,
    cfg: &GenConfig,
    org: &mut Org,
    custom_start: usize,
) {
    let members: Vec<usize> = (0..org.users.len())
        .filter(|&i| {
            let u = &org.users[i];
            u.account_type == AccountType::Atlassian && u.membership != Membership::NoMembership
        })
        .collect();
    let active: Vec<usize> = members
        .iter()
        .copied()
        .filter(|&i| org.users[i].status() == "active")
        .collect();
    let mut edits: Vec<(usize, String)> = Vec::new();
    let group_ids: Vec<(String, String)> = org
        .groups
        .iter()
        .map(|g| (g.id.clone(), g.name.clone()))
        .collect();
    for (k, (gid, _)) in group_ids.iter().enumerate().skip(custom_start) {
        let rank = (k - custom_start + 1) as f64;
        let size = ((cfg.users as f64 * 0.35 / rank.powf(1.1)).ceil() as usize).max(2);
        for &i in members.choose_multiple(rng, size.min(members.len())) {
            edits.push((i, gid.clone()));
        }
    }
    for (gid, name) in group_ids.iter().take(custom_start) {
        let n = if name.starts_with("site-admins-") {
            rng.gen_range(1..=2)
        } else if name.contains("-admins-") {
            rng.gen_range(1..=3)
        } else {
            continue;
        };
        for &i in active.choose_multiple(rng, n) {
            edits.push((i, gid.clone()));
        }
    }
    let org_admins = (cfg.users / 1000).clamp(2, 5);
    let admins: Vec<usize> = active.choose_multiple(rng, org_admins).copied().collect();
    for i in admins {
        org.users[i].org_admin = true;
    }
    if let Some(site) = org.sites.first() {
        let ari = site_ari(Product::JiraSoftware.key(), &site.site_id);
        let uaa: Vec<usize> = active.choose_multiple(rng, 2).copied().collect();
        for i in uaa {
            org.users[i].roles.push(RoleGrant {
                resource: ari.clone(),
                role: "atlassian/user-access-admin".into(),
            });
        }
    }
    for (i, gid) in edits {
        org.users[i].group_ids.insert(gid);
    }
    let position: BTreeMap<String, usize> = org
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id.clone(), i))
        .collect();
    let mut members: Vec<Vec<String>> = vec![Vec::new(); org.groups.len()];
    for u in &mut org.users {
        u.roles.sort();
        u.roles.dedup();
        for gid in &u.group_ids {
            if let Some(&i) = position.get(gid) {
                members[i].push(u.account_id.clone());
            }
        }
    }
    let mut synced: BTreeSet<String> = BTreeSet::new();
    for (g, ids) in org.groups.iter_mut().zip(members) {
        // collecting sorts once and bulk-builds the set
        g.member_ids = ids.into_iter().collect();
        if g.is_external() {
            synced.extend(g.member_ids.iter().cloned());
        }
    }
    for u in &mut org.users {
        u.synced = synced.contains(&u.account_id);
    }
}

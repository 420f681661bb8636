//! The generator: determinism and the shape of what it makes.

use std::collections::BTreeSet;

use orgwarden_cloudsim::{generate, GenConfig, Product};

fn config(seed: u64) -> GenConfig {
    GenConfig {
        seed,
        org_name: "Acme".into(),
        users: 1500,
        sites: 4,
        groups: 30,
        products_per_site: 3,
        inactive_share: 0.2,
        scim_group_share: 0.25,
        anchor: chrono::DateTime::parse_from_rfc3339("2026-01-15T00:00:00Z")
            .unwrap()
            .to_utc(),
    }
}

#[test]
fn same_seed_same_org_and_different_seed_different_org() {
    let a = serde_json::to_string(&generate(&config(1))).unwrap();
    let b = serde_json::to_string(&generate(&config(1))).unwrap();
    assert_eq!(a, b);
    let c = serde_json::to_string(&generate(&config(2))).unwrap();
    assert_ne!(a, c);
}

#[test]
fn realistic_shape() {
    let cfg = config(3);
    let org = generate(&cfg);
    assert_eq!(org.users.len(), 1500);
    assert_eq!(org.sites.len(), 4);
    let names: Vec<&str> = org.sites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["acme", "acme-eng", "acme-support", "acme-labs"]);
    assert_eq!(org.name, "Acme");
    assert!(org.sites[0].products.contains(&Product::JiraSoftware));
    assert!(org
        .sites
        .iter()
        .all(|s| !s.products.is_empty() && s.products.len() <= 6));
    let custom: Vec<_> = org
        .groups
        .iter()
        .filter(|g| g.default_for.is_none() && !g.name.contains("admins"))
        .collect();
    assert_eq!(custom.len(), 30);
    let scim = custom.iter().filter(|g| g.managed_by == "external").count();
    assert_eq!(scim, 8, "25% of 30, rounded");
    // skewed sizes: the biggest custom group is much bigger than the median
    let mut sizes: Vec<usize> = custom.iter().map(|g| g.member_ids.len()).collect();
    sizes.sort_unstable();
    assert!(
        sizes[sizes.len() - 1] > 5 * sizes[sizes.len() / 2],
        "{sizes:?}"
    );
    // every product of every site has a default access group
    for s in &org.sites {
        for p in &s.products {
            let ari = format!("ari:cloud:{}::site/{}", p.key(), s.site_id);
            assert!(org
                .groups
                .iter()
                .any(|g| g.default_for.as_deref() == Some(ari.as_str())));
        }
    }
    let admins = org.users.iter().filter(|u| u.org_admin).count();
    assert!((2..=5).contains(&admins));
    let never = org.users.iter().filter(|u| u.activity.is_empty()).count() as f64 / 1500.0;
    assert!((0.2..0.45).contains(&never), "{never}");
    let oldest = org
        .users
        .iter()
        .flat_map(|u| u.activity.iter())
        .map(|a| a.at)
        .min()
        .unwrap();
    assert!(cfg.anchor - oldest <= chrono::Duration::days(731));
    assert!(cfg.anchor - oldest > chrono::Duration::days(300));
    let types: BTreeSet<_> = org
        .users
        .iter()
        .map(|u| format!("{:?}", u.account_type))
        .collect();
    assert_eq!(types.len(), 3, "{types:?}");
    let statuses: BTreeSet<_> = org.users.iter().map(|u| u.status()).collect();
    for s in ["active", "suspended", "deactivated", "not_invited"] {
        assert!(statuses.contains(s), "{s}");
    }
    // memberships mirror each other
    for g in &org.groups {
        for m in &g.member_ids {
            let u = org.users.iter().find(|u| &u.account_id == m).unwrap();
            assert!(u.group_ids.contains(&g.id));
        }
    }
    assert!(org
        .users
        .iter()
        .all(|u| u.added_to_org <= u.activity.iter().map(|a| a.at).min().unwrap_or(cfg.anchor)));
}

//! Dashboard counts and filter results equal counts computed independently from cloudsim's
//! state, across thresholds, sites and products, on SQLite and PostgreSQL.

use crate::sync_support::*;
use chrono::{DateTime, Duration, Utc};
use orgwarden_ids::TenantId;
use orgwarden_jobs::SyncKind;
use orgwarden_store::on_both_backends;
use orgwarden_store::sync_runs::SyncRunState;
use orgwarden_store::users::{self, Filter, ProductRef, Sort};
use orgwarden_store::Backend;
use serde_json::Value;

on_both_backends!(dashboard_and_filters_match_cloudsim);

/// (site, product, last active or joined) of every product access of users holding access now.
fn accesses(org: &Value) -> Vec<(String, String, DateTime<Utc>, bool)> {
    let mut out = Vec::new();
    for u in org["users"].as_array().unwrap() {
        if u["status"] != "active" || u["membershipStatus"] != "active" {
            continue;
        }
        let billable = u["accountType"] == "atlassian";
        let joined: DateTime<Utc> = u["addedToOrg"].as_str().unwrap().parse().unwrap();
        for a in u["productAccess"].as_array().unwrap() {
            let last = a["lastActive"]
                .as_str()
                .map_or(joined, |t| t.parse().unwrap());
            out.push((
                a["siteId"].as_str().unwrap().to_owned(),
                a["productKey"].as_str().unwrap().to_owned(),
                last,
                billable,
            ));
        }
    }
    out
}

async fn dashboard_and_filters_match_cloudsim(backend: Backend) {
    let f = fixture(backend, sim_config(400)).await;
    assert_eq!(
        f.sync(SyncKind::Initial, None).await.state,
        SyncRunState::Succeeded
    );
    let org = f.sim_org().await;
    let access = accesses(&org);
    let mut conn = f.db.db.get().unwrap();
    let generation = orgwarden_store::mirror::current(&mut conn, &TenantId::from(TENANT))
        .unwrap()
        .unwrap()
        .generation;
    let now = Utc::now();
    for days in [7, 30, 90, 180] {
        let cutoff = now - Duration::days(days);
        let tiles = users::dashboard(
            &mut conn,
            &TenantId::from(TENANT),
            generation,
            None,
            days,
            now.naive_utc(),
        )
        .unwrap();
        assert!(!tiles.is_empty());
        for tile in &tiles {
            let here: Vec<_> = access
                .iter()
                .filter(|a| a.0 == tile.site_id && a.1 == tile.product_key)
                .collect();
            let billable: Vec<_> = here.iter().filter(|a| a.3).collect();
            let active = billable.iter().filter(|a| a.2 >= cutoff).count() as i64;
            assert_eq!(
                tile.total,
                billable.len() as i64,
                "{backend:?} {days}d {} {} total",
                tile.site_id,
                tile.product_key
            );
            assert_eq!(
                tile.active, active,
                "{backend:?} {days}d {} {} active",
                tile.site_id, tile.product_key
            );
            assert_eq!(tile.inactive, tile.total - active);

            let filter = Filter {
                inactive_days: Some(days),
                products: vec![ProductRef {
                    product_key: tile.product_key.clone(),
                    site_id: Some(tile.site_id.clone()),
                }],
                ..Filter::default()
            };
            let page = users::search(
                &mut conn,
                &TenantId::from(TENANT),
                generation,
                &filter,
                Sort::default(),
                1,
                10,
                now.naive_utc(),
            )
            .unwrap();
            let expected = here.iter().filter(|a| a.2 < cutoff).count() as i64;
            assert_eq!(
                page.total, expected,
                "{backend:?} {days}d filter on {} {}",
                tile.site_id, tile.product_key
            );
        }
        // One site: the same tiles, only that site's.
        let site = tiles[0].site_id.clone();
        let one = users::dashboard(
            &mut conn,
            &TenantId::from(TENANT),
            generation,
            Some(&site),
            days,
            now.naive_utc(),
        )
        .unwrap();
        assert_eq!(
            one,
            tiles
                .iter()
                .filter(|t| t.site_id == site)
                .cloned()
                .collect::<Vec<_>>()
        );
    }
    // The summary the sync counted while writing equals one rebuilt from the mirror.
    let tiles = |conn: &mut _| -> Vec<_> {
        [7, 90]
            .map(|days| {
                users::dashboard(
                    conn,
                    &TenantId::from(TENANT),
                    generation,
                    None,
                    days,
                    now.naive_utc(),
                )
                .unwrap()
            })
            .to_vec()
    };
    let counted = tiles(&mut conn);
    orgwarden_store::mirror::touch(&mut conn, &TenantId::from(TENANT), now.naive_utc()).unwrap();
    assert_eq!(counted, tiles(&mut conn), "{backend:?}");
    // Never active, across products: no activity anywhere.
    let never = users::search(
        &mut conn,
        &TenantId::from(TENANT),
        generation,
        &Filter {
            never_active: Some(true),
            ..Filter::default()
        },
        Sort::default(),
        1,
        10,
        now.naive_utc(),
    )
    .unwrap();
    let expected = org["users"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| {
            let active = u["status"] == "active" && u["membershipStatus"] == "active";
            !active
                || u["productAccess"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|a| a["lastActive"].is_null())
        })
        .count() as i64;
    assert_eq!(never.total, expected, "{backend:?} never active");
}

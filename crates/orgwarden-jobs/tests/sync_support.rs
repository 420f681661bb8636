//! Shared by the sync tests: a tenant connected to a cloudsim organization, and the comparison
//! of the mirror with cloudsim's own state.
#![allow(dead_code)]

use orgwarden_ids::{OrgId, TenantId};
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use orgwarden_cloudsim::{spawn, RunningSim, SimConfig};
use orgwarden_jobs::{refresh_license, request_sync, run_sync, SyncContext, SyncKind};
use orgwarden_license::LicenseEvaluation;
use orgwarden_store::org_connections::{self, NewOrgConnection};
use orgwarden_store::tenants::{self, Installation};
use orgwarden_store::testing::{fresh_database, TestDatabase};
use orgwarden_store::users::{self, Filter, Sort};
use orgwarden_store::{Backend, Cipher};
use serde_json::Value;

pub const TENANT: &str = "tenant-sync";

pub struct Fixture {
    pub sim: RunningSim,
    pub db: TestDatabase,
    pub ctx: SyncContext,
}

pub async fn fixture(backend: Backend, config: SimConfig) -> Fixture {
    let sim = spawn(config).await.unwrap();
    let db = fresh_database(backend);
    let cipher = Cipher::from_base64(&Cipher::generate_master_key()).unwrap();
    let mut conn = db.db.get().unwrap();
    let now = Utc::now().naive_utc();
    let install = Installation {
        client_key: TENANT.into(),
        app_key: "io.orgwarden.app".into(),
        base_url: format!("{}/jira/acme", sim.url),
        shared_secret: "s".into(),
        ..Default::default()
    };
    tenants::install(&mut conn, &cipher, &install, now).unwrap();
    let new = NewOrgConnection {
        tenant_id: &TenantId::from(TENANT),
        org_id: &OrgId::from(&sim.org_id),
        org_name: "Org",
        api_key: sim.api_key(),
        expires_on: "2099-01-01",
        updated_by: "557058:admin",
    };
    org_connections::save(&mut conn, &cipher, &new, now).unwrap();
    let ctx = SyncContext {
        db: db.db.clone(),
        cipher,
        http: reqwest::Client::new(),
        admin_api_url: sim.url.clone(),
        requests_per_second: 500.0,
        full_sync_every_days: orgwarden_jobs::FULL_SYNC_EVERY_DAYS,
        license: orgwarden_jobs::LicenseSettings {
            app_key: "io.orgwarden.app".into(),
            edition: orgwarden_license::Edition::Standard,
        },
        clients: Default::default(),
    };
    Fixture { sim, db, ctx }
}

impl Fixture {
    /// Records and runs a sync; returns the run as stored afterwards.
    pub async fn sync(
        &self,
        kind: SyncKind,
        account_ids: Option<&[String]>,
    ) -> orgwarden_store::sync_runs::SyncRun {
        let (run, created) = {
            let mut conn = self.db.db.get().unwrap();
            request_sync(&mut conn, &TenantId::from(TENANT), kind, account_ids, None).unwrap()
        };
        assert!(created);
        run_sync(&self.ctx, run.id).await.unwrap();
        let mut conn = self.db.db.get().unwrap();
        orgwarden_store::sync_runs::find(&mut conn, run.id)
            .unwrap()
            .unwrap()
    }

    /// Refreshes the tenant's license from Jira as of `now`; returns the evaluation.
    pub async fn refresh_license_at(&self, now: DateTime<Utc>) -> LicenseEvaluation {
        let ctx = &self.ctx;
        refresh_license(
            &ctx.db,
            &ctx.cipher,
            &ctx.http,
            &ctx.license,
            &TenantId::from(TENANT),
            now,
        )
        .await
        .unwrap()
    }

    /// Moves the tenant's install, first and last, `days` into the past.
    pub fn installed_days_ago(&self, days: i64) {
        use diesel::RunQueryDsl;
        let mut conn = self.db.db.get().unwrap();
        let at = (Utc::now() - chrono::Duration::days(days)).naive_utc();
        let sql = format!(
            "UPDATE tenants SET installed_at = '{at}', first_installed_at = '{at}' \
             WHERE client_key = '{TENANT}'",
            at = at.format("%Y-%m-%d %H:%M:%S")
        );
        diesel::sql_query(sql).execute(&mut conn).unwrap();
    }

    pub async fn sim_org(&self) -> Value {
        reqwest::get(format!("{}/__sim/org", self.sim.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Asserts the published mirror equals cloudsim's state.
    pub async fn assert_mirror_matches(&self) {
        self.assert_mirror_matches_but_activity_of(&BTreeSet::new())
            .await;
    }

    /// Asserts the published mirror equals cloudsim's state, except the last-active dates of
    /// `stale` (changes the Admin API's events do not report).
    pub async fn assert_mirror_matches_but_activity_of(&self, stale: &BTreeSet<String>) {
        let org = self.sim_org().await;
        let mut conn = self.db.db.get().unwrap();
        let mirror = orgwarden_store::mirror::current(&mut conn, &TenantId::from(TENANT))
            .unwrap()
            .expect("published");
        let page = users::search(
            &mut conn,
            &TenantId::from(TENANT),
            mirror.generation,
            &Filter::default(),
            Sort::default(),
            1,
            1_000_000,
            Utc::now().naive_utc(),
        )
        .unwrap();
        let ours: BTreeMap<String, users::UserRow> = page
            .items
            .into_iter()
            .map(|u| (u.account_id.clone(), u))
            .collect();
        let theirs = org["users"].as_array().unwrap();
        assert_eq!(ours.len(), theirs.len(), "user count");
        for user in theirs {
            let id = user["accountId"].as_str().unwrap();
            let mine = ours
                .get(id)
                .unwrap_or_else(|| panic!("user {id} missing from the mirror"));
            assert_eq!(mine.name, user["name"].as_str().unwrap(), "{id} name");
            assert_eq!(mine.email.as_deref(), user["email"].as_str(), "{id} email");
            assert_eq!(mine.status, user["status"].as_str().unwrap(), "{id} status");
            assert_eq!(
                mine.account_type,
                user["accountType"].as_str().unwrap(),
                "{id} type"
            );
            let roles: BTreeSet<&str> = user["platformRoles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap())
                .collect();
            assert_eq!(
                mine.roles.contains(&"orgAdmin".to_owned()),
                roles.contains("atlassian/org-admin"),
                "{id} org admin"
            );
            assert_eq!(
                mine.roles.contains(&"siteAdmin".to_owned()),
                roles.contains("atlassian/site-admin"),
                "{id} site admin"
            );
            let added: DateTime<Utc> = user["addedToOrg"].as_str().unwrap().parse().unwrap();
            assert_eq!(
                mine.added_to_org.map(|t| t.timestamp()),
                Some(added.timestamp()),
                "{id} addedToOrg"
            );
            let groups = string_set(&user["groupIds"]);
            let my_groups: BTreeSet<String> = mine.groups.iter().map(|g| g.id.clone()).collect();
            assert_eq!(my_groups, groups, "{id} groups");
            let active = user["status"] == "active" && user["membershipStatus"] == "active";
            let access: BTreeSet<(String, String, Option<i64>)> = if active {
                user["productAccess"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| {
                        let last = a["lastActive"]
                            .as_str()
                            .filter(|_| !stale.contains(id))
                            .map(|t| t.parse::<DateTime<Utc>>().unwrap().timestamp());
                        (
                            a["siteId"].as_str().unwrap().to_owned(),
                            a["productKey"].as_str().unwrap().to_owned(),
                            last,
                        )
                    })
                    .collect()
            } else {
                BTreeSet::new()
            };
            let my_access: BTreeSet<(String, String, Option<i64>)> = mine
                .products
                .iter()
                .map(|p| {
                    (
                        p.site_id.clone(),
                        p.product_key.clone(),
                        p.last_active
                            .filter(|_| !stale.contains(id))
                            .map(|t| t.timestamp()),
                    )
                })
                .collect();
            assert_eq!(my_access, access, "{id} product access");
        }
        let groups = users::groups(&mut conn, &TenantId::from(TENANT), mirror.generation).unwrap();
        let sim_groups = org["groups"].as_array().unwrap();
        assert_eq!(groups.len(), sim_groups.len(), "group count");
        for g in sim_groups {
            let mine = groups
                .iter()
                .find(|x| x.id == g["id"].as_str().unwrap())
                .expect("group mirrored");
            assert_eq!(mine.name, g["name"].as_str().unwrap());
            assert_eq!(
                mine.idp_synced,
                g["managedBy"] == "external",
                "group {} IdP flag",
                mine.name
            );
        }
    }
}

/// The strings of a JSON array (account or group ids), as a set.
pub fn string_set(array: &Value) -> BTreeSet<String> {
    array
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

pub fn sim_config(users: usize) -> SimConfig {
    SimConfig {
        users,
        sites: 3,
        groups: 25,
        ..SimConfig::default()
    }
}

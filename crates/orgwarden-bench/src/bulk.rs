//! What the operations and task-run scenarios share: their settings, cloudsim's flags, the
//! people and targets of "remove app access + add to group", cloudsim's request counters and
//! the figures against the rate-limit bound.

use std::collections::BTreeMap;

use anyhow::{bail, Context};
use clap::Args;
use orgwarden_store::operations::Counts;
use serde_json::{json, Value};

use crate::fixture::AdminApiArgs;

/// Settings of a bulk change on many users at the Admin API's rate limit.
#[derive(Args)]
pub struct BulkArgs {
    /// Users the change acts on.
    #[arg(long, default_value_t = 10_000)]
    pub users: usize,
    /// Sites.
    #[arg(long, default_value_t = 3)]
    pub sites: usize,
    /// Groups.
    #[arg(long, default_value_t = 200)]
    pub groups: usize,
    /// The Admin API's pace.
    #[command(flatten)]
    pub api: AdminApiArgs,
}

impl BulkArgs {
    /// cloudsim's flags: enough people, the latency and the rate limit.
    pub fn sim_flags(&self) -> Vec<String> {
        [
            ("--users", (self.users * 3 / 2 + 100).to_string()),
            ("--sites", self.sites.to_string()),
            ("--groups", self.groups.to_string()),
        ]
        .into_iter()
        .flat_map(|(k, v)| [k.to_owned(), v])
        .chain(self.api.sim_flags())
        .collect()
    }
}

/// What the change acts on: ordinary people, one product on one site, one plain group.
pub struct Plan {
    /// The people.
    pub account_ids: Vec<String>,
    /// How many of them hold the product (each needs its role assignments read, U8).
    pub holders: usize,
    site_id: String,
    product_key: String,
    group_id: String,
}

impl Plan {
    /// "Remove app access to the product on the site + add to the group", as stored.
    pub fn actions(&self) -> String {
        json!([
            {"type": "removeAppAccess", "targets": [{"siteId": self.site_id, "productKey": self.product_key}]},
            {"type": "addToGroups", "groupIds": [self.group_id]},
        ])
        .to_string()
    }

    /// The product removed.
    pub fn product_key(&self) -> &str {
        &self.product_key
    }

    /// The fewest Admin API requests the change needs: one per changed item, one role-assignment
    /// read (U8) per user holding the product (how they hold it decides what to remove), and
    /// the pre- and post-operation syncs of the selection (searches by account id, 10 ids
    /// each: the filter's documented limit). `also_read`: people the pre-operation sync reads
    /// beside the selection (an automated task's acting admin).
    pub fn minimum_requests(&self, counts: &Counts, also_read: usize) -> i64 {
        let selected = self.account_ids.len();
        let sync_pages = (selected + also_read).div_ceil(10) + selected.div_ceil(10);
        counts.done + counts.failed + i64::try_from(self.holders + sync_pages).unwrap_or(0)
    }
}

/// The first `users` ordinary people of cloudsim's `org`, the product most of them hold and a
/// plain group.
pub fn plan(org: &Value, users: usize) -> anyhow::Result<Plan> {
    let all = org["users"].as_array().context("org users")?;
    let ordinary = |u: &&Value| {
        u["status"] == "active"
            && u["accountType"] == "atlassian"
            && !u["platformRoles"]
                .as_array()
                .is_some_and(|r| r.iter().any(|r| r == "atlassian/org-admin"))
    };
    let account_ids: Vec<String> = all
        .iter()
        .filter(ordinary)
        .take(users)
        .filter_map(|u| u["accountId"].as_str().map(str::to_owned))
        .collect();
    if account_ids.len() < users {
        bail!("cloudsim has only {} ordinary users", account_ids.len());
    }
    let mut holders: BTreeMap<(String, String), usize> = BTreeMap::new();
    for user in all.iter().filter(ordinary).take(users) {
        for access in user["productAccess"].as_array().into_iter().flatten() {
            let site = access["siteId"].as_str().unwrap_or_default().to_owned();
            let product = access["productKey"].as_str().unwrap_or_default().to_owned();
            *holders.entry((site, product)).or_default() += 1;
        }
    }
    let ((site_id, product_key), holders) = holders
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .context("nobody holds a product")?;
    let group_id = org["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|g| g["managedBy"] != "external" && g["roles"].as_array().is_some_and(Vec::is_empty))
        .and_then(|g| g["id"].as_str())
        .context("a plain group")?
        .to_owned();
    Ok(Plan {
        account_ids,
        holders,
        site_id,
        product_key,
        group_id,
    })
}

/// cloudsim's `/__sim/stats`.
pub async fn sim_stats(url: &str) -> anyhow::Result<Value> {
    Ok(reqwest::get(format!("{url}/__sim/stats"))
        .await?
        .json()
        .await?)
}

/// `after - before` of a counter of cloudsim's stats.
fn grew(before: &Value, after: &Value, pointer: &str) -> u64 {
    let at = |v: &Value| v.pointer(pointer).and_then(Value::as_u64).unwrap_or(0);
    at(after).saturating_sub(at(before))
}

/// The requests cloudsim answered between two stats: sent, answered 429, and by route.
pub struct Requests {
    /// Every request.
    pub sent: u64,
    /// Answered 429.
    pub throttled: u64,
    /// By route, those with any.
    pub by_endpoint: BTreeMap<String, u64>,
}

impl Requests {
    /// The difference of two `/__sim/stats`.
    pub fn between(before: &Value, after: &Value) -> Self {
        let by_endpoint = after["requests"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(route, _)| {
                let pointer = format!("/requests/{}", route.replace('~', "~0").replace('/', "~1"));
                (route.clone(), grew(before, after, &pointer))
            })
            .filter(|(_, n)| *n > 0)
            .collect();
        Self {
            sent: grew(before, after, "/totalRequests"),
            throttled: grew(before, after, "/rateLimited"),
            by_endpoint,
        }
    }

    /// Prints the totals and the routes.
    pub fn print(&self) {
        println!(
            "  requests sent:         {} ({} answered 429)",
            self.sent, self.throttled
        );
        for (route, n) in &self.by_endpoint {
            println!("    {n:>7}  {route}");
        }
    }
}

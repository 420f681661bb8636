//! The daily re-sync after a full one, on the served path: 1 % of the users change through the
//! Admin API (half suspended, half added to a group; cloudsim records their events), the
//! tenant's daily sync hour is set to now, and the server's own scheduler starts the daily sync
//! (`ORGWARDEN_DAILY_SYNC_TICK_SECS` is short in the bench). Its Admin API requests and the mirror
//! rows it writes are reported against the full sync's (targets ≤ 10 % and ≤ 2 %). Then a
//! manual sync, a full reconciliation beside the published generation (the weekly one), is
//! reported as it is: no target, its own wall time against the bound and its CPU seconds.

use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context};
use chrono::{Timelike, Utc};
use futures::{stream, StreamExt, TryStreamExt};
use orgwarden_store::sync_runs::SyncRunState;
use reqwest::Method;
use serde_json::{json, Value};

use crate::fixture::{Sim, API_KEY};
use crate::procfs::cpu_seconds;
use crate::served::{Admin, Server};

/// Targets of issue #21 for the re-sync, as shares of the full sync's.
const REQUESTS_TARGET: f64 = 0.10;
const ROWS_TARGET: f64 = 0.02;
/// Admin API calls in flight while the organization changes.
const CHANGES_IN_FLIGHT: usize = 32;

/// Changes 1 % of the organization's users through the Admin API; returns how many changed.
async fn change_one_percent(sim: &Sim) -> anyhow::Result<usize> {
    let org: Value = reqwest::get(format!("{}/__sim/org", sim.url))
        .await?
        .json()
        .await?;
    let base = format!(
        "{}/admin/v2/orgs/{}/directories/{}",
        sim.url,
        org["orgId"].as_str().context("orgId")?,
        org["directoryId"].as_str().context("directoryId")?
    );
    let users = org["users"].as_array().context("users")?;
    let group = org["groups"]
        .as_array()
        .context("groups")?
        .iter()
        .find(|g| {
            g["managedBy"] == "admins" && !g["name"].as_str().unwrap_or("admins").contains("admins")
        })
        .and_then(|g| g["id"].as_str())
        .context("a group the Admin API may change")?
        .to_owned();
    let plain: Vec<&str> = users
        .iter()
        .filter(|u| u["status"] == "active")
        .filter(|u| u["platformRoles"].as_array().is_none_or(|r| r.is_empty()))
        .filter_map(|u| u["accountId"].as_str())
        .collect();
    let count = users.len() / 100;
    ensure!(
        plain.len() >= count,
        "{count} users without roles to change"
    );
    // The changes themselves are not what is measured: cloudsim's rate limit is lifted meanwhile.
    let http = reqwest::Client::new();
    let faults = format!("{}/__sim/faults", sim.url);
    let paced: Value = http.get(&faults).send().await?.json().await?;
    http.post(&faults)
        .json(&json!({"rateLimit": 0}))
        .send()
        .await?
        .error_for_status()?;
    let calls = plain[..count].iter().enumerate().map(|(i, account)| {
        let request = if i % 2 == 0 {
            http.post(format!("{base}/users/{account}/suspend"))
        } else {
            http.post(format!("{base}/groups/{group}/memberships"))
                .json(&json!({"accountId": account}))
        };
        async move {
            request
                .bearer_auth(API_KEY)
                .send()
                .await?
                .error_for_status()
        }
    });
    let changed = stream::iter(calls)
        .buffer_unordered(CHANGES_IN_FLIGHT)
        .try_collect::<Vec<_>>()
        .await;
    http.post(&faults)
        .json(&json!({"rateLimit": paced["rateLimit"].as_f64().unwrap_or(0.0)}))
        .send()
        .await?
        .error_for_status()?;
    Ok(changed?.len())
}

/// Sets the tenant's daily sync hour to the current UTC hour and waits for the daily sync the
/// scheduler then starts to end; returns its last status.
async fn daily_sync(admin: &mut Admin<'_>, after_run: i64) -> anyhow::Result<Value> {
    let mut settings = admin.call(Method::GET, "/api/v1/settings", None).await?;
    settings["syncHour"] = json!(Utc::now().hour());
    settings["timeZone"] = json!("UTC");
    admin
        .call(Method::PUT, "/api/v1/settings", Some(settings))
        .await?;
    run_after(admin, after_run).await
}

/// Waits for the tenant's first run after `after_run` to succeed; returns its last status.
async fn run_after(admin: &mut Admin<'_>, after_run: i64) -> anyhow::Result<Value> {
    let deadline = Instant::now() + Duration::from_secs(600);
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let status = admin.call(Method::GET, "/api/v1/sync", None).await?;
        if status["id"].as_i64().unwrap_or_default() <= after_run {
            continue;
        }
        match serde_json::from_value(status["state"].clone()) {
            Ok(SyncRunState::Succeeded) => return Ok(status),
            Ok(SyncRunState::Failed) => bail!("the sync failed: {}", status["error"]),
            _ => {}
        }
    }
    bail!("no sync ended within 10 minutes")
}

/// Runs the re-sync after the full sync whose last status is `full`; prints and returns its
/// figures.
pub async fn run(
    sim: &Sim,
    server: &Server,
    admin: &mut Admin<'_>,
    full: &Value,
) -> anyhow::Result<Value> {
    let changed = change_one_percent(sim).await?;
    let cpu_before = cpu_seconds(server.pid())?;
    let status = daily_sync(admin, full["id"].as_i64().unwrap_or_default()).await?;
    let cpu = cpu_seconds(server.pid())? - cpu_before;
    let share = |field: &str| {
        status[field].as_f64().unwrap_or_default() / full[field].as_f64().unwrap_or(1.0).max(1.0)
    };
    let (requests, rows) = (share("requests"), share("rowsWritten"));
    let verdict = |ok: bool| if ok { "ok" } else { "MISSED" };
    println!(
        "  re-sync after {changed} users changed ({} run, mode {}):",
        status["kind"], status["mode"]
    );
    println!(
        "    requests:            {} of the full sync's {} = {:.1} %   (target <= 10 %) {}",
        status["requests"],
        full["requests"],
        requests * 100.0,
        verdict(requests <= REQUESTS_TARGET)
    );
    println!(
        "    rows written:        {} of the full sync's {} = {:.2} %   (target <= 2 %) {}",
        status["rowsWritten"],
        full["rowsWritten"],
        rows * 100.0,
        verdict(rows <= ROWS_TARGET)
    );
    println!("    CPU orgwarden:       {cpu:.1} s (from the settings change to its end)");
    Ok(json!({
        "id": status["id"], "changedUsers": changed, "kind": status["kind"], "mode": status["mode"],
        "requests": status["requests"], "rowsWritten": status["rowsWritten"],
        "requestsShare": requests, "rowsShare": rows, "cpuSecondsOrgwarden": cpu,
        "targets": {"requestsShare": REQUESTS_TARGET, "rowsShare": ROWS_TARGET},
    }))
}

/// Starts a manual sync (a full reconciliation beside the published generation) after the run
/// `after`; prints and returns its wall time against `bound_s` and its CPU seconds.
pub async fn reconcile(
    server: &Server,
    admin: &mut Admin<'_>,
    after: &Value,
    bound_s: f64,
) -> anyhow::Result<Value> {
    let cpu_before = cpu_seconds(server.pid())?;
    admin.call(Method::POST, "/api/v1/sync", None).await?;
    let status = run_after(admin, after["id"].as_i64().unwrap_or_default()).await?;
    let cpu = cpu_seconds(server.pid())? - cpu_before;
    let wall = crate::sync::run_seconds(&status)?;
    println!(
        "  reconciliation beside the published generation ({} run, mode {}):",
        status["kind"], status["mode"]
    );
    println!(
        "    wall time:           {wall:.2} s = {:.3} x the bound (no target)",
        wall / bound_s
    );
    println!("    CPU orgwarden:       {cpu:.1} s (no target)");
    Ok(json!({
        "kind": status["kind"], "mode": status["mode"], "wallSeconds": wall,
        "ratio": wall / bound_s, "cpuSecondsOrgwarden": cpu, "requests": status["requests"],
    }))
}

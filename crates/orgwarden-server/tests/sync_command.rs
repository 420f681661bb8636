//! `orgwarden sync` on each backend: beside a running server it syncs the only tenant with a key
//! to its end (the run is recorded like one started in the app, and the mirror follows
//! cloudsim) — on SQLite by handing the sync to the server, which holds the database — and it
//! refuses a tenant without a key, naming the ones that have one.

use orgwarden_cloudsim::SimConfig;
use orgwarden_server::{run_sync_command, SyncArgs};
use orgwarden_store::Backend;
use serde_json::{json, Value};

use crate::audit_support::sim_post;
use crate::operations_support::start;
use crate::processes_support::orgwarden;
use orgwarden_store::on_both_backends;

on_both_backends!(the_command_syncs_the_tenant_and_names_what_it_cannot_sync);

async fn command(args: SyncArgs) -> anyhow::Result<()> {
    tokio::task::spawn_blocking(move || run_sync_command(args))
        .await
        .unwrap()
}

async fn the_command_syncs_the_tenant_and_names_what_it_cannot_sync(backend: Backend) {
    let (_sim, app, s) = start(
        backend,
        SimConfig {
            users: 60,
            sites: 2,
            groups: 6,
            ..SimConfig::default()
        },
    )
    .await;
    // A user cloudsim adds after the app's first sync is in the mirror after the command.
    let added = sim_post(&s, "/__sim/users", json!({"name": "Added By Cron"})).await;
    let account_id = added["accountId"].as_str().unwrap().to_owned();

    // The binary, as cron runs it, beside the app's server.
    let mut sync = orgwarden("sync", &app.config);
    sync.arg("--plain");
    let ran = tokio::task::spawn_blocking(move || sync.output().unwrap())
        .await
        .unwrap();
    let said = String::from_utf8_lossy(&ran.stderr);
    assert!(ran.status.success(), "{said}");
    // SQLite serves one process: the server that holds it runs the sync the command asked for.
    assert_eq!(
        said.contains("serves this SQLite database") && said.contains("is handed to it"),
        backend == Backend::Sqlite,
        "{said}"
    );

    let runs: Value = s.get("/api/v1/sync/runs").await.json().await.unwrap();
    let newest = &runs[0];
    assert_eq!(
        (&newest["kind"], &newest["state"]),
        (&json!("manual"), &json!("succeeded")),
        "{runs}"
    );
    let user = s.get(&format!("/api/v1/users/{account_id}")).await;
    assert_eq!(user.status(), 200, "the added user is in the mirror");

    let me: Value = s.get("/api/v1/me").await.json().await.unwrap();
    let client_key = me["tenant"]["clientKey"].as_str().unwrap().to_owned();
    let refused = command(SyncArgs {
        tenant: Some("no-such-tenant".into()),
        plain: true,
        config: app.config.clone(),
    })
    .await
    .unwrap_err()
    .to_string();
    assert!(
        refused.contains("no-such-tenant has no Organization API key")
            && refused.contains(&client_key),
        "{refused}"
    );
}

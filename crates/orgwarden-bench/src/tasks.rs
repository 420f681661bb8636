//! The tasks scenario: one scheduler tick (`claim_due_runs`) over 1,000 active tasks of 100
//! tenants, none of them due, on SQLite and PostgreSQL. Target: p95 <= 5 ms.

use orgwarden_ids::TenantId;
use std::time::Instant;

use chrono::{Duration, Utc};
use clap::Args;
use orgwarden_jobs::tasks::claim_due_runs;
use orgwarden_store::tasks::{self, TaskFields};
use orgwarden_store::testing::fresh_database;
use orgwarden_store::{saved_filters, tenants, Backend, Cipher};
use serde_json::json;

use crate::fixture::write_json;
use crate::query::{p95, verdict, Backends};

/// Target of issue #16.
const TICK_TARGET_MS: f64 = 5.0;

/// Tasks scenario settings.
#[derive(Args)]
pub struct TasksArgs {
    /// Tenants.
    #[arg(long, default_value_t = 100)]
    tenants: usize,
    /// Active tasks per tenant (none due).
    #[arg(long, default_value_t = 10)]
    tasks_per_tenant: usize,
    /// Timed ticks.
    #[arg(long, default_value_t = 500)]
    iterations: usize,
    /// Backends to measure (PostgreSQL needs `ORGWARDEN_TEST_POSTGRES_URL`).
    #[arg(long, value_enum, default_value = "both")]
    backend: Backends,
}

fn measure(backend: Backend, args: &TasksArgs) -> anyhow::Result<serde_json::Value> {
    let name = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let fresh = fresh_database(backend);
    let db = fresh.db.clone();
    let mut conn = db.get()?;
    let cipher = Cipher::from_base64(&Cipher::generate_master_key())?;
    let now = Utc::now();
    let (actions, schedule) = (
        json!([{"type": "suspend"}]).to_string(),
        json!({"kind": "weekly", "weekdays": ["mon"], "time": "02:30"}).to_string(),
    );
    for t in 0..args.tenants {
        let tenant = format!("bench-tenant-{t}");
        let install = tenants::Installation {
            client_key: TenantId::from(tenant.clone()),
            shared_secret: "bench".into(),
            ..Default::default()
        };
        tenants::install(&mut conn, &cipher, &install, now.naive_utc())?;
        let filter = saved_filters::create(
            &mut conn,
            &TenantId::from(&tenant),
            "Idle",
            "{}",
            "bench",
            now.naive_utc(),
        )?;
        for i in 0..args.tasks_per_tenant {
            let minutes = i64::try_from(t * args.tasks_per_tenant + i)?;
            let fields = TaskFields {
                name: "Weekly",
                saved_filter_id: filter.id,
                actions: &actions,
                reason: None,
                schedule: &schedule,
                time_zone: "UTC",
                active: true,
                dry_run_only: false,
                next_run_at: Some(
                    (now + Duration::hours(1) + Duration::minutes(minutes)).naive_utc(),
                ),
            };
            tasks::create(
                &mut conn,
                &TenantId::from(&tenant),
                &fields,
                "557058:bench",
                now.naive_utc(),
            )?;
        }
    }
    let mut samples = Vec::with_capacity(args.iterations);
    for _ in 0..args.iterations {
        let started = Instant::now();
        let started_runs = claim_due_runs(&mut conn, now)?;
        samples.push(started.elapsed());
        anyhow::ensure!(started_runs.is_empty(), "no task is due");
    }
    let p95 = p95(samples);
    let total = args.tenants * args.tasks_per_tenant;
    println!(
        "  {name}: tick over {total} tasks, none due: p95 {p95:.3} ms (target <= {TICK_TARGET_MS} ms) {}",
        verdict(p95 <= TICK_TARGET_MS)
    );
    Ok(json!({"backend": name, "tasks": total, "tickP95Ms": p95}))
}

/// Runs the scenario.
pub async fn run(args: TasksArgs) -> anyhow::Result<()> {
    println!(
        "tasks: a scheduler tick over {} tenants x {} tasks",
        args.tenants, args.tasks_per_tenant
    );
    let mut results = Vec::new();
    for backend in args.backend.list() {
        let args_ref = &args;
        results.push(tokio::task::block_in_place(|| measure(*backend, args_ref))?);
    }
    write_json(
        "tasks",
        &json!({"scenario": "tasks", "target": {"tickP95Ms": TICK_TARGET_MS}, "results": results}),
    )
}

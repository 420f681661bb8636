//! Exactly once across processes: two `orgwarden worker` processes (the built binary, as
//! children) share one PostgreSQL database and tick every second; three tenants (one per cloudsim
//! site) have twenty dry-run tasks each, all made due at once, eight times over. Every due slot
//! produces exactly one run — none twice, none missing — and every run finishes. One task per
//! tenant selects people, so its runs go through the operation job; the others select nobody,
//! so their runs end when claimed and the rounds (and the processes' races) come fast. Each worker
//! serves `/metrics`; their counters add up to every run and every first sync, once.
//!
//! PostgreSQL only (SQLite serves one process by design), and only when
//! `ORGWARDEN_TEST_POSTGRES_URL` is set (`scripts/with-postgres.sh` sets it); without it the
//! test says so and passes.

use orgwarden_ids::TenantId;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::{NaiveDateTime, Timelike, Utc};
use orgwarden_cloudsim::{spawn, RunningSim, SimConfig};
use orgwarden_store::{settings, tasks, Backend, Database};
use serde_json::{json, Value};

use crate::common::TestApp;
use crate::operations_support::Stack;
use crate::processes_support::{orgwarden, postgres_available, Children};

const TENANTS: usize = 3;
const TASKS_PER_TENANT: usize = 20;
const ROUNDS: usize = 8;
const WORKERS: u32 = 2;

/// The tenants' task ids, by tenant.
type Tasks = BTreeMap<String, Vec<i64>>;

/// One tenant: the app installed on `site`, its daily sync hour away from now, two saved
/// filters (its active people; nobody) and its dry-run tasks.
async fn tenant(sim: &RunningSim, app: &TestApp, site: &str) -> (String, Vec<i64>) {
    let s = Stack::install_on(&sim.url, sim.api_key(), &app.url, Some(site)).await;
    let me: Value = s.get("/api/v1/me").await.json().await.unwrap();
    let client_key = me["tenant"]["clientKey"].as_str().unwrap().to_owned();
    let mut conn = app.db.db.get().unwrap();
    let mut chosen = settings::get(&mut conn, &TenantId::from(&client_key)).unwrap();
    // Runs never start inside the daily sync's hour: keep it far from now.
    chosen.sync_hour = i32::try_from((Utc::now().hour() + 12) % 24).unwrap();
    settings::save(
        &mut conn,
        &TenantId::from(&client_key),
        &chosen,
        "test",
        Utc::now().naive_utc(),
    )
    .unwrap();
    drop(conn);
    let mut filters = Vec::new();
    for (name, filter) in [
        ("Active", json!({"statuses": ["active"]})),
        ("Nobody", json!({"search": "no such person"})),
    ] {
        let saved = s
            .post("/api/v1/filters", json!({"name": name, "filter": filter}))
            .await;
        filters.push(saved.json::<Value>().await.unwrap()["id"].clone());
    }
    let mut ids = Vec::new();
    for n in 0..TASKS_PER_TENANT {
        let filter = &filters[usize::from(n > 0)];
        let task = json!({"name": format!("Weekly {n}"), "savedFilterId": filter,
            "actions": [{"type": "suspend"}], "dryRunOnly": true, "active": true, "timeZone": "UTC",
            "schedule": {"kind": "weekly", "weekdays": ["mon"], "time": "12:00"}});
        let created = s.post("/api/v1/tasks", task).await;
        assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());
        ids.push(
            created.json::<Value>().await.unwrap()["id"]
                .as_i64()
                .unwrap(),
        );
    }
    (client_key, ids)
}

/// Makes every task due now, in one transaction (compare-and-set on what each holds).
fn make_due(db: &Database, all: &Tasks) -> NaiveDateTime {
    let now = Utc::now().naive_utc();
    let mut conn = db.get().unwrap();
    orgwarden_store::transaction(&mut conn, |conn| {
        for (tenant, ids) in all {
            for id in ids {
                let task = tasks::find(conn, &TenantId::from(tenant), *id)?.unwrap();
                let expected = task
                    .next_run_at
                    .expect("an active weekly task has a next run");
                assert!(tasks::advance(conn, *id, expected, Some(now))?);
            }
        }
        Ok::<_, orgwarden_store::StoreError>(())
    })
    .unwrap();
    now
}

/// Every task's runs (oldest first), once each has a run started at or after `since` and all
/// of them finished.
async fn runs_when_done(
    db: &Database,
    all: &Tasks,
    since: NaiveDateTime,
) -> BTreeMap<i64, Vec<NaiveDateTime>> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mut conn = db.get().unwrap();
        let mut found = BTreeMap::new();
        let mut finished = true;
        for (tenant, ids) in all {
            for id in ids {
                let runs = tasks::runs_of(&mut conn, &TenantId::from(tenant), *id, 100).unwrap();
                finished &= runs.iter().any(|r| r.created_at >= since)
                    && runs.iter().all(|r| r.state.is_finished());
                let mut at: Vec<NaiveDateTime> = runs.iter().map(|r| r.created_at).collect();
                at.sort();
                found.insert(*id, at);
            }
        }
        if finished {
            return found;
        }
        assert!(Instant::now() < deadline, "runs since {since}: {found:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[actix_web::test]
async fn two_worker_processes_on_postgres_start_each_due_run_exactly_once() {
    if !postgres_available() {
        return;
    }
    let sim = spawn(SimConfig {
        users: 40,
        sites: TENANTS,
        groups: 4,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    // HTTP only here: the two worker processes do every sync, claim and run.
    let app = TestApp::start_on(Backend::Postgres, &sim.url, |c| {
        c.admin_api_rate = 500.0;
        c.workers = false;
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    // Each worker serves `/metrics` on its own address.
    let metrics: Vec<String> = (0..WORKERS)
        .map(|_| {
            let bind = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap();
            bind.to_string()
        })
        .collect();
    let next_bind = std::sync::atomic::AtomicUsize::new(0);
    let _workers = Children::start(dir.path(), "worker", WORKERS, || {
        let mut worker = orgwarden("worker", &app.config);
        let n = next_bind.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        worker
            .env("ORGWARDEN_TASKS_TICK_SECS", "1")
            .env("ORGWARDEN_METRICS_BIND", &metrics[n]);
        worker
    });

    let org: Value = reqwest::get(format!("{}/__sim/org", sim.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut all = Tasks::new();
    for site in org["sites"].as_array().unwrap() {
        let (client_key, ids) = tenant(&sim, &app, site["name"].as_str().unwrap()).await;
        all.insert(client_key, ids);
    }
    assert_eq!(all.len(), TENANTS, "one tenant per site");

    let started = Instant::now();
    let mut slots = Vec::new();
    for _ in 0..ROUNDS {
        let slot = make_due(&app.db.db, &all);
        slots.push(slot);
        runs_when_done(&app.db.db, &all, slot).await;
    }
    // Two more ticks of each process: a late duplicate would show now.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let runs = runs_when_done(&app.db.db, &all, slots[ROUNDS - 1]).await;
    for (task, at) in &runs {
        let per_slot: Vec<usize> = (0..ROUNDS)
            .map(|r| {
                let next = slots.get(r + 1).copied().unwrap_or(NaiveDateTime::MAX);
                at.iter().filter(|t| **t >= slots[r] && **t < next).count()
            })
            .collect();
        assert_eq!(
            per_slot,
            vec![1; ROUNDS],
            "task {task}: runs per due slot {per_slot:?} ({at:?})"
        );
    }
    assert_eq!(runs.len(), TENANTS * TASKS_PER_TENANT);
    // Each worker process counts what it did: together, every run and every first sync once.
    let mut counted = (0.0, 0.0);
    for url in metrics.iter().map(|bind| format!("http://{bind}/metrics")) {
        let text = reqwest::get(url).await.unwrap().text().await.unwrap();
        let scrape = prometheus_parse::Scrape::parse(text.lines().map(|l| Ok(l.to_owned())));
        for sample in scrape.unwrap().samples {
            let value = match sample.value {
                prometheus_parse::Value::Counter(v) => v,
                _ => continue,
            };
            let label = |name| sample.labels.get(name).unwrap_or_default().to_owned();
            match sample.metric.as_str() {
                "orgwarden_task_runs_started_total" if label("trigger") == "schedule" => {
                    counted.0 += value
                }
                "orgwarden_syncs_total" if label("kind") == "initial" => counted.1 += value,
                _ => {}
            }
        }
    }
    assert_eq!(counted, ((ROUNDS * runs.len()) as f64, TENANTS as f64));
    eprintln!(
        "{ROUNDS} rounds of {} due tasks, one run each, in {:?}",
        runs.len(),
        started.elapsed()
    );
}

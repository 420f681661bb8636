//! The webhooks scenario: 10,000 events queued across 100 tenants (one webhook each) are
//! delivered by the delivery worker to a local receiver; one tenant's receiver takes 5 s per
//! answer. Reports deliveries per second of the other tenants, how long the last of them waited,
//! and the peak resident memory. Targets: >= 500 deliveries/s, and the slow receiver does not
//! hold the others back (they all arrive while it is still answering its first few).

use orgwarden_ids::TenantId;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use actix_web::{web, App, HttpResponse, HttpServer};
use chrono::Utc;
use clap::Args;
use orgwarden_jobs::webhooks::{run_deliveries, DeliveryContext, Limits};
use orgwarden_jobs::Clock;
use orgwarden_store::sync_runs::SyncKind;
use orgwarden_store::testing::{fresh_database, TestDatabase};
use orgwarden_store::webhooks::{self, Event, EventKind, WebhookFields};
use orgwarden_store::{tenants, Backend, Cipher};
use serde_json::json;

use crate::fixture::{peak_rss_mib, reset_peak_rss, write_json};
use crate::query::verdict;

const RATE_TARGET: f64 = 500.0;
const SLOW: Duration = Duration::from_secs(5);

/// Webhooks scenario settings.
#[derive(Args)]
pub struct WebhooksArgs {
    /// Tenants, one webhook each (the first has the slow receiver).
    #[arg(long, default_value_t = 100)]
    tenants: usize,
    /// Events in all.
    #[arg(long, default_value_t = 10_000)]
    events: usize,
    /// Use PostgreSQL (`ORGWARDEN_TEST_POSTGRES_URL`) instead of SQLite.
    #[arg(long)]
    postgres: bool,
}

#[derive(Default)]
struct Received {
    fast: AtomicUsize,
    slow: AtomicUsize,
}

async fn receive(got: web::Data<Received>, path: web::Path<usize>) -> HttpResponse {
    if path.into_inner() == 0 {
        tokio::time::sleep(SLOW).await;
        got.slow.fetch_add(1, Ordering::SeqCst);
    } else {
        got.fast.fetch_add(1, Ordering::SeqCst);
    }
    HttpResponse::NoContent().finish()
}

fn queue(db: &TestDatabase, cipher: &Cipher, args: &WebhooksArgs, port: u16) -> anyhow::Result<()> {
    let mut conn = db.db.get()?;
    let now = Utc::now().naive_utc();
    let per_tenant = args.events / args.tenants;
    for t in 0..args.tenants {
        let tenant = format!("bench-tenant-{t}");
        let install = tenants::Installation {
            client_key: TenantId::from(tenant.clone()),
            shared_secret: "bench".into(),
            base_url: "https://bench.atlassian.net".into(),
            ..Default::default()
        };
        tenants::install(&mut conn, cipher, &install, now)?;
        let fields = WebhookFields {
            name: "bench".into(),
            url: format!("http://127.0.0.1:{port}/hook/{t}"),
            events: vec![EventKind::SyncFailed],
            notes: String::new(),
            active: true,
        };
        webhooks::create(
            &mut conn,
            cipher,
            &TenantId::from(&tenant),
            &fields,
            &webhooks::generate_secret(),
            "bench",
            now,
        )?;
        orgwarden_store::transaction(&mut conn, |conn| -> anyhow::Result<()> {
            for run_id in 0..per_tenant {
                let event = Event::SyncFailed {
                    run_id: run_id as i64,
                    kind: SyncKind::Daily,
                    error: "The Atlassian Admin API was unavailable.".into(),
                };
                webhooks::enqueue_event(conn, &TenantId::from(&tenant), &event, now)?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// Runs the scenario.
pub async fn run(args: WebhooksArgs) -> anyhow::Result<()> {
    let backend = if args.postgres {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    let db = fresh_database(backend);
    let cipher = Cipher::from_base64(&Cipher::generate_master_key())?;
    let got = web::Data::new(Received::default());
    let data = got.clone();
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/hook/{tenant}", web::post().to(receive))
    })
    .workers(2)
    .listen(listener)?
    .run();
    let handle = server.handle();
    tokio::spawn(server);
    queue(&db, &cipher, &args, port)?;
    let per_tenant = args.events / args.tenants;
    let fast_total = per_tenant * (args.tenants - 1);
    println!(
        "  {} events queued for {} tenants ({backend:?})",
        per_tenant * args.tenants,
        args.tenants
    );

    reset_peak_rss();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let ctx = DeliveryContext {
        db: db.db.clone(),
        cipher,
        clock: Clock::system(),
        allow_private: true,
        limits: Limits::default(),
    };
    let worker = tokio::spawn(run_deliveries(ctx, async {
        let _ = stopped.await;
    }));
    let started = Instant::now();
    while got.fast.load(Ordering::SeqCst) < fast_total {
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(600),
            "deliveries stalled"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let slow_done = got.slow.load(Ordering::SeqCst);
    let rate = fast_total as f64 / elapsed;
    let peak = peak_rss_mib();
    let _ = stop.send(());
    let _ = worker.await;
    handle.stop(false).await;
    println!(
        "    {fast_total} deliveries to 99 tenants in {elapsed:.2} s: {rate:.0} deliveries/s (target >= {RATE_TARGET}) {}",
        verdict(rate >= RATE_TARGET)
    );
    let unblocked = slow_done < per_tenant;
    println!(
        "    meanwhile the 5-s receiver answered {slow_done} of {per_tenant}: the others did not wait for it {}",
        verdict(unblocked)
    );
    println!("    peak resident memory of the worker process: {peak:.0} MiB");
    write_json(
        "webhooks",
        &json!({"backend": format!("{backend:?}"), "events": per_tenant * args.tenants, "tenants": args.tenants,
            "fastDeliveries": fast_total, "seconds": elapsed, "deliveriesPerSecond": rate,
            "slowAnswered": slow_done, "peakRssMiB": peak}),
    )
}

//! The query scenario: named filters at pages of 50, the dashboard, and a CSV export of every
//! user, on a large mirror, on SQLite and PostgreSQL.

use std::time::{Duration, Instant};

use chrono::Utc;
use clap::Args;
use orgwarden_store::users::{self, AccountType, Filter, ProductRef, Role, Sort, UserStatus};
use orgwarden_store::{mirror, Backend, Database};
use serde_json::json;

use crate::fixture::{connect, full_sync, start_sim, write_json, TENANT};

/// Query scenario settings.
#[derive(Args)]
pub struct QueryArgs {
    /// Users in the organization.
    #[arg(long, default_value_t = 100_000)]
    users: usize,
    /// Timed runs per query.
    #[arg(long, default_value_t = 20)]
    iterations: usize,
}

fn p95(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    let index = ((samples.len() as f64) * 0.95).ceil() as usize;
    samples[index.saturating_sub(1).min(samples.len() - 1)].as_secs_f64() * 1000.0
}

fn filters(site: &str, group: &str, domain: &str) -> Vec<(&'static str, Filter)> {
    let product = |key: &str, site: Option<&str>| ProductRef {
        product_key: key.into(),
        site_id: site.map(str::to_owned),
    };
    vec![
        (
            "inactive >= 90 days on Confluence, one site",
            Filter {
                inactive_days: Some(90),
                products: vec![product("confluence", Some(site))],
                ..Filter::default()
            },
        ),
        (
            "never active",
            Filter {
                never_active: Some(true),
                ..Filter::default()
            },
        ),
        (
            "email domain + group",
            Filter {
                email_domains: vec![domain.into()],
                groups: vec![group.into()],
                ..Filter::default()
            },
        ),
        (
            "suspended",
            Filter {
                statuses: vec![UserStatus::Suspended],
                ..Filter::default()
            },
        ),
        (
            "search text",
            Filter {
                search: Some("mar".into()),
                ..Filter::default()
            },
        ),
        (
            "org admins and site admins",
            Filter {
                roles: vec![Role::OrgAdmin, Role::SiteAdmin],
                ..Filter::default()
            },
        ),
        (
            "product admins",
            Filter {
                roles: vec![Role::ProductAdmin],
                ..Filter::default()
            },
        ),
        (
            "inactive >= 30 days, any product",
            Filter {
                inactive_days: Some(30),
                ..Filter::default()
            },
        ),
        (
            "billable, inactive >= 180 days",
            Filter {
                billable: Some(true),
                inactive_days: Some(180),
                ..Filter::default()
            },
        ),
        (
            "Jira Software on every site, people only",
            Filter {
                products: vec![product("jira-software", None)],
                account_types: vec![AccountType::Atlassian],
                ..Filter::default()
            },
        ),
    ]
}

/// Runs the scenario on both backends.
pub async fn run(args: QueryArgs) -> anyhow::Result<()> {
    let flags: Vec<String> = [
        "--users",
        &args.users.to_string(),
        "--sites",
        "10",
        "--groups",
        "2000",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let sim = start_sim(&flags).await?;
    let mut results = Vec::new();
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let test = if backend == Backend::Postgres
            && std::env::var("ORGWARDEN_TEST_POSTGRES_URL").is_err()
        {
            println!("  PostgreSQL skipped: run under scripts/with-postgres.sh (make bench does)");
            continue;
        } else {
            orgwarden_store::testing::fresh_database(backend)
        };
        let ctx = connect(&test.db, &sim, 0.0).await?;
        full_sync(&ctx).await?;
        results.push(measure(&test.db, backend, args.iterations)?);
    }
    write_json(
        "query",
        &json!({"scenario": "query", "users": args.users, "backends": results}),
    )
}

fn measure(
    db: &Database,
    backend: Backend,
    iterations: usize,
) -> anyhow::Result<serde_json::Value> {
    let mut conn = db.get()?;
    let published =
        mirror::current(&mut conn, TENANT)?.ok_or_else(|| anyhow::anyhow!("no mirror"))?;
    let generation = published.generation;
    let now = Utc::now().naive_utc();
    let site = users::dashboard(&mut conn, TENANT, generation, None, 90, now)?
        .first()
        .map(|t| t.site_id.clone())
        .unwrap_or_default();
    let group = users::groups(&mut conn, TENANT, generation)?
        .into_iter()
        .max_by_key(|g| g.member_count)
        .map(|g| g.id)
        .unwrap_or_default();
    let sample = users::search(
        &mut conn,
        TENANT,
        generation,
        &Filter::default(),
        Sort::default(),
        1,
        1,
        now,
    )?;
    let domain = sample
        .items
        .first()
        .and_then(|u| u.email.as_deref())
        .and_then(|e| e.split_once('@'))
        .map(|(_, d)| d.to_owned())
        .unwrap_or_default();
    println!("  {backend:?}:");
    let mut rows = Vec::new();
    for (name, filter) in filters(&site, &group, &domain) {
        let mut samples = Vec::new();
        let mut total = 0;
        for _ in 0..iterations {
            let started = Instant::now();
            let page = users::search(
                &mut conn,
                TENANT,
                generation,
                &filter,
                Sort::default(),
                1,
                50,
                now,
            )?;
            samples.push(started.elapsed());
            total = page.total;
        }
        let p95 = p95(samples);
        println!("    {name:<45} {total:>7} users   p95 {p95:>7.1} ms   (target <= 50 ms)");
        rows.push(json!({"filter": name, "matching": total, "p95Ms": p95}));
    }
    let mut samples = Vec::new();
    for _ in 0..iterations {
        let started = Instant::now();
        users::dashboard(&mut conn, TENANT, generation, None, 90, now)?;
        samples.push(started.elapsed());
    }
    let dashboard = p95(samples);
    println!(
        "    {:<45} {:>13}   p95 {dashboard:>7.1} ms   (target <= 100 ms)",
        "dashboard, all sites, 90 days", ""
    );
    let started = Instant::now();
    let mut sink = std::io::sink();
    let exported = users::export_csv(
        &mut conn,
        TENANT,
        generation,
        &Filter::default(),
        now,
        &mut sink,
    )?;
    let export = started.elapsed().as_secs_f64();
    println!(
        "    {:<45} {exported:>7} users   {export:>9.2} s   (target <= 3 s)",
        "CSV export of all users"
    );
    Ok(
        json!({"backend": format!("{backend:?}"), "filters": rows, "dashboardP95Ms": dashboard, "csvExportSeconds": export, "csvExportUsers": exported}),
    )
}

//! The queue in PostgreSQL, each test on a fresh database of the server named by
//! `ORGWARDEN_TEST_POSTGRES_URL` (`scripts/with-postgres.sh` starts one).

use std::sync::atomic::{AtomicU32, Ordering};

use crate::common::{
    a_failed_job_is_retried, a_job_failing_every_time_gives_up, every_job_runs_exactly_once,
    finished_jobs_are_pruned, guarded, jobs_survive_a_worker_restart,
};
use orgwarden_jobs::QueueBackend;

async fn fresh_database() -> QueueBackend {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let server = std::env::var("ORGWARDEN_TEST_POSTGRES_URL").expect(
        "ORGWARDEN_TEST_POSTGRES_URL is not set: run under scripts/with-postgres.sh (or make test)",
    );
    let name = format!(
        "tjobs_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let admin = sqlx::PgPool::connect(&format!("{server}/postgres"))
        .await
        .unwrap();
    let create = sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"));
    sqlx::raw_sql(create).execute(&admin).await.unwrap();
    admin.close().await;
    QueueBackend::for_database_url(&format!("{server}/{name}")).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_runs_every_job_exactly_once() {
    guarded(every_job_runs_exactly_once(fresh_database().await)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_retries_a_failed_job() {
    guarded(a_failed_job_is_retried(fresh_database().await)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_jobs_survive_a_worker_restart() {
    guarded(jobs_survive_a_worker_restart(fresh_database().await)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_gives_up_on_a_job_that_always_fails() {
    guarded(a_job_failing_every_time_gives_up(fresh_database().await)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_prunes_finished_jobs() {
    guarded(finished_jobs_are_pruned(fresh_database().await)).await;
}

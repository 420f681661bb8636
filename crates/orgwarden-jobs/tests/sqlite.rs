//! The queue on a SQLite file of its own.

use crate::common::{
    a_failed_job_is_retried, a_job_failing_every_time_gives_up, every_job_runs_exactly_once,
    finished_jobs_are_pruned, guarded, jobs_survive_a_worker_restart,
};
use orgwarden_jobs::QueueBackend;
use tempfile::TempDir;

fn backend() -> (TempDir, QueueBackend) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/orgwarden.sqlite", dir.path().display());
    let backend = QueueBackend::for_database_url(&url).unwrap();
    assert_eq!(
        backend,
        QueueBackend::Sqlite {
            path: dir.path().join("orgwarden.jobs.sqlite")
        }
    );
    (dir, backend)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_runs_every_job_exactly_once() {
    let (_dir, backend) = backend();
    guarded(every_job_runs_exactly_once(backend)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_retries_a_failed_job() {
    let (_dir, backend) = backend();
    guarded(a_failed_job_is_retried(backend)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_jobs_survive_a_worker_restart() {
    let (_dir, backend) = backend();
    guarded(jobs_survive_a_worker_restart(backend)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_gives_up_on_a_job_that_always_fails() {
    let (_dir, backend) = backend();
    guarded(a_job_failing_every_time_gives_up(backend)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_prunes_finished_jobs() {
    let (_dir, backend) = backend();
    guarded(finished_jobs_are_pruned(backend)).await;
}

//! After a sync the mirror equals cloudsim's state, on SQLite and PostgreSQL, also through
//! faults and hard throttling; a failed sync keeps the previous mirror.

use crate::sync_support::*;
use chrono::Utc;
use orgwarden_cloudsim::SimConfig;
use orgwarden_ids::TenantId;
use orgwarden_jobs::SyncKind;
use orgwarden_store::on_both_backends;
use orgwarden_store::sync_runs::SyncRunState;
use orgwarden_store::Backend;

on_both_backends!(
    mirror_equals_cloudsim,
    mirror_is_exact_through_faults_and_throttling,
    a_key_expiring_mid_sync_fails_the_run_and_keeps_the_mirror
);

async fn mirror_equals_cloudsim(backend: Backend) {
    let f = fixture(backend, sim_config(450)).await;
    let run = f.sync(SyncKind::Initial, None).await;
    assert_eq!(
        run.state,
        SyncRunState::Succeeded,
        "{backend:?}: {:?}",
        run.error
    );
    assert_eq!(run.users, 450);
    f.assert_mirror_matches().await;

    // Users gone from the organization disappear; a second sync replaces the generation.
    let gone = f.sim_org().await["users"][3]["accountId"]
        .as_str()
        .unwrap()
        .to_owned();
    {
        let mut org = f.sim.state.org.write();
        org.users.retain(|u| u.account_id != gone);
        org.reindex();
    }
    let run = f.sync(SyncKind::Manual, None).await;
    assert_eq!(run.state, SyncRunState::Succeeded);
    f.assert_mirror_matches().await;
}

async fn mirror_is_exact_through_faults_and_throttling(backend: Backend) {
    // The client paces itself at 500 requests/s, cloudsim allows 20 after a burst of 5: the
    // sync's ~45 requests come faster than that unless each takes over 50 ms, so 429s happen
    // (at 100/s a busy debug build sometimes sent none).
    let config = SimConfig {
        fault_rate: 0.05,
        rate_limit: Some(20.0),
        burst: Some(5),
        ..sim_config(300)
    };
    let f = fixture(backend, config).await;
    let run = f.sync(SyncKind::Manual, None).await;
    assert_eq!(
        run.state,
        SyncRunState::Succeeded,
        "{backend:?}: {:?}",
        run.error
    );
    f.assert_mirror_matches().await;
    let stats: serde_json::Value = reqwest::get(format!("{}/__sim/stats", f.sim.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        stats.to_string().contains("429")
            || stats["rateLimited"].as_u64().unwrap_or(0) > 0
            || stats["throttled"].as_u64().unwrap_or(0) > 0,
        "throttling happened: {stats}"
    );
}

#[actix_web::test]
async fn cursors_that_meet_early_read_on_until_every_user_is_there() {
    // An API whose nickname order differs from the client's lower-cased one: `Z…` sorts before
    // `a…` there, after it here. Each partition's cursors then judge after a page or two that
    // they have met, the user count shows users missing, and the ascending cursors read on.
    let f = fixture(orgwarden_store::Backend::Sqlite, sim_config(1_500)).await;
    {
        let mut org = f.sim.state.org.write();
        for (i, user) in org.users.iter_mut().enumerate() {
            let prefix = if i % 2 == 0 { "Z" } else { "a" };
            user.nickname = format!("{prefix}{i:05}");
        }
        org.case_sensitive_nicknames = true;
        org.reindex();
    }
    let run = f.sync(SyncKind::Initial, None).await;
    assert_eq!(run.state, SyncRunState::Succeeded, "{:?}", run.error);
    assert_eq!(run.users, 1_500);
    f.assert_mirror_matches().await;
}

#[actix_web::test]
async fn partial_sync_refreshes_only_the_given_users() {
    let f = fixture(orgwarden_store::Backend::Sqlite, sim_config(120)).await;
    assert_eq!(
        f.sync(SyncKind::Initial, None).await.state,
        SyncRunState::Succeeded
    );
    let org = f.sim_org().await;
    let target = org["users"][5]["accountId"].as_str().unwrap().to_owned();
    let removed = org["users"][6]["accountId"].as_str().unwrap().to_owned();
    {
        let mut sim_org = f.sim.state.org.write();
        if let Some(user) = sim_org.users.iter_mut().find(|u| u.account_id == target) {
            user.name = "Renamed Person".into();
        }
        sim_org.users.retain(|u| u.account_id != removed);
        sim_org.reindex();
    }
    let run = f
        .sync(
            SyncKind::PreOperation,
            Some(&[target.clone(), removed.clone()]),
        )
        .await;
    assert_eq!(run.state, SyncRunState::Succeeded, "{:?}", run.error);
    f.assert_mirror_matches().await;
}

async fn a_key_expiring_mid_sync_fails_the_run_and_keeps_the_mirror(backend: Backend) {
    let f = fixture(
        backend,
        SimConfig {
            latency_ms: 20,
            ..sim_config(900)
        },
    )
    .await;
    assert_eq!(
        f.sync(SyncKind::Initial, None).await.state,
        SyncRunState::Succeeded
    );
    let published = {
        let mut conn = f.db.db.get().unwrap();
        orgwarden_store::mirror::current(&mut conn, &TenantId::from(TENANT))
            .unwrap()
            .unwrap()
            .generation
    };
    let sent_before = f.sim.state.stats.snapshot().total_requests;
    let expire = async {
        while f.sim.state.stats.snapshot().total_requests < sent_before + 5 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        let yesterday = Utc::now().date_naive() - chrono::Duration::days(1);
        for key in f.sim.state.api_keys.write().iter_mut() {
            key.expires_at = yesterday;
        }
    };
    let (run, ()) = futures::join!(f.sync(SyncKind::Manual, None), expire);
    assert_eq!(run.state, SyncRunState::Failed, "{backend:?}");
    let error = run.error.unwrap_or_default();
    assert!(
        error.contains("expired") && error.contains("Settings"),
        "the admin reads what to do: {error}"
    );
    let mut conn = f.db.db.get().unwrap();
    let still = orgwarden_store::mirror::current(&mut conn, &TenantId::from(TENANT))
        .unwrap()
        .unwrap();
    assert_eq!(still.generation, published, "the previous mirror stays");
    drop(conn);
    f.assert_mirror_matches().await;
}

//! Building the state, the actix app, and running it (in-process for tests, or until Ctrl-C).

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use chrono::Utc;

use crate::config::{ApiKey, SimConfig};
use crate::install_signer::InstallSigner;
use crate::state::{self, Persisted, Sim};

/// A simulator running in this process.
pub struct RunningSim {
    /// Base URL, e.g. `http://127.0.0.1:40123`.
    pub url: String,
    /// Valid API keys.
    pub api_keys: Vec<ApiKey>,
    /// Organization id.
    pub org_id: String,
    /// Directory id.
    pub directory_id: String,
    /// Shared state (direct access for tests).
    pub state: web::Data<Sim>,
    handle: ServerHandle,
}

impl RunningSim {
    /// The first API key.
    pub fn api_key(&self) -> &str {
        self.api_keys
            .first()
            .map(|k| k.key.as_str())
            .unwrap_or_default()
    }

    /// Stops the server (gracefully) and writes the state file if one is configured.
    pub async fn stop(self) {
        self.handle.stop(true).await;
        if let Err(e) = self.state.flush() {
            tracing::warn!(error = %e, "could not write the state file");
        }
    }
}

/// Loads the state file (if given and present) or generates the organization; merges API keys.
pub fn build_state(config: SimConfig) -> anyhow::Result<Sim> {
    // RSA key generation takes a noticeable, random time: overlap it with the org generation.
    let given = config.install_key.clone();
    let signer = std::thread::spawn(move || match given {
        Some(key) => InstallSigner::from_key(&key),
        None => InstallSigner::generate(),
    });
    let started = std::time::Instant::now();
    let loaded = match &config.state_file {
        Some(path) if path.exists() => Some(state::load(path)?),
        _ => None,
    };
    let fresh = loaded.is_none();
    let mut persisted = loaded.unwrap_or_else(|| Persisted {
        org: crate::generator::generate(&config.gen_config()),
        api_keys: Vec::new(),
        installations: Vec::new(),
    });
    for key in &config.api_keys {
        persisted.api_keys.retain(|k| k.key != key.key);
        persisted.api_keys.push(key.clone());
    }
    if persisted.api_keys.is_empty() {
        persisted.api_keys.push(ApiKey {
            key: crate::ids::api_key(&mut rand::thread_rng()),
            expires_at: Utc::now().date_naive() + chrono::Duration::days(365),
            foreign_org: None,
        });
    }
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        users = persisted.org.users.len(),
        "organization ready"
    );
    let signer = signer
        .join()
        .map_err(|_| anyhow::anyhow!("install key generation panicked"))??;
    let sim = Sim::new(config, persisted, signer)?;
    if fresh {
        sim.touch();
    }
    Ok(sim)
}

/// Registers every route of the simulator.
pub fn routes(cfg: &mut web::ServiceConfig) {
    crate::admin::configure(cfg);
    crate::control::configure(cfg);
    crate::connect::configure(cfg);
    crate::automation::configure(cfg);
}

/// Starts the HTTP server in the background of the current tokio runtime.
pub async fn spawn(config: SimConfig) -> anyhow::Result<RunningSim> {
    let listener = TcpListener::bind(&config.bind)?;
    let addr = listener.local_addr()?;
    let workers = config.workers.max(1);
    let state = web::Data::new(tokio::task::spawn_blocking(move || build_state(config)).await??);
    let app_state = state.clone();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(app_state.clone())
            .app_data(web::PayloadConfig::new(16 * 1024 * 1024))
            .wrap(from_fn(crate::gate::gate))
            .configure(routes)
    })
    .workers(workers)
    .disable_signals()
    .listen(listener)?
    .run();
    let handle = server.handle();
    tokio::spawn(server);
    let flusher = state.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(2)).await;
            let s = flusher.clone();
            let _ = tokio::task::spawn_blocking(move || {
                if let Err(e) = s.flush() {
                    tracing::warn!(error = %e, "could not write the state file");
                }
            })
            .await;
        }
    });
    let (org_id, directory_id) = {
        let org = state.org.read();
        (org.org_id.clone(), org.directory_id.clone())
    };
    let api_keys = state.api_keys.read().clone();
    Ok(RunningSim {
        url: format!("http://{addr}"),
        api_keys,
        org_id,
        directory_id,
        state,
        handle,
    })
}

/// Runs until Ctrl-C or SIGTERM, printing a ready line with the URL and the keys.
pub async fn serve(config: SimConfig) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let sim = spawn(config).await?;
    {
        let org = sim.state.org.read();
        println!(
            "cloudsim ready on {} in {:.1}s: org {} \"{}\" ({} users, {} groups, {} sites: {})",
            sim.url,
            started.elapsed().as_secs_f64(),
            org.org_id,
            org.name,
            org.users.len(),
            org.groups.len(),
            org.sites.len(),
            org.sites
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    for k in &sim.api_keys {
        println!("cloudsim API key: {} (expires {})", k.key, k.expires_at);
    }
    println!(
        "cloudsim Admin API: {}/admin/v1/orgs  control: {}/__sim/org",
        sim.url, sim.url
    );
    shutdown_signal().await?;
    sim.stop().await;
    Ok(())
}

/// Ctrl-C, or SIGTERM on Unix (how `orgwarden demo` and process managers stop us).
async fn shutdown_signal() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r,
            _ = term.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c().await
}

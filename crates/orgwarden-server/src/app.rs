//! Building the state and the HTTP server from configuration.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpResponse, HttpServer};
use anyhow::Context;
use orgwarden_connect::{
    render_descriptor, DescriptorVars, HttpInstallKeys, InstallKeys, DESCRIPTOR_TEMPLATE,
};
use orgwarden_store::{upgrade_secrets, Cipher, Database};
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Config;
use crate::error;
use crate::health::PrivateMetrics;
use crate::metrics::Metrics;
use crate::security_headers::SecurityHeaders;
use crate::state::AppState;

/// Largest JSON body accepted by the API.
pub const MAX_JSON_BODY: usize = 1024 * 1024;

/// Message printed when no master key is configured.
pub const MISSING_MASTER_KEY: &str =
    "ORGWARDEN_MASTER_KEY is not set. It encrypts secrets at rest: \
make one with `openssl rand -base64 32` (or `head -c 32 /dev/urandom | base64`), keep it safe, and \
set ORGWARDEN_MASTER_KEY (--master-key), or put it in a file readable only by orgwarden and set \
ORGWARDEN_MASTER_KEY_FILE (--master-key-file). Losing it makes stored secrets unreadable.";

/// Opens the database, runs migrations, starts the background runtime (with job workers when
/// `run_workers`) and builds the shared state.
pub fn build_state(config: Config, run_workers: bool) -> anyhow::Result<AppState> {
    let install_keys: Arc<dyn InstallKeys> =
        Arc::new(HttpInstallKeys::new(&config.install_keys_url));
    let cipher = Cipher::from_base64(&config.master_key()?)?;
    let security = SecurityHeaders::from_config(&config)?;
    let single_process =
        crate::sqlite_lock::lock(&config.database_url, crate::sqlite_lock::SERVER)?.map(Arc::new);
    let db = Database::connect(&config.database_url)?;
    db.run_migrations()?;
    upgrade_secrets(&db, &cipher).context("upgrading stored secrets to the v2 form")?;
    orgwarden_store::check_master_key(&db, &cipher).context(
        "the master key does not open the secrets this database holds: start every process \
         with the key the database was set up with (ORGWARDEN_MASTER_KEY or \
         ORGWARDEN_MASTER_KEY_FILE)",
    )?;
    let descriptor = render_descriptor(
        DESCRIPTOR_TEMPLATE,
        &DescriptorVars {
            base_url: config.base_url().to_owned(),
            app_key: config.app_key.clone(),
        },
    )?;
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(30))
        .user_agent(concat!("orgwarden/", env!("CARGO_PKG_VERSION")))
        .build()?;
    let jobs = crate::background::start(crate::background::BackgroundConfig {
        database_url: config.database_url.clone(),
        db: db.clone(),
        cipher: cipher.clone(),
        admin_api_url: config.admin_api_url.clone(),
        admin_api_rate: config.admin_api_rate,
        full_sync_every_days: config.full_sync_every_days,
        license: orgwarden_jobs::LicenseSettings {
            app_key: config.app_key.clone(),
            edition: config.license_edition,
        },
        retention: crate::retention::Retention {
            edition: config.license_edition,
            days: config.retention_days,
        },
        run_workers,
        webhooks_allow_private: config.webhooks_allow_private,
        clock: config.clock.clone(),
        tasks_tick: Duration::from_secs(config.tasks_tick_secs),
        daily_sync_tick: Duration::from_secs(config.daily_sync_tick_secs),
    })?;
    let roles_ttl = Duration::from_secs(config.roles_cache_secs);
    let base_path: Arc<str> = config.base_path().into();
    let exports = crate::export_slots::ExportSlots::for_pool(db.max_connections());
    Ok(AppState {
        jobs,
        config: Arc::new(config),
        db,
        cipher,
        descriptor: Arc::new(descriptor),
        install_keys,
        tenants: Arc::default(),
        permissions: Arc::default(),
        access: Arc::new(crate::access::AccessCache::new(roles_ttl)),
        base_path,
        http,
        metrics: Arc::new(Metrics::new()?),
        security: Arc::new(security),
        exports,
        audit_links: Arc::default(),
        single_process,
    })
}

/// `GET /api/docs`: the interactive docs live at `/api/docs/` (relative, so a base path holds).
async fn docs_folder() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((actix_web::http::header::LOCATION, "docs/"))
        .finish()
}

/// Every route of the server.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/atlassian-connect.json",
        web::get().to(crate::pages::descriptor),
    )
    .route("/admin", web::get().to(crate::pages::spa_page))
    .route("/app", web::get().to(crate::pages::spa_page))
    .route("/healthz", web::get().to(crate::health::healthz))
    .route("/readyz", web::get().to(crate::health::readyz))
    .route("/metrics", web::get().to(crate::health::metrics))
    .configure(crate::lifecycle::configure)
    .configure(crate::api::configure)
    .route("/api/docs", web::get().to(docs_folder))
    .service(
        SwaggerUi::new("/api/docs/{_:.*}")
            .url("/api/openapi.json", crate::openapi::ApiDoc::openapi()),
    );
}

/// Binds and starts the `/metrics` listener of a process that serves nothing else (an
/// `orgwarden worker`): it runs until stopped (also by Ctrl-C or SIGTERM).
pub fn metrics_server(state: AppState, listener: TcpListener) -> anyhow::Result<Server> {
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/metrics", web::get().to(crate::health::metrics))
            .default_service(web::to(error::not_found))
    })
    .workers(1)
    .listen(listener)?;
    Ok(server.run())
}

/// Binds and starts the HTTP server (it runs until stopped), with `/metrics` on its own listener
/// when `ORGWARDEN_METRICS_BIND` is set.
pub fn http_server(state: AppState, listener: TcpListener) -> anyhow::Result<Server> {
    let metrics = match state.config.metrics_bind {
        Some(addr) => Some(
            TcpListener::bind(addr)
                .with_context(|| format!("cannot listen on ORGWARDEN_METRICS_BIND {addr}"))?,
        ),
        None => None,
    };
    let workers = state.config.http_workers;
    let assets = std::path::Path::new(&state.config.frontend_dir).join("assets");
    let private = web::Data::new(PrivateMetrics(
        metrics.as_ref().map(TcpListener::local_addr).transpose()?,
    ));
    let data = web::Data::new(state);
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(private.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(MAX_JSON_BODY)
                    .error_handler(error::json_error),
            )
            .app_data(web::QueryConfig::default().error_handler(error::query_error))
            .app_data(web::PathConfig::default().error_handler(error::path_error))
            .app_data(web::PayloadConfig::new(MAX_JSON_BODY))
            .wrap(from_fn(crate::health::private_metrics))
            .wrap(from_fn(crate::security_headers::apply))
            .wrap(from_fn(crate::telemetry::observe))
            .configure(configure)
            .service(actix_files::Files::new("/assets", &assets).prefer_utf8(true))
            .default_service(web::to(error::not_found))
    })
    .listen(listener)?;
    if let Some(metrics) = metrics {
        tracing::info!(bind = %metrics.local_addr()?, "/metrics served on its own listener");
        server = server.listen(metrics)?;
    }
    if workers > 0 {
        server = server.workers(workers);
    }
    Ok(server.run())
}

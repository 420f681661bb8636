//! Lifecycle callbacks (`atlassian-connect.md` §2–3). `installed` and `uninstalled` must carry an
//! RS256 token signed by Atlassian whose `iss` equals the body's `clientKey`; `enabled` and
//! `disabled` carry an HS256 token of the stored secret. An HS256 install proves nothing (its
//! signer may have chosen the secret in the body), so it is refused.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Duration, Utc};
use orgwarden_connect::{
    unverified_issuer, verify_hs256, verify_install, LifecycleEvent, LifecyclePayload, QshPolicy,
};
use orgwarden_ids::TenantId;
use orgwarden_store::tenants::{self, Installation};

use crate::audit_log::{lifecycle_audit, record_now};
use crate::auth::{header_token, load_tenant, request_qsh, token_error};
use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

/// Largest lifecycle body accepted.
pub const MAX_LIFECYCLE_BODY: usize = 64 * 1024;

/// Routes under `/lifecycle`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    for (path, event) in [
        ("/lifecycle/installed", LifecycleEvent::Installed),
        ("/lifecycle/uninstalled", LifecycleEvent::Uninstalled),
        ("/lifecycle/enabled", LifecycleEvent::Enabled),
        ("/lifecycle/disabled", LifecycleEvent::Disabled),
    ] {
        cfg.service(
            web::resource(path)
                .app_data(web::PayloadConfig::new(MAX_LIFECYCLE_BODY))
                .route(web::post().to(move |state, req, body| handle(state, req, body, event)))
                .default_service(web::to(crate::error::method_not_allowed)),
        );
    }
}

async fn handle(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
    expected: LifecycleEvent,
) -> Result<HttpResponse, ApiError> {
    let payload: LifecyclePayload = serde_json::from_slice(&body).map_err(|e| {
        ApiError::validation(format!("The lifecycle body is not a valid payload: {e}"))
    })?;
    let event = payload
        .validate()
        .map_err(|e| ApiError::validation(e.to_string()))?;
    if event != expected {
        return Err(ApiError::validation(format!(
            "eventType {:?} was sent to the {:?} callback",
            event.as_str(),
            expected.as_str()
        )));
    }
    let token = header_token(&req)?.ok_or_else(|| {
        ApiError::unauthorized("Lifecycle callbacks must be signed (Authorization: JWT …).")
    })?;
    match event {
        LifecycleEvent::Installed | LifecycleEvent::Uninstalled => {
            let qsh = request_qsh(&state, &req)?;
            let claims = verify_install(
                token,
                state.install_keys.as_ref(),
                state.config.base_url(),
                &payload.client_key,
                &qsh,
                Utc::now().timestamp(),
            )
            .await
            .map_err(token_error)?;
            if event == LifecycleEvent::Installed {
                installed(&state, payload, claims.sub).await?;
            } else {
                uninstalled(&state, TenantId::from(payload.client_key)).await?;
            }
        }
        LifecycleEvent::Enabled | LifecycleEvent::Disabled => {
            enabled_or_disabled(&state, &req, token, &payload, event).await?;
        }
    }
    Ok(HttpResponse::NoContent().finish())
}

async fn installed(
    state: &AppState,
    payload: LifecyclePayload,
    installed_by: Option<String>,
) -> Result<(), ApiError> {
    if payload.key != state.config.app_key {
        return Err(ApiError::validation(format!(
            "This server hosts the app {:?}, not {:?}.",
            state.config.app_key, payload.key
        )));
    }
    let shared_secret = payload
        .shared_secret
        .clone()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::validation("sharedSecret is required on installed"))?;
    let install = Installation {
        client_key: TenantId::from(&payload.client_key),
        app_key: payload.key,
        base_url: payload.base_url,
        cloud_id: payload.cloud_id,
        display_url: payload.display_url,
        product_type: payload.product_type,
        description: payload.description,
        service_entitlement_number: payload.service_entitlement_number,
        entitlement_id: payload.entitlement_id,
        entitlement_number: payload.entitlement_number,
        oauth_client_id: payload.oauth_client_id,
        plugins_version: payload.plugins_version,
        server_version: payload.server_version,
        installation_id: payload.installation_id,
        installed_by,
        shared_secret,
    };
    let client_key = install.client_key.clone();
    let (db, cipher) = (state.db.clone(), state.cipher.clone());
    db::try_run(&db, move |conn| -> Result<(), ApiError> {
        orgwarden_store::transaction(conn, |conn| {
            tenants::install(conn, &cipher, &install, Utc::now().naive_utc())?;
            let (actor, note) = lifecycle_audit::installed(&install);
            record_now(conn, &install.client_key, actor, note)?;
            Ok(())
        })
    })
    .await?;
    forget(state, &client_key);
    tracing::info!(%client_key, "tenant installed");
    Ok(())
}

async fn uninstalled(state: &AppState, client_key: TenantId) -> Result<(), ApiError> {
    let retention = i64::from(state.config.uninstall_retention_days);
    let db = state.db.clone();
    let key = client_key.clone();
    db::try_run(&db, move |conn| -> Result<(), ApiError> {
        let now = Utc::now().naive_utc();
        orgwarden_store::transaction(conn, |conn| {
            if tenants::uninstall(conn, &key, now, now + Duration::days(retention))? {
                let (actor, note) = lifecycle_audit::uninstalled(retention);
                record_now(conn, &key, actor, note)?;
            }
            Ok::<_, ApiError>(())
        })?;
        if retention == 0 {
            tenants::purge(conn, &key)?;
        }
        Ok(())
    })
    .await?;
    forget(state, &client_key);
    tracing::info!(client_key = %client_key, retention_days = retention, "tenant uninstalled");
    wake_operations(state, &client_key).await
}

/// Enqueues the tenant's unfinished operations so that they notice a lifecycle change at once:
/// after `enabled` they resume, after `uninstalled` they end cancelled (a disabled tenant's
/// operations pause by themselves within a heartbeat).
async fn wake_operations(state: &AppState, client_key: &TenantId) -> Result<(), ApiError> {
    let key = client_key.to_owned();
    let ids = crate::db::run(&state.db, move |conn| {
        orgwarden_store::operations::active_of_tenant(conn, &key)
    })
    .await?;
    for operation_id in ids {
        state
            .jobs
            .enqueue(orgwarden_jobs::OperationJob { operation_id })
            .await
            .map_err(ApiError::internal)?;
    }
    Ok(())
}

/// `enabled`/`disabled`: verified with the stored secret whatever the tenant's state (a disabled
/// tenant must be able to come back; an uninstalled tenant's late `disabled` is verified, then has
/// no effect because the store's conditional update lets `uninstalled` win).
async fn enabled_or_disabled(
    state: &AppState,
    req: &HttpRequest,
    token: &str,
    payload: &LifecyclePayload,
    event: LifecycleEvent,
) -> Result<(), ApiError> {
    let issuer = unverified_issuer(token).map_err(token_error)?;
    if issuer != payload.client_key {
        return Err(ApiError::unauthorized(
            "clientKey in the body does not match the token's issuer.",
        ));
    }
    let tenant = load_tenant(state, &TenantId::from(issuer))
        .await?
        .ok_or_else(|| {
            ApiError::unauthorized("Unknown tenant: install the app on the site first.")
        })?;
    let qsh = request_qsh(state, req)?;
    verify_hs256(
        token,
        &tenant.shared_secret,
        &qsh,
        QshPolicy::Request,
        Utc::now().timestamp(),
    )
    .map_err(token_error)?;
    let (db, key) = (state.db.clone(), tenant.client_key.clone());
    db::try_run(&db, move |conn| -> Result<bool, ApiError> {
        let now = Utc::now().naive_utc();
        orgwarden_store::transaction(conn, |conn| {
            let changed = if event == LifecycleEvent::Enabled {
                tenants::enable(conn, &key, now)?
            } else {
                tenants::disable(conn, &key, now)?
            };
            if changed {
                let (actor, note) = lifecycle_audit::switched(event == LifecycleEvent::Enabled);
                record_now(conn, &key, actor, note)?;
            }
            Ok(changed)
        })
    })
    .await?;
    forget(state, &tenant.client_key);
    if event == LifecycleEvent::Enabled {
        wake_operations(state, &tenant.client_key).await?;
    }
    Ok(())
}

fn forget(state: &AppState, client_key: &TenantId) {
    state.tenants.invalidate(client_key);
    state.permissions.invalidate_tenant(client_key);
    state.access.invalidate_tenant(client_key);
}

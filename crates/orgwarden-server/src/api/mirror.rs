//! Reading the mirror from handlers: the published generation and product display names.

use actix_web::http::StatusCode;
use orgwarden_ids::TenantId;
use orgwarden_store::mirror::MirrorState;
use orgwarden_store::DbConnection;

use crate::db;
use crate::error::ApiError;
use crate::error_code::ErrorCode;
use crate::state::AppState;

/// Runs `f` on the tenant's published mirror; 409 `not_synced` when no sync has completed. `f`
/// reads the snapshot the published generation was read in: a sync publishing meanwhile (and
/// deleting the generation it replaces) cannot empty a page or lose a user mid-request.
pub async fn with_mirror<T, F>(state: &AppState, tenant_id: &TenantId, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection, &MirrorState) -> Result<T, ApiError> + Send + 'static,
{
    let tenant = tenant_id.to_owned();
    db::try_run(&state.db, move |conn| -> Result<T, ApiError> {
        orgwarden_store::snapshot::in_published(conn, &tenant, f)?.ok_or_else(|| {
            ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::NotSynced,
                "The organization has not been synced yet: save the API key in Settings, then wait for the first sync.",
            )
        })
    })
    .await
}

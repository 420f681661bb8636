//! `/api/v1/settings/exemptions`: users and groups no operation touches (a user is skipped; a
//! group is never changed and its members are skipped).

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use orgwarden_ids::TenantId;
use orgwarden_store::audit::Kind;
use orgwarden_store::operations;
use orgwarden_store::operations::exemptions::{self, Exemption, ExemptionKind};
use orgwarden_store::{mirror, DbConnection, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::access::{OrgAdmin, Reader};
use crate::audit_log::{in_transaction, Note, Who};
use crate::db;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// An exemption to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExemptionInput {
    /// `user` or `group`.
    pub kind: ExemptionKind,
    /// Account id or group id.
    pub id: String,
    /// Why (shown in Settings).
    #[serde(default)]
    pub note: String,
}

/// An exemption.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExemptionView {
    /// A user or a group.
    pub kind: ExemptionKind,
    /// Account id or group id.
    pub id: String,
    /// Display name or group name (from the mirror, when known).
    pub name: Option<String>,
    /// Why.
    pub note: String,
    /// Who added it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// Which exemption to remove.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ExemptionKey {
    /// `user` or `group`.
    pub kind: ExemptionKind,
    /// Account id or group id.
    pub id: String,
}

fn views(
    conn: &mut DbConnection,
    tenant: &TenantId,
    list: Vec<Exemption>,
) -> Result<Vec<ExemptionView>, StoreError> {
    let generation = mirror::current(conn, tenant)?.map(|m| m.generation);
    let users: Vec<String> = list
        .iter()
        .filter(|e| e.kind == ExemptionKind::User)
        .map(|e| e.subject_id.clone())
        .collect();
    let facts = match generation {
        Some(g) => operations::load_facts(conn, tenant, g, &users)?,
        None => operations::Facts::default(),
    };
    Ok(list
        .into_iter()
        .map(|e| {
            let name = if e.kind == ExemptionKind::User {
                facts.users.get(&e.subject_id).map(|u| u.name.clone())
            } else {
                facts.groups.get(&e.subject_id).map(|g| g.name.clone())
            };
            ExemptionView {
                kind: e.kind,
                id: e.subject_id,
                name,
                note: e.note,
                created_by: e.created_by,
                created_at: e.created_at.and_utc(),
            }
        })
        .collect())
}

/// The exemption list.
#[utoipa::path(operation_id = "exemptions_list", get, path = "/api/v1/settings/exemptions", tag = "settings", security(("connect_jwt" = [])),
    responses((status = 200, body = Vec<ExemptionView>)))]
pub async fn list(
    caller: Reader,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<ExemptionView>>, ApiError> {
    let (db, tenant) = (state.db.clone(), caller.tenant.client_key.clone());
    let out = db::try_run(&db, move |conn| -> Result<_, ApiError> {
        let list = exemptions::list(conn, &tenant)?;
        Ok(views(conn, &tenant, list)?)
    })
    .await?;
    Ok(web::Json(out))
}

/// Adds a user or group to the exemption list (or updates its note; added again without one, it
/// keeps the note it has).
#[utoipa::path(operation_id = "exemptions_add", post, path = "/api/v1/settings/exemptions", tag = "settings", security(("connect_jwt" = [])), request_body = ExemptionInput,
    responses((status = 201, body = ExemptionView), (status = 400, body = ErrorEnvelope)))]
pub async fn add(
    caller: OrgAdmin,
    state: web::Data<AppState>,
    body: web::Json<ExemptionInput>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    if input.id.trim().is_empty() || input.id.len() > 128 {
        return Err(ApiError::invalid("id", "must be 1 to 128 characters"));
    }
    if input.note.chars().count() > 500 {
        return Err(ApiError::invalid("note", "must be at most 500 characters"));
    }
    let (db, tenant, by, who) = (
        state.db.clone(),
        caller.tenant.client_key.clone(),
        caller.account_id.clone(),
        Who::from(&*caller),
    );
    let view = db::try_run(&db, move |conn| -> Result<_, ApiError> {
        let conn = &mut *conn;
        if let Some(m) = mirror::current(conn, &tenant)? {
            let facts = operations::load_facts(
                conn,
                &tenant,
                m.generation,
                std::slice::from_ref(&input.id),
            )?;
            let known = match input.kind {
                ExemptionKind::User => facts.users.contains_key(&input.id),
                ExemptionKind::Group => facts.groups.contains_key(&input.id),
            };
            if !known {
                return Err(ApiError::invalid(
                    "id",
                    "no such user or group in the organization (as of the last sync)",
                ));
            }
        }
        in_transaction(conn, &who, |conn| {
            let saved = exemptions::add(
                conn,
                &tenant,
                input.kind,
                &input.id,
                &input.note,
                &by,
                Utc::now().naive_utc(),
            )?;
            let view = views(conn, &tenant, vec![saved])?.pop();
            let named = view.as_ref().and_then(|v| v.name.clone()).unwrap_or_else(|| input.id.clone());
            let note = Note::new(
                Kind::ExemptionAdded,
                format!("Exempted {} {named} from operations", input.kind.as_str()),
                serde_json::json!({"subjectKind": input.kind.as_str(), "id": input.id, "name": named, "note": input.note}),
            );
            Ok((view, Some(note)))
        })
    })
    .await?;
    let view = view.ok_or_else(|| ApiError::internal("exemption not read back"))?;
    Ok(HttpResponse::Created().json(view))
}

/// Removes an exemption.
#[utoipa::path(operation_id = "exemptions_remove", delete, path = "/api/v1/settings/exemptions", tag = "settings", security(("connect_jwt" = [])), params(ExemptionKey),
    responses((status = 204, description = "Removed"), (status = 404, body = ErrorEnvelope)))]
pub async fn remove(
    caller: OrgAdmin,
    state: web::Data<AppState>,
    query: web::Query<ExemptionKey>,
) -> Result<HttpResponse, ApiError> {
    let key = query.into_inner();
    let (tenant, who) = (caller.tenant.client_key.clone(), Who::from(&*caller));
    let removed = crate::db::try_run(&state.db, move |conn| {
        in_transaction(conn, &who, |conn| {
            let removed = exemptions::remove(conn, &tenant, key.kind, &key.id)?;
            let note = removed.then(|| {
                Note::new(
                    Kind::ExemptionRemoved,
                    format!("Removed the exemption of {} {}", key.kind.as_str(), key.id),
                    serde_json::json!({"subjectKind": key.kind.as_str(), "id": key.id}),
                )
            });
            Ok((removed, note))
        })
    })
    .await?;
    if !removed {
        return Err(ApiError::not_found("No such exemption."));
    }
    Ok(HttpResponse::NoContent().finish())
}

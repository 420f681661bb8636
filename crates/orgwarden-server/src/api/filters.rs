//! Saved filters: create, rename, update, delete, list.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use orgwarden_ids::TenantId;
use orgwarden_store::audit::Kind;
use orgwarden_store::saved_filters::{self, SaveError, SavedFilter};
use orgwarden_store::users::Filter;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::access::{Reader, Writer};
use crate::audit_log::{in_transaction, Note, Who};
use crate::db;
use crate::error::{ApiError, ErrorEnvelope};
use crate::error_code::ErrorCode;
use crate::state::AppState;

/// A saved filter.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SavedFilterView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// The filter.
    pub filter: Filter,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Who changed it last.
    pub updated_by: String,
    /// When.
    pub updated_at: DateTime<Utc>,
}

impl From<SavedFilter> for SavedFilterView {
    fn from(f: SavedFilter) -> Self {
        Self {
            id: f.id,
            name: f.name,
            filter: serde_json::from_str(&f.filter).unwrap_or_default(),
            created_by: f.created_by,
            created_at: f.created_at.and_utc(),
            updated_by: f.updated_by,
            updated_at: f.updated_at.and_utc(),
        }
    }
}

/// Create: a name and a filter. Update: either or both.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SavedFilterInput {
    /// Name (1–100 characters, unique).
    pub name: Option<String>,
    /// The filter.
    pub filter: Option<Filter>,
}

fn check(
    input: &SavedFilterInput,
    creating: bool,
) -> Result<(Option<String>, Option<String>), ApiError> {
    let name = input.name.as_deref().map(str::trim).map(str::to_owned);
    if let Some(name) = &name {
        if name.is_empty() || name.chars().count() > 100 {
            return Err(ApiError::field("name", "name: must be 1 to 100 characters"));
        }
    } else if creating {
        return Err(ApiError::field("name", "name: is required"));
    }
    if let Some(filter) = &input.filter {
        filter.validate("filter.")?;
    }
    let filter = input
        .filter
        .as_ref()
        .map(|f| serde_json::to_string(f).unwrap_or_default());
    if creating && filter.is_none() {
        return Err(ApiError::field("filter", "filter: is required"));
    }
    Ok((name, filter))
}

fn save_error(e: SaveError) -> ApiError {
    match e {
        SaveError::DuplicateName => ApiError::new(
            StatusCode::CONFLICT,
            ErrorCode::DuplicateName,
            "A saved filter with this name already exists: pick another name.",
        ),
        SaveError::Store(e) => e.into(),
    }
}

/// Every saved filter, by name.
#[utoipa::path(operation_id = "filters_list", get, path = "/api/v1/filters", tag = "filters", security(("connect_jwt" = [])), responses((status = 200, body = Vec<SavedFilterView>)))]
pub async fn list(
    caller: Reader,
    state: web::Data<AppState>,
) -> Result<web::Json<Vec<SavedFilterView>>, ApiError> {
    let (db, tenant) = (state.db.clone(), caller.tenant.client_key.clone());
    let all = db::try_run(&db, move |conn| -> Result<_, ApiError> {
        Ok(saved_filters::list(conn, &tenant)?)
    })
    .await?;
    Ok(web::Json(all.into_iter().map(Into::into).collect()))
}

/// Saves a new filter.
#[utoipa::path(operation_id = "filters_create", post, path = "/api/v1/filters", tag = "filters", security(("connect_jwt" = [])), request_body = SavedFilterInput,
    responses((status = 201, body = SavedFilterView), (status = 400, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn create(
    caller: Writer,
    state: web::Data<AppState>,
    body: web::Json<SavedFilterInput>,
) -> Result<HttpResponse, ApiError> {
    let (name, filter) = check(&body, true)?;
    let (tenant, by, who) = (
        caller.tenant.client_key.clone(),
        caller.account_id.clone(),
        Who::from(&*caller),
    );
    let created = crate::db::try_run(&state.db, move |conn| {
        in_transaction(conn, &who, |conn| {
            let created = saved_filters::create(
                conn,
                &tenant,
                &name.unwrap_or_default(),
                &filter.unwrap_or_default(),
                &by,
                Utc::now().naive_utc(),
            )
            .map_err(save_error)?;
            let note = filter_note(Kind::FilterCreated, "Saved the filter", &created, None);
            Ok((created, Some(note)))
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(SavedFilterView::from(created)))
}

/// Renames and/or replaces a saved filter.
#[utoipa::path(operation_id = "filters_update", patch, path = "/api/v1/filters/{id}", tag = "filters", security(("connect_jwt" = [])), request_body = SavedFilterInput,
    params(("id" = i64, Path, description = "Saved filter id")),
    responses((status = 200, body = SavedFilterView), (status = 403, description = "Changes what a filter used by automated tasks selects, and the caller is no organization admin (code access_denied; details.tasks names the tasks)", body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn update(
    caller: Writer,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    body: web::Json<SavedFilterInput>,
) -> Result<web::Json<SavedFilterView>, ApiError> {
    let (name, filter) = check(&body, false)?;
    let (tenant, by, id, who, org_admin) = (
        caller.tenant.client_key.clone(),
        caller.account_id.clone(),
        path.into_inner(),
        Who::from(&*caller),
        caller.is_org_admin(),
    );
    let updated = crate::db::try_run(&state.db, move |conn| {
        in_transaction(conn, &who, |conn| {
            let before = saved_filters::find_for_update(conn, &tenant, id)?;
            if filter.is_some() && !org_admin {
                refuse_if_tasks_use(conn, &tenant, id)?;
            }
            let updated = saved_filters::update(
                conn,
                &tenant,
                id,
                name.as_deref(),
                filter.as_deref(),
                &by,
                Utc::now().naive_utc(),
            )
            .map_err(save_error)?;
            let note = updated.as_ref().map(|f| {
                filter_note(
                    Kind::FilterUpdated,
                    "Changed the saved filter",
                    f,
                    before.as_ref(),
                )
            });
            Ok((updated, note))
        })
    })
    .await?;
    updated
        .map(|f| web::Json(f.into()))
        .ok_or_else(|| ApiError::not_found("No such saved filter."))
}

/// Tasks act with an organization admin's rights on whoever their filter selects when they run:
/// only organization admins may change what a filter that tasks use selects.
fn refuse_if_tasks_use(
    conn: &mut orgwarden_store::DbConnection,
    tenant: &TenantId,
    id: i64,
) -> Result<(), ApiError> {
    let tasks = orgwarden_store::tasks::using_filter(conn, tenant, id)?;
    if tasks.is_empty() {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::FORBIDDEN,
        ErrorCode::AccessDenied,
        format!(
            "The saved filter is used by automated tasks ({}), which act with an organization admin's rights: only organization admins may change what it selects. Save your change as a new filter instead.",
            tasks.join(", ")
        ),
    )
    .with_details(serde_json::json!({"tasks": tasks})))
}

/// Deletes a saved filter.
#[utoipa::path(operation_id = "filters_delete", delete, path = "/api/v1/filters/{id}", tag = "filters", security(("connect_jwt" = [])),
    params(("id" = i64, Path, description = "Saved filter id")),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorEnvelope), (status = 409, description = "Used by automated tasks (code filter_in_use; details.tasks names them)", body = ErrorEnvelope)))]
pub async fn delete(
    caller: Writer,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (tenant, id, who) = (
        caller.tenant.client_key.clone(),
        path.into_inner(),
        Who::from(&*caller),
    );
    let removed = crate::db::try_run(&state.db, move |conn| {
        in_transaction(conn, &who, |conn| {
            let Some(before) = saved_filters::find_for_update(conn, &tenant, id)? else {
                return Ok((false, None));
            };
            let users = orgwarden_store::tasks::using_filter(conn, &tenant, id)?;
            if !users.is_empty() {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    ErrorCode::FilterInUse,
                    format!(
                        "The saved filter is used by automated tasks: {}. Change or delete those tasks first.",
                        users.join(", ")
                    ),
                )
                .with_details(serde_json::json!({"tasks": users})));
            }
            saved_filters::delete(conn, &tenant, id)?;
            let note = filter_note(
                Kind::FilterDeleted,
                "Deleted the saved filter",
                &before,
                None,
            );
            Ok((true, Some(note)))
        })
    })
    .await?;
    if removed {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::not_found("No such saved filter."))
    }
}

/// The audit note of a saved filter's change (`before`: its state before an update).
fn filter_note(kind: Kind, what: &str, f: &SavedFilter, before: Option<&SavedFilter>) -> Note {
    let json = |text: &str| serde_json::from_str(text).unwrap_or(serde_json::Value::Null);
    let mut details =
        serde_json::json!({"filterId": f.id, "name": f.name, "filter": json(&f.filter)});
    if let Some(old) = before {
        details["changes"] = orgwarden_store::audit::changes(
            &serde_json::json!({"name": old.name, "filter": json(&old.filter)}),
            &serde_json::json!({"name": f.name, "filter": json(&f.filter)}),
            &[],
        );
    }
    Note::new(kind, format!("{what} \u{201c}{}\u{201d}", f.name), details)
}

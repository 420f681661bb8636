//! `/api/v1/webhooks`: where notifications go. Organization admins create, change and delete
//! webhooks (like the other settings, since a webhook decides where the app sends data and
//! holds a secret); whoever may use the app reads them. The secret is shown once, in the create
//! answer; it is stored encrypted and never returned or logged otherwise. Each change is
//! audited (`webhook.created|updated|deleted`, secrets masked) in its transaction.

use actix_web::{web, HttpResponse};
use orgwarden_jobs::webhooks::attempt::is_automation;
use orgwarden_jobs::webhooks::guard;
use orgwarden_store::audit::Kind;
use orgwarden_store::webhooks::{self, outbox, Webhook, WebhookFields};
use serde::Serialize;

use super::webhook_types::{url_error, CreatedWebhook, WebhookInput, WebhookList, WebhookView};
use crate::access::{OrgAdmin, WholeReader};
use crate::audit_log::{changes, in_transaction, Note, Who};
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// What the audit trail records of a webhook (the secret only as kept or replaced, masked).
#[derive(Serialize)]
struct Audited<'a> {
    name: &'a str,
    url: &'a str,
    events: Vec<&'static str>,
    notes: &'a str,
    active: bool,
    secret: &'static str,
}

impl<'a> Audited<'a> {
    fn of(fields: &'a WebhookFields, secret: &'static str) -> Self {
        Self {
            name: &fields.name,
            url: &fields.url,
            events: fields.events.iter().map(|e| e.as_str()).collect(),
            notes: &fields.notes,
            active: fields.active,
            secret,
        }
    }
}

/// Whether a webhook moved from `old` to `new` without a new secret would send its kept secret in
/// clear (as an Automation token) to another host than before.
fn sends_kept_secret_elsewhere(old: &str, new: &str) -> bool {
    let (Ok(old), Ok(new)) = (url::Url::parse(old), url::Url::parse(new)) else {
        return false;
    };
    let host = |u: &url::Url| {
        (
            u.host_str().map(str::to_ascii_lowercase),
            u.port_or_known_default(),
        )
    };
    is_automation(&new) && host(&old) != host(&new)
}

fn fields_of(w: &Webhook) -> WebhookFields {
    WebhookFields {
        name: w.name.clone(),
        url: w.url.clone(),
        events: w.event_kinds(),
        notes: w.notes.clone(),
        active: w.active,
    }
}

pub(super) fn missing(id: i64) -> ApiError {
    ApiError::not_found(format!("No webhook {id} (it may have been deleted)."))
}

async fn checked(
    state: &AppState,
    input: WebhookInput,
) -> Result<(WebhookFields, Option<String>), ApiError> {
    let (fields, secret) = input.validate()?;
    guard::check_target(&fields.url, state.config.webhooks_allow_private)
        .await
        .map_err(url_error)?;
    Ok((fields, secret))
}

/// Creates a webhook; a `whsec_` secret is generated when none is given and is in this answer
/// only.
#[utoipa::path(operation_id = "webhooks_create", post, path = "/api/v1/webhooks", tag = "webhooks",
    security(("connect_jwt" = []), ("api_token" = [])), request_body = WebhookInput,
    responses((status = 201, body = CreatedWebhook), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope)))]
pub async fn create(
    caller: OrgAdmin,
    state: web::Data<AppState>,
    input: web::Json<WebhookInput>,
) -> Result<HttpResponse, ApiError> {
    let (fields, secret) = checked(&state, input.into_inner()).await?;
    let secret = secret.unwrap_or_else(webhooks::generate_secret);
    let (who, cipher, now) = (
        Who::from(&*caller),
        state.cipher.clone(),
        state.config.clock.now().naive_utc(),
    );
    let kept = secret.clone();
    let created = crate::db::try_run(&state.db, move |conn| {
        in_transaction(conn, &who, |conn| {
            let w = webhooks::create(
                conn,
                &cipher,
                &who.tenant,
                &fields,
                &kept,
                &who.account_id,
                now,
            )?;
            let note = Note::new(
                Kind::WebhookCreated,
                format!("Created the webhook \u{201c}{}\u{201d} ({})", w.name, w.url),
                serde_json::json!({"webhookId": w.id, "webhook": Audited::of(&fields, "********")}),
            );
            Ok((w, Some(note)))
        })
    })
    .await?;
    tracing::info!(webhook_id = created.id, "webhook created");
    Ok(HttpResponse::Created().json(CreatedWebhook {
        webhook: WebhookView::new(&created, None),
        secret,
    }))
}

/// The tenant's webhooks, each with its newest delivery.
#[utoipa::path(operation_id = "webhooks_list", get, path = "/api/v1/webhooks", tag = "webhooks",
    security(("connect_jwt" = []), ("api_token" = [])),
    responses((status = 200, body = WebhookList), (status = 403, body = ErrorEnvelope)))]
pub async fn list(
    caller: WholeReader,
    state: web::Data<AppState>,
) -> Result<web::Json<WebhookList>, ApiError> {
    let tenant = caller.tenant.client_key.clone();
    let items = crate::db::run(&state.db, move |conn| {
        let mut items = Vec::new();
        for w in webhooks::list(conn, &tenant)? {
            let last = outbox::list(conn, &tenant, w.id, 1)?;
            items.push(WebhookView::new(&w, last.first()));
        }
        Ok(items)
    })
    .await?;
    Ok(web::Json(WebhookList { items }))
}

/// One webhook.
#[utoipa::path(operation_id = "webhooks_get", get, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    security(("connect_jwt" = []), ("api_token" = [])),
    params(("id" = i64, Path, description = "Webhook id")),
    responses((status = 200, body = WebhookView), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope)))]
pub async fn get(
    caller: WholeReader,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<WebhookView>, ApiError> {
    let (tenant, id) = (caller.tenant.client_key.clone(), id.into_inner());
    let view = crate::db::try_run(&state.db, move |conn| {
        let w = webhooks::find(conn, &tenant, id)?.ok_or_else(|| missing(id))?;
        let last = outbox::list(conn, &tenant, id, 1)?;
        Ok(WebhookView::new(&w, last.first()))
    })
    .await?;
    Ok(web::Json(view))
}

/// Changes a webhook; without `secret` the secret is kept. Switching it on clears the reason
/// it was switched off.
#[utoipa::path(operation_id = "webhooks_update", put, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    security(("connect_jwt" = []), ("api_token" = [])), request_body = WebhookInput,
    params(("id" = i64, Path, description = "Webhook id")),
    responses((status = 200, body = WebhookView), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn update(
    caller: OrgAdmin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    input: web::Json<WebhookInput>,
) -> Result<web::Json<WebhookView>, ApiError> {
    let (fields, secret) = checked(&state, input.into_inner()).await?;
    let (who, cipher, id) = (Who::from(&*caller), state.cipher.clone(), id.into_inner());
    let now = state.config.clock.now().naive_utc();
    let view = crate::db::try_run(&state.db, move |conn| {
        in_transaction(conn, &who, |conn| {
            let old =
                webhooks::find_for_update(conn, &who.tenant, id)?.ok_or_else(|| missing(id))?;
            if secret.is_none() && sends_kept_secret_elsewhere(&old.url, &fields.url) {
                return Err(ApiError::invalid(
                    "secret",
                    "the URL now points at an Automation webhook on another host, which gets the \
secret as it is: enter that webhook's secret again (the kept one does not follow a URL to a new host).",
                ));
            }
            let before = fields_of(&old);
            webhooks::update(
                conn,
                &cipher,
                &who.tenant,
                id,
                &fields,
                secret.as_deref(),
                &who.account_id,
                now,
            )?;
            let replaced = if secret.is_some() { "replaced" } else { "kept" };
            let diff = changes(
                &Audited::of(&before, "kept"),
                &Audited::of(&fields, replaced),
                &["secret"],
            );
            let note = Note::new(
                Kind::WebhookUpdated,
                format!("Changed the webhook \u{201c}{}\u{201d}", fields.name),
                serde_json::json!({"webhookId": id, "changes": diff}),
            );
            let w = webhooks::find(conn, &who.tenant, id)?.ok_or_else(|| missing(id))?;
            let last = outbox::list(conn, &who.tenant, id, 1)?;
            Ok((WebhookView::new(&w, last.first()), Some(note)))
        })
    })
    .await?;
    Ok(web::Json(view))
}

/// Deletes a webhook and its delivery log.
#[utoipa::path(operation_id = "webhooks_delete", delete, path = "/api/v1/webhooks/{id}", tag = "webhooks",
    security(("connect_jwt" = []), ("api_token" = [])),
    params(("id" = i64, Path, description = "Webhook id")),
    responses((status = 204, description = "Deleted"), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope)))]
pub async fn delete(
    caller: OrgAdmin,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (who, id) = (Who::from(&*caller), id.into_inner());
    crate::db::try_run(&state.db, move |conn| {
        in_transaction(conn, &who, |conn| {
            let old = webhooks::find_for_update(conn, &who.tenant, id)?.ok_or_else(|| missing(id))?;
            webhooks::delete(conn, &who.tenant, id)?;
            let note = Note::new(
                Kind::WebhookDeleted,
                format!("Deleted the webhook \u{201c}{}\u{201d} ({})", old.name, old.url),
                serde_json::json!({"webhookId": id, "webhook": Audited::of(&fields_of(&old), "********")}),
            );
            Ok(((), Some(note)))
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

//! Admin API keys: `GET|POST /__sim/api-keys` and `DELETE /__sim/api-keys/{key}` (a key may
//! belong to another organization, or expire).

use actix_web::{web, HttpResponse};
use chrono::{NaiveDate, Utc};
use serde::Deserialize;

use super::json::{body, not_found};
use crate::config::ApiKey;
use crate::state::Sim;

/// Every key, expired or not.
pub(super) async fn list_keys(sim: web::Data<Sim>) -> HttpResponse {
    HttpResponse::Ok().json(sim.api_keys.read().clone())
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyBody {
    key: Option<String>,
    expires_at: Option<NaiveDate>,
    foreign_org: Option<String>,
}

/// Adds a key (generated unless given, valid a year unless `expiresAt`), replacing one of the
/// same value.
pub(super) async fn add_key(sim: web::Data<Sim>, bytes: web::Bytes) -> HttpResponse {
    let b: KeyBody = match body(&bytes) {
        Ok(b) => b,
        Err(e) => return e.into(),
    };
    let today = Utc::now().date_naive();
    let key = ApiKey {
        key: b
            .key
            .unwrap_or_else(|| crate::ids::api_key(&mut rand::thread_rng())),
        expires_at: b.expires_at.unwrap_or(today + chrono::Duration::days(365)),
        foreign_org: b.foreign_org,
    };
    let mut keys = sim.api_keys.write();
    keys.retain(|k| k.key != key.key);
    keys.push(key.clone());
    sim.touch();
    HttpResponse::Created().json(key)
}

/// Deletes a key, or 404.
pub(super) async fn delete_key(sim: web::Data<Sim>, path: web::Path<String>) -> HttpResponse {
    let mut keys = sim.api_keys.write();
    let before = keys.len();
    keys.retain(|k| k.key != *path);
    if keys.len() == before {
        return not_found("unknown key");
    }
    sim.touch();
    HttpResponse::NoContent().finish()
}

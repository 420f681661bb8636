//! What the simulator counted and how it misbehaves: `GET /__sim/stats` (requests, mutations
//! and the fault settings) and `GET|POST /__sim/faults` (latency, rate limit, injected failures).

use actix_web::{web, HttpResponse};

use super::json::body;
use crate::limits::FaultUpdate;
use crate::state::Sim;

/// The counters, the mutations per subject and action, and the fault settings.
pub(super) async fn stats(sim: web::Data<Sim>) -> HttpResponse {
    let mut snapshot = sim.stats.snapshot();
    snapshot.mutations = sim.org.read().mutations.clone();
    let mut v = serde_json::to_value(snapshot).unwrap_or_default();
    v["settings"] = serde_json::to_value(sim.limits.settings()).unwrap_or_default();
    HttpResponse::Ok().json(v)
}

/// The fault settings.
pub(super) async fn get_faults(sim: web::Data<Sim>) -> HttpResponse {
    HttpResponse::Ok().json(sim.limits.settings())
}

/// Applies a partial update of the fault settings; answers the settings now in force.
pub(super) async fn set_faults(sim: web::Data<Sim>, bytes: web::Bytes) -> HttpResponse {
    match body::<FaultUpdate>(&bytes) {
        Ok(update) => HttpResponse::Ok().json(sim.limits.update(update)),
        Err(e) => e.into(),
    }
}

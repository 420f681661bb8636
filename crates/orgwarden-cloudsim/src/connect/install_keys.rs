//! The install-keys server: `GET /install-keys/{kid}` publishes the public half of the install
//! signer as PEM (SPKI), like `connect-install-keys.atlassian.com`.

use actix_web::{web, HttpResponse};

use crate::state::Sim;

/// `GET /install-keys/{kid}`: the PEM public key, or 404.
pub(super) async fn get_key(sim: web::Data<Sim>, kid: web::Path<String>) -> HttpResponse {
    if kid.as_str() == sim.signer.kid {
        HttpResponse::Ok()
            .content_type("application/x-pem-file")
            .body(sim.signer.public_pem.clone())
    } else {
        HttpResponse::NotFound()
            .content_type("text/plain")
            .body("Not Found")
    }
}

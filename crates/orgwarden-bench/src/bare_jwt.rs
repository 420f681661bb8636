//! The reference the `/api/v1/me` benchmark is compared with: a bare actix-web handler that
//! verifies the same HS256 context JWT with `jsonwebtoken` (signature, `exp`, `iss`) and answers
//! the caller's account id — the least any JWT-checked endpoint can do.

use std::net::SocketAddr;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use serde::Deserialize;

/// `orgwarden-bench bare-jwt`.
#[derive(clap::Args)]
pub struct BareJwtArgs {
    /// Listen address.
    #[arg(long)]
    pub bind: SocketAddr,
    /// The tenant's shared secret (HS256 key).
    #[arg(long)]
    pub secret: String,
    /// The expected `iss` (the tenant's clientKey).
    #[arg(long)]
    pub issuer: String,
}

#[derive(Deserialize)]
struct Claims {
    sub: String,
}

struct Keys {
    key: DecodingKey,
    validation: Validation,
}

async fn me(req: HttpRequest, keys: web::Data<Keys>) -> HttpResponse {
    let token = req
        .headers()
        .get("Authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("JWT "));
    match token.map(|t| decode::<Claims>(t, &keys.key, &keys.validation)) {
        Some(Ok(data)) => {
            HttpResponse::Ok().json(serde_json::json!({"accountId": data.claims.sub}))
        }
        _ => HttpResponse::Unauthorized().finish(),
    }
}

/// Serves `GET /api/v1/me` until killed, with one worker per core (as `orgwarden serve`).
pub fn serve(args: BareJwtArgs) -> anyhow::Result<()> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&[args.issuer.as_str()]);
    validation.set_required_spec_claims(&["exp", "iss"]);
    validation.validate_aud = false;
    let keys = web::Data::new(Keys {
        key: DecodingKey::from_secret(args.secret.as_bytes()),
        validation,
    });
    actix_web::rt::System::new().block_on(async move {
        HttpServer::new(move || {
            App::new()
                .app_data(keys.clone())
                .route("/api/v1/me", web::get().to(me))
        })
        .bind(args.bind)?
        .run()
        .await
    })?;
    Ok(())
}

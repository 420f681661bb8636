//! The app as Jira reaches it: its descriptor, fetched at install, and its lifecycle callbacks,
//! signed as Atlassian signs them — `installed` and `uninstalled` RS256 with the install key
//! (kid, aud = app baseUrl, iss = clientKey, exp = now + 900), `enabled` and `disabled` HS256
//! with the installation's shared secret.

use orgwarden_connect::{query_string_hash, sign_hs256, sign_rs256, Audience, Claims};
use serde_json::{json, Value};

use super::error;
use crate::answer::Fail;
use crate::connect::host::{base_path, now, CONNECT_VERSION};
use crate::state::{Installation, Sim};

/// Fetches an app's descriptor; it must name the app's `key` and `baseUrl`.
pub(super) async fn fetch_descriptor(sim: &Sim, url: &str) -> Result<Value, Fail> {
    let fail = |m: String| {
        error(
            502,
            "descriptor_unavailable",
            m,
            json!({"descriptorUrl": url}),
        )
    };
    let res = sim
        .http
        .get(url)
        .send()
        .await
        .map_err(|e| fail(format!("could not fetch the descriptor: {e}")))?;
    if !res.status().is_success() {
        return Err(fail(format!("descriptor answered {}", res.status())).into());
    }
    let d: Value = res
        .json()
        .await
        .map_err(|e| fail(format!("descriptor is not JSON: {e}")))?;
    for field in ["key", "baseUrl"] {
        if !d[field].is_string() {
            return Err(error(
                400,
                "invalid_descriptor",
                format!("descriptor lacks {field}"),
                json!({}),
            )
            .into());
        }
    }
    Ok(d)
}

/// POSTs one lifecycle callback; returns the status code.
pub(super) async fn callback(
    sim: &Sim,
    inst: &Installation,
    event: &str,
    jira_base: &str,
    rs256: bool,
) -> Result<u16, String> {
    let Some(path) = inst.descriptor["lifecycle"][event].as_str() else {
        return Ok(0);
    };
    let url = format!("{}{}", inst.app_base_url.trim_end_matches('/'), path);
    let parsed = url::Url::parse(&url).map_err(|e| format!("bad lifecycle URL {url}: {e}"))?;
    let qsh = query_string_hash(
        "POST",
        parsed.path(),
        parsed.query().unwrap_or(""),
        &base_path(&inst.app_base_url),
    )
    .map_err(|e| e.to_string())?;
    let t = now();
    let claims = Claims {
        iss: inst.client_key.clone(),
        sub: None,
        aud: rs256.then(|| Audience::One(inst.app_base_url.clone())),
        qsh: Some(qsh),
        iat: t,
        exp: t + if rs256 { 900 } else { 180 },
        context: Some(json!({})),
    };
    let token = if rs256 {
        sign_rs256(&claims, &sim.signer.kid, &sim.signer.private_pem)
    } else {
        sign_hs256(&claims, &inst.shared_secret)
    }
    .map_err(|e| e.to_string())?;
    let mut payload = json!({
        "key": inst.app_key, "clientKey": inst.client_key,
        "serverVersion": "100000", "pluginsVersion": CONNECT_VERSION,
        "baseUrl": jira_base, "displayUrl": jira_base, "cloudId": inst.site_id, "productType": "jira",
        "description": format!("Atlassian Jira at {jira_base}"),
        "oauthClientId": format!("oauth-{}", inst.client_key), "eventType": event,
    });
    if event == "installed" {
        payload["sharedSecret"] = json!(inst.shared_secret);
    }
    if inst.descriptor["enableLicensing"]
        .as_bool()
        .unwrap_or(false)
    {
        payload["serviceEntitlementNumber"] = json!(format!(
            "SEN-{}",
            &inst.client_key[..8.min(inst.client_key.len())]
        ));
        payload["entitlementId"] = json!(format!("ent-{}", inst.client_key));
        payload["entitlementNumber"] = json!(format!(
            "E-{}",
            &inst.client_key[..8.min(inst.client_key.len())]
        ));
    }
    let res = sim
        .http
        .post(&url)
        .header("Authorization", format!("JWT {token}"))
        .json(&payload)
        .send()
        .await
        .map_err(|e| format!("POST {url} failed: {e}"))?;
    Ok(res.status().as_u16())
}

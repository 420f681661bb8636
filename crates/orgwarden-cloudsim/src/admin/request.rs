//! What every Admin API handler reads from its request besides its own parameters: the calling
//! key's token id, the org and directory of the path (404 unless ours or `-`) and a JSON body
//! (400 `ADMIN-400-24` when it does not parse).

use actix_web::{HttpMessage, HttpRequest};
use serde::de::DeserializeOwned;

use super::errors;
use crate::answer::Fail;
use crate::caller::Actor;
use crate::org::Org;

/// Token id of the calling key (for audit events).
pub(crate) fn actor(req: &HttpRequest) -> String {
    req.extensions()
        .get::<Actor>()
        .map(|a| a.0.clone())
        .unwrap_or_else(|| "unknown".into())
}

/// 404 unless `org_id` is ours.
pub(crate) fn check_org(org: &Org, org_id: &str) -> Result<(), Fail> {
    if org.org_id == org_id {
        Ok(())
    } else {
        Err(errors::org_not_found(org_id).into())
    }
}

/// 404 unless the org is ours and the directory is ours or `-`.
pub(crate) fn check_dir(org: &Org, org_id: &str, directory_id: &str) -> Result<(), Fail> {
    check_org(org, org_id)?;
    if directory_id == "-" || directory_id == org.directory_id {
        Ok(())
    } else {
        Err(errors::directory_not_found(directory_id).into())
    }
}

/// Parses a JSON body; an empty body (or `null`) is `T::default()`.
pub(crate) fn parse_body<T: DeserializeOwned + Default>(body: &[u8]) -> Result<T, Fail> {
    if body.iter().all(u8::is_ascii_whitespace) || body.trim_ascii() == b"null" {
        return Ok(T::default());
    }
    serde_json::from_slice(body)
        .map_err(|e| errors::bad_request(format!("Invalid request body: {e}")).into())
}

//! Checking an Organization API key before it is saved: the input, then Atlassian's answer, and
//! that the key's organization owns the Jira site orgwarden is installed on. Only such a key may
//! be saved: a Jira admin setting the app up (or an admin of any other organization) cannot bind
//! the app to an organization of their own and then read, as its org admin, what the site's
//! organization left behind.

use actix_web::http::StatusCode;
use chrono::{NaiveDate, Utc};
use futures::TryStreamExt;
use orgwarden_atlassian::{AdminClient, AdminClientConfig, AdminError, ApiKey, Org, Workspace};
use orgwarden_ids::TenantId;
use orgwarden_store::tenants::{self, Tenant};

use super::api_key::ApiKeyInput;
use crate::db;
use crate::error::ApiError;
use crate::error_code::ErrorCode;
use crate::state::AppState;

const MAX_KEY_LEN: usize = 2048;

/// The installation site as the organization's workspaces name it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct InstallSite {
    /// The site's cloud id, from the `installed` callback.
    cloud_id: Option<String>,
    /// The host of the site's base URL, lower-case (`acme.atlassian.net`).
    host: Option<String>,
    /// The site's base URL, for messages.
    base_url: String,
}

impl InstallSite {
    /// The site `tenant` was installed on.
    fn of(tenant: &Tenant) -> Self {
        Self::new(tenant.cloud_id.clone(), &tenant.base_url)
    }

    fn new(cloud_id: Option<String>, base_url: &str) -> Self {
        Self {
            cloud_id,
            host: url::Url::parse(base_url)
                .ok()
                .and_then(|url| url.host_str().map(str::to_ascii_lowercase)),
            base_url: base_url.trim_end_matches('/').to_owned(),
        }
    }

    /// True when `workspace` is one of this site's products: its ARI ends in `site/<cloudId>`,
    /// or (for installs that sent no cloud id) its host is the base URL's.
    fn is(&self, workspace: &Workspace) -> bool {
        if let Some(cloud_id) = &self.cloud_id {
            return workspace
                .id
                .rsplit_once("::site/")
                .is_some_and(|(_, id)| id == cloud_id);
        }
        let host = workspace.host_url.as_deref().map(|h| {
            let h = h.split_once("://").map_or(h, |(_, rest)| rest);
            h.trim_end_matches('/').to_ascii_lowercase()
        });
        self.host.is_some() && host == self.host
    }
}

/// Of `orgs` (what the key sees), the first whose workspaces include `site`; `Err(orgs)` when
/// none does. An organization whose workspaces the key may not read (404) owns none here.
async fn owner_of(
    client: &AdminClient,
    orgs: Vec<Org>,
    site: &InstallSite,
) -> Result<Result<Org, Vec<Org>>, AdminError> {
    for org in &orgs {
        let mut pages = client.workspaces(&org.id);
        loop {
            match pages.try_next().await {
                Ok(Some(page)) if page.iter().any(|w| site.is(w)) => return Ok(Ok(org.clone())),
                Ok(Some(_)) => {}
                Ok(None) | Err(AdminError::NotFound { .. }) => break,
                Err(e) => return Err(e),
            }
        }
    }
    Ok(Err(orgs))
}

/// Validates the input, then asks the Admin API which organization the key belongs to: one
/// that owns the Jira site this tenant installed the app on.
pub async fn validate_key(
    state: &AppState,
    tenant_id: &TenantId,
    input: &ApiKeyInput,
) -> Result<Org, ApiError> {
    let key = input.key.trim();
    if key.is_empty() || key.len() > MAX_KEY_LEN || key.chars().any(char::is_whitespace) {
        return Err(ApiError::field(
            "key",
            "key: paste the Organization API key exactly as admin.atlassian.com shows it.",
        ));
    }
    let expires = NaiveDate::parse_from_str(input.expires_at.trim(), "%Y-%m-%d")
        .map_err(|_| ApiError::field("expiresAt", "expiresAt: use the format YYYY-MM-DD."))?;
    if expires < Utc::now().date_naive() {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::ExpiredApiKey,
            "This key's expiry date has passed: create a new key at admin.atlassian.com → Settings → API keys.")
            .with_details(serde_json::json!({"field": "expiresAt"})));
    }
    let client = admin_client(state, key);
    let orgs = client.list_orgs().await.map_err(key_error)?;
    if orgs.is_empty() {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::ForbiddenApiKey,
            "This key sees no organization: it is probably an API key with scopes. Create an API key without scopes at admin.atlassian.com → Settings → API keys."));
    }
    let tenant_id = tenant_id.clone();
    let tenant = db::try_run(&state.db, move |conn| -> Result<_, ApiError> {
        Ok(tenants::find(conn, &tenant_id)?)
    })
    .await?
    .ok_or_else(|| ApiError::internal("the installation is missing"))?;
    let site = InstallSite::of(&tenant);
    match owner_of(&client, orgs, &site).await.map_err(key_error)? {
        Ok(org) => Ok(org),
        Err(orgs) => {
            let names: Vec<&str> = orgs
                .iter()
                .map(|o| o.name.as_deref().unwrap_or(o.id.as_str()))
                .collect();
            Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::SiteNotInOrganization,
                format!(
                    "This key belongs to {}, which does not own {}, the Jira site orgwarden is installed on. \
Use a key of the organization this site belongs to (admin.atlassian.com lists its sites under Products).",
                    names.join(", "),
                    site.base_url
                ),
            )
            .with_details(serde_json::json!({"field": "key", "orgId": orgs[0].id})))
        }
    }
}

/// An Admin API client for `key`.
fn admin_client(state: &AppState, key: &str) -> AdminClient {
    AdminClient::new(
        state.http.clone(),
        AdminClientConfig {
            base_url: state.config.admin_api_url.clone(),
            max_retries: 2,
            ..AdminClientConfig::default()
        },
        ApiKey::new(key.to_owned()),
    )
}

fn key_error(err: AdminError) -> ApiError {
    match err {
        AdminError::InvalidKey => ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidApiKey,
            "Atlassian did not accept this key: check that you copied the whole Organization API key (not a personal API token)."),
        AdminError::ExpiredKey => ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::ExpiredApiKey,
            "This key has expired: create a new key at admin.atlassian.com → Settings → API keys."),
        AdminError::Forbidden { .. } => ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::ForbiddenApiKey,
            "This key may not manage the organization: use an API key without scopes created by an organization admin."),
        AdminError::Unreachable(_) | AdminError::Server { .. } | AdminError::RateLimited { .. } => ApiError::new(
            StatusCode::BAD_GATEWAY, ErrorCode::AdminApiUnreachable,
            format!("The Atlassian Admin API could not be reached ({err}). Try again in a minute.")),
        other => ApiError::new(StatusCode::BAD_GATEWAY, ErrorCode::AdminApiError, format!("The Admin API answered unexpectedly: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace(id: &str, host: Option<&str>) -> Workspace {
        Workspace {
            id: id.to_owned(),
            name: "acme".to_owned(),
            type_key: "jira-software".to_owned(),
            host_url: host.map(str::to_owned),
            status: "online".to_owned(),
        }
    }

    fn site(cloud_id: Option<&str>, base_url: &str) -> InstallSite {
        InstallSite::new(cloud_id.map(str::to_owned), base_url)
    }

    #[test]
    fn the_cloud_id_names_the_site_when_the_install_sent_it() {
        let site = site(Some("c-1"), "https://acme.atlassian.net");
        assert!(site.is(&workspace("ari:cloud:jira-software::site/c-1", None)));
        assert!(site.is(&workspace("ari:cloud:confluence::site/c-1", None)));
        // Another site on the same host name is not it, nor an id that only ends the same.
        let other = "ari:cloud:jira-software::site/c-2";
        assert!(!site.is(&workspace(other, Some("acme.atlassian.net"))));
        assert!(!site.is(&workspace("ari:cloud:jira-software::site/xc-1", None)));
    }

    #[test]
    fn without_a_cloud_id_the_host_names_it() {
        let site = site(None, "https://Acme.atlassian.net/");
        let id = "ari:cloud:jira-software::site/c-1";
        assert!(site.is(&workspace(id, Some("acme.atlassian.net"))));
        assert!(site.is(&workspace(id, Some("https://acme.atlassian.net/"))));
        assert!(!site.is(&workspace(id, Some("acme-eu.atlassian.net"))));
        assert!(!site.is(&workspace(id, None)));
    }
}

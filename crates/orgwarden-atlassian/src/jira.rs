//! Jira REST of the installation site, called as the app (Connect JWT, `Authorization: JWT …`).

use orgwarden_ids::AccountId;
use std::time::Duration;

use reqwest::Method;

use crate::admin::retry::{backoff, rate_limit_wait};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Why a Jira call failed. Never carries the token or the secret.
#[derive(Debug, thiserror::Error)]
pub enum JiraError {
    /// Jira could not be reached or timed out.
    #[error("Jira at {0} could not be reached")]
    Unreachable(String),
    /// Jira refused our token (the app may be uninstalled or the secret stale).
    #[error("Jira refused the app's credentials (HTTP {0})")]
    Unauthorized(u16),
    /// Jira answered with an unexpected status.
    #[error("Jira answered HTTP {0}")]
    Status(u16),
    /// Jira's answer did not have the expected shape.
    #[error("Jira's answer could not be read: {0}")]
    Decode(String),
    /// The request could not be signed.
    #[error("the request could not be signed: {0}")]
    Sign(String),
}

/// The tenant a call is made for.
pub struct JiraTenant<'a> {
    /// Tenant id (`aud` of our token).
    pub client_key: &'a str,
    /// Product base URL, e.g. `https://example.atlassian.net`.
    pub base_url: &'a str,
    /// HS256 secret of the installation.
    pub shared_secret: &'a str,
}

/// One Jira application role (`GET /rest/api/3/applicationrole`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationRole {
    /// e.g. `jira-software`.
    pub key: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Users counting against the license.
    #[serde(default)]
    pub user_count: i64,
    /// Seats on the license.
    #[serde(default)]
    pub number_of_seats: i64,
    /// Whether seats are unlimited.
    #[serde(default)]
    pub has_unlimited_seats: bool,
    /// True for `jira-core`.
    #[serde(default)]
    pub platform: bool,
}

/// The app's Marketplace license (`license` of `GET /rest/atlassian-connect/1/addons/{key}`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddonLicense {
    /// Active subscription or evaluation.
    pub active: bool,
    /// e.g. `COMMERCIAL`.
    #[serde(default, rename = "type")]
    pub license_type: Option<String>,
    /// Whether it is an evaluation.
    #[serde(default)]
    pub evaluation: bool,
}

#[derive(Deserialize)]
struct LicenseMetric {
    value: String,
}

#[derive(Deserialize)]
struct AddonInfo {
    license: Option<AddonLicense>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PermissionCheck<'a> {
    global_permissions: [&'a str; 1],
    account_id: &'a str,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PermissionAnswer {
    #[serde(default)]
    global_permissions: Vec<String>,
}

/// Tries after the first for a call that met a 429, a 5xx, a timeout or a reset: Jira calls
/// answer a request or check something before a job acts, so they give up within seconds.
const RETRIES: u32 = 3;
/// Longest wait a 429's `Retry-After` may impose on one Jira call.
const MAX_RATE_LIMIT_WAIT: Duration = Duration::from_secs(10);

/// One attempt of a call.
enum Attempt {
    /// A 2xx answer's body.
    Answered(Vec<u8>),
    /// A 429, with the wait it asks for if it says.
    RateLimited(Option<Duration>),
    /// A 5xx, a timeout or a reset: worth another try.
    Failed(JiraError),
    /// An answer another try would not change.
    Final(JiraError),
}

/// Signs and sends Jira REST calls as the app.
#[derive(Clone)]
pub struct JiraClient {
    http: reqwest::Client,
    app_key: String,
}

impl JiraClient {
    /// A client for the app with this descriptor key.
    pub fn new(http: reqwest::Client, app_key: impl Into<String>) -> Self {
        Self {
            http,
            app_key: app_key.into(),
        }
    }

    /// Whether `account_id` holds Jira's global permission `permission` (e.g. `ADMINISTER`).
    pub async fn has_global_permission(
        &self,
        tenant: &JiraTenant<'_>,
        account_id: &AccountId,
        permission: &str,
    ) -> Result<bool, JiraError> {
        let body = PermissionCheck {
            global_permissions: [permission],
            account_id,
        };
        let answer: PermissionAnswer = self
            .call(
                tenant,
                Method::POST,
                "/rest/api/3/permissions/check",
                Some(&body),
            )
            .await?;
        Ok(answer.global_permissions.iter().any(|p| p == permission))
    }

    /// The site's application roles with their user counts.
    pub async fn application_roles(
        &self,
        tenant: &JiraTenant<'_>,
    ) -> Result<Vec<ApplicationRole>, JiraError> {
        self.call::<(), _>(tenant, Method::GET, "/rest/api/3/applicationrole", None)
            .await
    }

    /// Billable users of the whole site (`approximateLicenseCount`; Jira caches it up to 7 days).
    pub async fn approximate_license_count(
        &self,
        tenant: &JiraTenant<'_>,
    ) -> Result<u64, JiraError> {
        let metric: LicenseMetric = self
            .call::<(), _>(
                tenant,
                Method::GET,
                "/rest/api/3/license/approximateLicenseCount",
                None,
            )
            .await?;
        metric.value.trim().parse().map_err(|_| {
            JiraError::Decode(format!("license count {:?} is not a number", metric.value))
        })
    }

    /// The app's Marketplace license; `None` when the app is free or unlicensed.
    pub async fn addon_license(
        &self,
        tenant: &JiraTenant<'_>,
    ) -> Result<Option<AddonLicense>, JiraError> {
        let path = format!("/rest/atlassian-connect/1/addons/{}", self.app_key);
        let info: AddonInfo = self.call::<(), _>(tenant, Method::GET, &path, None).await?;
        Ok(info.license)
    }

    /// Sends one call, trying again after a 429 (waiting what it asks, at most
    /// [`MAX_RATE_LIMIT_WAIT`]), a 5xx, a timeout or a reset, [`RETRIES`] times at most with the
    /// Admin API client's backoff; any other answer is final.
    async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        tenant: &JiraTenant<'_>,
        method: Method,
        path_and_query: &str,
        body: Option<&B>,
    ) -> Result<T, JiraError> {
        let mut retry = 0;
        loop {
            let (failure, wait) = match self
                .attempt(tenant, method.clone(), path_and_query, body)
                .await
            {
                Attempt::Answered(bytes) => {
                    return serde_json::from_slice(&bytes)
                        .map_err(|e| JiraError::Decode(e.to_string()))
                }
                Attempt::Final(error) => return Err(error),
                Attempt::RateLimited(wait) => (JiraError::Status(429), wait),
                Attempt::Failed(error) => (error, None),
            };
            retry += 1;
            if retry > RETRIES {
                return Err(failure);
            }
            let asked = wait.map_or(Duration::ZERO, |w| w.min(MAX_RATE_LIMIT_WAIT));
            tokio::time::sleep(asked.max(backoff(retry))).await;
        }
    }

    async fn attempt<B: Serialize>(
        &self,
        tenant: &JiraTenant<'_>,
        method: Method,
        path_and_query: &str,
        body: Option<&B>,
    ) -> Attempt {
        let base = tenant.base_url.trim_end_matches('/');
        let url = format!("{base}{path_and_query}");
        let token = match orgwarden_connect::sign_outgoing(
            &self.app_key,
            tenant.client_key,
            tenant.shared_secret,
            method.as_str(),
            &url,
            base,
            chrono::Utc::now().timestamp(),
        ) {
            Ok(token) => token,
            Err(e) => return Attempt::Final(JiraError::Sign(e.to_string())),
        };
        let mut request = self
            .http
            .request(method, &url)
            .timeout(Duration::from_secs(15))
            .header("Authorization", format!("JWT {token}"))
            .header("Accept", "application/json")
            .header("X-Atlassian-Token", "nocheck");
        if let Some(body) = body {
            request = request.json(body);
        }
        let unreachable = || Attempt::Failed(JiraError::Unreachable(base.to_owned()));
        let Ok(response) = request.send().await else {
            return unreachable();
        };
        let status = response.status().as_u16();
        match status {
            200..=299 => {}
            401 | 403 => return Attempt::Final(JiraError::Unauthorized(status)),
            429 => {
                return Attempt::RateLimited(rate_limit_wait(
                    response.headers(),
                    chrono::Utc::now(),
                ))
            }
            500..=599 => return Attempt::Failed(JiraError::Status(status)),
            _ => return Attempt::Final(JiraError::Status(status)),
        }
        match response.bytes().await {
            Ok(bytes) => Attempt::Answered(bytes.to_vec()),
            Err(_) => unreachable(),
        }
    }
}

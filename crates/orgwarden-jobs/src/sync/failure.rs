//! What the admin reads when a sync fails: what happened and what to do.

use orgwarden_atlassian::AdminError;

/// An admin-facing message for an Admin API error.
pub fn message(err: &AdminError) -> String {
    match err {
        AdminError::InvalidKey => "Atlassian refused the Organization API key. Replace it in Settings → Organization API key; the previous data is kept.".into(),
        AdminError::ExpiredKey => "The Organization API key has expired. Create a new key at admin.atlassian.com → Settings → API keys and replace it in Settings; the previous data is kept.".into(),
        AdminError::Forbidden { detail, .. } => format!("The Organization API key may not read the organization ({detail}). Use an API key without scopes created by an organization admin."),
        AdminError::RateLimited { .. } | AdminError::Server { .. } | AdminError::Unreachable(_) => format!("The Atlassian Admin API was unavailable ({err}). The previous data is kept; the sync can be retried later."),
        other => format!("The sync stopped: {other}. The previous data is kept."),
    }
}

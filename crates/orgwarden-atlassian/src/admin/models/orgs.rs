//! Organizations (O1, O2), directories (D1) and workspaces (W1).

use orgwarden_ids::{DirectoryId, OrgId};
use serde::{Deserialize, Serialize};

use super::de;

/// An organization visible to the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Org {
    /// Organization id.
    pub id: OrgId,
    /// Its name, when Atlassian gives one.
    pub name: Option<String>,
}

/// `OrgModel` as sent: `{id, type, attributes: {name}, …}`.
#[derive(Debug, Deserialize)]
pub(crate) struct OrgModel {
    id: String,
    #[serde(default)]
    attributes: Option<OrgAttributes>,
}

#[derive(Debug, Deserialize)]
struct OrgAttributes {
    #[serde(default)]
    name: Option<String>,
}

impl From<OrgModel> for Org {
    fn from(model: OrgModel) -> Self {
        Org {
            id: model.id.into(),
            name: model.attributes.and_then(|a| a.name),
        }
    }
}

/// A user directory of the organization (D1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Directory {
    /// Directory id.
    pub directory_id: DirectoryId,
    /// Directory name.
    #[serde(default, deserialize_with = "de::null_default")]
    pub name: String,
}

/// A workspace: one product instance on a site (W1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    /// Workspace ARI, e.g. `ari:cloud:jira-software::site/<cloudId>`.
    pub id: String,
    /// Site or workspace name.
    pub name: String,
    /// Product key, e.g. `jira-software`, `confluence`.
    pub type_key: String,
    /// Host, e.g. `acme.atlassian.net` (with or without a scheme).
    pub host_url: Option<String>,
    /// `online`, `offline` or `deprecated`.
    pub status: String,
}

/// `WorkspaceModel` as sent: `{id, type, attributes: {name, typeKey, status, hostUrl, …}}`.
#[derive(Debug, Deserialize)]
pub(crate) struct WorkspaceModel {
    id: String,
    #[serde(default, deserialize_with = "de::null_default")]
    attributes: WorkspaceAttributes,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WorkspaceAttributes {
    #[serde(default, deserialize_with = "de::null_default")]
    name: String,
    #[serde(default, deserialize_with = "de::null_default")]
    type_key: String,
    #[serde(default, deserialize_with = "de::null_default")]
    status: String,
    #[serde(default)]
    host_url: Option<String>,
}

impl From<WorkspaceModel> for Workspace {
    fn from(model: WorkspaceModel) -> Self {
        let a = model.attributes;
        Workspace {
            id: model.id,
            name: a.name,
            type_key: a.type_key,
            host_url: a.host_url,
            status: a.status,
        }
    }
}

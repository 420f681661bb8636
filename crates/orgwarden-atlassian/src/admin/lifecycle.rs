//! Writes on users: suspend and restore (L1, L2) and product roles (R1, R2). Any 2xx is
//! success; retried writes rely on the caller's ledger.

use orgwarden_ids::{AccountId, DirectoryId, OrgId};
use reqwest::Method;
use serde::Serialize;

use super::client::AdminClient;
use super::errors::AdminError;
use super::paging::seg;

#[derive(Serialize)]
struct RoleRequest<'a> {
    role: &'a str,
    resource: &'a str,
}

fn user_path(org_id: &OrgId, directory_id: &DirectoryId, account_id: &AccountId) -> String {
    format!(
        "/admin/v2/orgs/{}/directories/{}/users/{}",
        seg(org_id),
        seg(directory_id),
        seg(account_id)
    )
}

fn roles_path(org_id: &OrgId, account_id: &AccountId, tail: &str) -> String {
    format!(
        "/admin/v1/orgs/{}/users/{}/{tail}",
        seg(org_id),
        seg(account_id)
    )
}

impl AdminClient {
    /// L1: suspends the user's access in the directory (reversible; roles and groups are kept).
    pub async fn suspend_user(
        &self,
        org_id: &OrgId,
        directory_id: &DirectoryId,
        account_id: &AccountId,
    ) -> Result<(), AdminError> {
        let path = format!("{}/suspend", user_path(org_id, directory_id, account_id));
        self.send::<()>(Method::POST, &path, None).await
    }

    /// L2: restores a suspended user with the roles and groups they had.
    pub async fn restore_user(
        &self,
        org_id: &OrgId,
        directory_id: &DirectoryId,
        account_id: &AccountId,
    ) -> Result<(), AdminError> {
        let path = format!("{}/restore", user_path(org_id, directory_id, account_id));
        self.send::<()>(Method::POST, &path, None).await
    }

    /// R1: grants `role` (e.g. `atlassian/user`) on `resource` (a workspace ARI) to the user.
    pub async fn grant_role(
        &self,
        org_id: &OrgId,
        account_id: &AccountId,
        role: &str,
        resource: &str,
    ) -> Result<(), AdminError> {
        let body = RoleRequest { role, resource };
        self.send(
            Method::POST,
            &roles_path(org_id, account_id, "roles/assign"),
            Some(&body),
        )
        .await
    }

    /// R2: revokes `role` on `resource` from the user (removes direct product access).
    pub async fn revoke_role(
        &self,
        org_id: &OrgId,
        account_id: &AccountId,
        role: &str,
        resource: &str,
    ) -> Result<(), AdminError> {
        let body = RoleRequest { role, resource };
        self.send(
            Method::POST,
            &roles_path(org_id, account_id, "roles/revoke"),
            Some(&body),
        )
        .await
    }
}

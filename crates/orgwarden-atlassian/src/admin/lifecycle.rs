//! Writes on users: suspend, restore and remove (L1–L3), product roles (R1, R2) and the
//! org-admin role (R3, R4). Any 2xx is success; retried writes rely on the caller's ledger.

use orgwarden_ids::{AccountId, DirectoryId, OrgId};
use reqwest::Method;
use serde::Serialize;

use super::client::AdminClient;
use super::errors::AdminError;
use super::paging::seg;

#[derive(Serialize)]
struct RoleRequest<'a> {
    role: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<&'a str>,
}

/// The org-admin platform role (R3/R4).
const ORG_ADMIN: &str = "atlassian/org-admin";

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

    /// L3: removes the user from the directory (roles and memberships are lost).
    pub async fn remove_user(
        &self,
        org_id: &OrgId,
        directory_id: &DirectoryId,
        account_id: &AccountId,
    ) -> Result<(), AdminError> {
        self.send::<()>(
            Method::DELETE,
            &user_path(org_id, directory_id, account_id),
            None,
        )
        .await
    }

    /// R1: grants `role` (e.g. `atlassian/user`) on `resource` (a workspace ARI) to the user.
    pub async fn grant_role(
        &self,
        org_id: &OrgId,
        account_id: &AccountId,
        role: &str,
        resource: &str,
    ) -> Result<(), AdminError> {
        let body = RoleRequest {
            role,
            resource: Some(resource),
        };
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
        let body = RoleRequest {
            role,
            resource: Some(resource),
        };
        self.send(
            Method::POST,
            &roles_path(org_id, account_id, "roles/revoke"),
            Some(&body),
        )
        .await
    }

    /// R3: makes the user an organization admin (eventually consistent, up to 30 s).
    pub async fn grant_org_admin(
        &self,
        org_id: &OrgId,
        account_id: &AccountId,
    ) -> Result<(), AdminError> {
        let body = RoleRequest {
            role: ORG_ADMIN,
            resource: None,
        };
        self.send(
            Method::POST,
            &roles_path(org_id, account_id, "role-assignments/assign"),
            Some(&body),
        )
        .await
    }

    /// R4: removes the user's organization-admin role.
    pub async fn revoke_org_admin(
        &self,
        org_id: &OrgId,
        account_id: &AccountId,
    ) -> Result<(), AdminError> {
        let body = RoleRequest {
            role: ORG_ADMIN,
            resource: None,
        };
        self.send(
            Method::POST,
            &roles_path(org_id, account_id, "role-assignments/revoke"),
            Some(&body),
        )
        .await
    }
}

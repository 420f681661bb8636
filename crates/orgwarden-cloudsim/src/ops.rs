//! Mutations of the organization, as the Admin API performs them. Each successful call records an
//! audit event (even when it changes nothing, so tests can count calls).

use crate::events::action;
use crate::model::{
    parse_site_ari, site_ari, AccountStatus, Membership, Product, RoleGrant, PLATFORM,
    USER_RESOURCE_ROLES,
};
use crate::org::Org;

/// Why a mutation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgError {
    /// Unknown account id.
    #[error("user not found")]
    UserNotFound,
    /// The account is not a member of the directory.
    #[error("user is not a member of the directory")]
    NotInDirectory,
    /// Unknown group id.
    #[error("group not found")]
    GroupNotFound,
    /// Membership changes on an IdP-synced group.
    #[error("You can't add a user to a group synced from an identity provider. Manage this group in your identity provider instead.")]
    GroupSynced,
    /// Deleting an IdP-synced group.
    #[error("Not allowed to manage the group: it is synced from an identity provider")]
    GroupSyncedDelete,
    /// Deleting a default access group.
    #[error("Not allowed to delete group with default-role attribute")]
    GroupDefault,
    /// Deleting a group that grants admin access.
    #[error("Not allowed to delete group which grants admin access to a product or org")]
    GroupAdmin,
    /// Group name already taken.
    #[error("A group with this name already exists")]
    DuplicateGroupName,
    /// Role not valid for that resource.
    #[error("Invalid role {0} for resource")]
    InvalidRole(String),
    /// Resource not in this org.
    #[error("Unknown resource {0}")]
    UnknownResource(String),
    /// Deactivated or closed account.
    #[error("Inactive user")]
    InactiveUser,
    /// Malformed input.
    #[error("{0}")]
    BadRequest(String),
}

impl Org {
    /// `Ok` when the account exists and is a member of the directory.
    pub(crate) fn member_user(&self, account_id: &str) -> Result<(), OrgError> {
        let user = self.user(account_id).ok_or(OrgError::UserNotFound)?;
        if user.membership == Membership::NoMembership {
            return Err(OrgError::NotInDirectory);
        }
        Ok(())
    }

    /// L1/L4: suspends access; roles and memberships are kept.
    pub fn suspend(&mut self, actor: &str, account_id: &str) -> Result<(), OrgError> {
        self.member_user(account_id)?;
        if let Some(u) = self.user_mut(account_id) {
            u.membership = Membership::Suspended;
        }
        let subject = self.user_object(account_id);
        self.record(
            action::SUSPEND,
            actor,
            vec![subject],
            "Suspended user access".into(),
        );
        Ok(())
    }

    /// L2/L5: restores access with the roles and memberships held before.
    pub fn restore(&mut self, actor: &str, account_id: &str) -> Result<(), OrgError> {
        self.member_user(account_id)?;
        if let Some(u) = self.user_mut(account_id) {
            u.membership = Membership::Active;
        }
        let subject = self.user_object(account_id);
        self.record(
            action::RESTORE,
            actor,
            vec![subject],
            "Restored user access".into(),
        );
        Ok(())
    }

    /// L3/L6: removes the user from the directory: roles, memberships and org admin are dropped.
    pub fn remove_from_directory(&mut self, actor: &str, account_id: &str) -> Result<(), OrgError> {
        self.member_user(account_id)?;
        let groups = match self.user_mut(account_id) {
            Some(u) => {
                u.membership = Membership::NoMembership;
                u.roles.clear();
                u.org_admin = false;
                std::mem::take(&mut u.group_ids)
            }
            None => return Err(OrgError::UserNotFound),
        };
        for gid in groups {
            if let Some(g) = self.group_mut(&gid) {
                g.member_ids.remove(account_id);
            }
        }
        let subject = self.user_object(account_id);
        self.record(
            action::REMOVE,
            actor,
            vec![subject],
            "Removed user from directory".into(),
        );
        Ok(())
    }

    /// Validates a (role, resource) pair for a user grant and returns the resource to store.
    fn user_grant(&self, role: &str, resource: &str) -> Result<String, OrgError> {
        if !USER_RESOURCE_ROLES.contains(&role) {
            return Err(OrgError::InvalidRole(role.to_string()));
        }
        if !self.resource_exists(resource) {
            return Err(OrgError::UnknownResource(resource.to_string()));
        }
        let (owner, site) = parse_site_ari(resource)
            .ok_or_else(|| OrgError::UnknownResource(resource.to_string()))?;
        check_role_on_owner(role, owner)?;
        if role == "atlassian/site-admin" {
            return Ok(site_ari(PLATFORM, site));
        }
        Ok(resource.to_string())
    }

    /// R1: grants a role on a resource to a user (org-admin ignores the resource).
    pub fn grant_role(
        &mut self,
        actor: &str,
        account_id: &str,
        role: &str,
        resource: Option<&str>,
    ) -> Result<(), OrgError> {
        if role == "atlassian/org-admin" {
            return self.set_org_admin(actor, account_id, true);
        }
        let resource =
            resource.ok_or_else(|| OrgError::BadRequest("resource is required".into()))?;
        let user = self.user(account_id).ok_or(OrgError::UserNotFound)?;
        if user.account_status != AccountStatus::Active {
            return Err(OrgError::InactiveUser);
        }
        let resource = self.user_grant(role, resource)?;
        let grant = RoleGrant {
            resource: resource.clone(),
            role: role.to_string(),
        };
        if let Some(u) = self.user_mut(account_id) {
            if !u.roles.contains(&grant) {
                u.roles.push(grant);
                u.roles.sort();
            }
        }
        let subject = self.user_object(account_id);
        self.record(
            action::GRANT_ROLE,
            actor,
            vec![subject],
            format!("Granted {role} on {resource}"),
        );
        Ok(())
    }

    /// R2: revokes a directly granted role (group grants are untouched).
    pub fn revoke_role(
        &mut self,
        actor: &str,
        account_id: &str,
        role: &str,
        resource: Option<&str>,
    ) -> Result<(), OrgError> {
        if role == "atlassian/org-admin" {
            return self.set_org_admin(actor, account_id, false);
        }
        let resource =
            resource.ok_or_else(|| OrgError::BadRequest("resource is required".into()))?;
        self.user(account_id).ok_or(OrgError::UserNotFound)?;
        let resource = self.user_grant(role, resource)?;
        if let Some(u) = self.user_mut(account_id) {
            u.roles
                .retain(|g| !(g.role == role && g.resource == resource));
        }
        let subject = self.user_object(account_id);
        self.record(
            action::REVOKE_ROLE,
            actor,
            vec![subject],
            format!("Revoked {role} on {resource}"),
        );
        Ok(())
    }

    /// R3/R4: makes or unmakes an organization admin.
    pub fn set_org_admin(
        &mut self,
        actor: &str,
        account_id: &str,
        admin: bool,
    ) -> Result<(), OrgError> {
        let user = self.user(account_id).ok_or(OrgError::UserNotFound)?;
        if admin && user.account_status != AccountStatus::Active {
            return Err(OrgError::InactiveUser);
        }
        if let Some(u) = self.user_mut(account_id) {
            u.org_admin = admin;
        }
        let subject = self.user_object(account_id);
        let (act, msg) = if admin {
            (action::ADD_ORG_ADMIN, "Added organization admin")
        } else {
            (action::REMOVE_ORG_ADMIN, "Removed organization admin")
        };
        self.record(act, actor, vec![subject], msg.into());
        Ok(())
    }
}

/// Product roles need a product resource; site admin needs the site; customers exist in JSM only.
pub(crate) fn check_role_on_owner(role: &str, owner: &str) -> Result<(), OrgError> {
    let product = Product::parse(owner);
    let ok = match role {
        "atlassian/site-admin" => true,
        "atlassian/customer" => product == Some(Product::JiraServiceDesk),
        _ => product.is_some(),
    };
    if ok {
        Ok(())
    } else {
        Err(OrgError::InvalidRole(role.to_string()))
    }
}

//! What the organization says an account administers, read from the Admin API: its platform
//! roles (U3 with `platformRoles`), then its role assignments (U8). The server decides with it
//! who may use the app ([`admitted`]); an operation checks with it, right before acting, that
//! whoever started it still has the rights it acts with.

use futures::TryStreamExt;
use orgwarden_atlassian::{AdminClient, AdminError, UserSearch};
use orgwarden_ids::{AccountId, DirectoryId, OrgId};
use orgwarden_store::access::control::{AccessControl, Scope};
use orgwarden_store::access::{Administered, Standing};

use crate::sync::map::parse_site_ari;

/// An account's administrative roles in the organization.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdminRoles {
    /// Holds `atlassian/org-admin`.
    pub org_admin: bool,
    /// Sites and products administered as product admin (`atlassian/admin`) or site admin.
    pub product_admin: Vec<Administered>,
    /// Holds `atlassian/user-access-admin`.
    pub user_access_admin: bool,
    /// Where the user access admin role applies.
    pub user_access: Vec<Administered>,
}

/// Reads `account_id`'s roles (none for an account the organization does not have).
pub async fn admin_roles(
    client: &AdminClient,
    org: &OrgId,
    dir: &DirectoryId,
    account_id: &AccountId,
) -> Result<AdminRoles, AdminError> {
    let search = UserSearch {
        account_ids: vec![account_id.to_string()],
        expand: vec!["platformRoles".to_owned()],
        ..UserSearch::default()
    };
    let users: Vec<_> = client.search_users(org, dir, search).try_concat().await?;
    let mut roles = AdminRoles::default();
    let Some(user) = users.into_iter().find(|u| u.account_id == *account_id) else {
        return Ok(roles);
    };
    let platform = |role: &str| user.platform_roles.iter().any(|r| r == role);
    if platform("atlassian/org-admin") {
        roles.org_admin = true;
        return Ok(roles);
    }
    roles.user_access_admin = platform("atlassian/user-access-admin");
    let assignments: Vec<_> = client
        .user_role_assignments(org, dir, account_id)
        .try_concat()
        .await?;
    for assignment in &assignments {
        let Some((owner, site)) = parse_site_ari(&assignment.resource_id) else {
            continue;
        };
        let held = assignment
            .role_assignments
            .iter()
            .map(|r| r.role.as_str())
            .chain(assignment.roles.iter().map(String::as_str));
        for role in held {
            let whole_site = owner == "platform";
            let target = Administered {
                site_id: site.to_owned(),
                product_key: (!whole_site).then(|| owner.to_owned()),
            };
            match role {
                "atlassian/org-admin" => roles.org_admin = true,
                "atlassian/site-admin" => roles.product_admin.push(Administered {
                    product_key: None,
                    ..target
                }),
                "atlassian/admin" if !whole_site => roles.product_admin.push(target),
                "atlassian/user-access-admin" => {
                    roles.user_access_admin = true;
                    roles.user_access.push(target);
                }
                _ => {}
            }
        }
    }
    for list in [&mut roles.product_admin, &mut roles.user_access] {
        list.sort();
        list.dedup();
    }
    Ok(roles)
}

/// How the app admits someone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admitted {
    /// As what.
    pub standing: Standing,
    /// `Some`: confined to these sites and products (App access control's `administered`).
    pub scope: Option<Vec<Administered>>,
}

/// Whether and how the app admits someone with `roles` under the tenant's access control:
/// organization admins always; product admins and user access admins while switched on (as a
/// product admin when both are), confined to what the switched-on roles cover once
/// `administered` is chosen. `None` when it does not.
pub fn admitted(roles: &AdminRoles, control: AccessControl) -> Option<Admitted> {
    if roles.org_admin {
        return Some(Admitted {
            standing: Standing::OrgAdmin,
            scope: None,
        });
    }
    let product = !roles.product_admin.is_empty() && control.product_admins;
    let user_access = roles.user_access_admin && control.user_access_admins;
    if !product && !user_access {
        return None;
    }
    let scope = (control.scope == Scope::Administered).then(|| {
        let mut scope = Vec::new();
        if product {
            scope.extend(roles.product_admin.iter().cloned());
        }
        if user_access {
            scope.extend(roles.user_access.iter().cloned());
        }
        scope.sort();
        scope.dedup();
        scope
    });
    let standing = if product {
        Standing::ProductAdmin
    } else {
        Standing::UserAccessAdmin
    };
    Some(Admitted { standing, scope })
}

//! From Admin API shapes to mirror rows.

use chrono::NaiveDateTime;
use orgwarden_atlassian::{
    DirectoryUser, DirectoryUserStatus, Group, GroupRoleAssignment, Workspace,
};
use orgwarden_ids::{GroupId, TenantId};
use orgwarden_store::mirror::{
    content_hash, products_column, search_text_column, NewAccess, NewGrant, NewGroup, NewMember,
    NewProduct, NewSite, NewUser,
};

/// `(resource owner, cloud id)` of an ARI such as `ari:cloud:jira-software::site/<cloudId>`.
pub fn parse_site_ari(ari: &str) -> Option<(&str, &str)> {
    let rest = ari.strip_prefix("ari:cloud:")?;
    let (owner, resource) = rest.split_once("::")?;
    let cloud_id = resource.strip_prefix("site/")?;
    (!owner.is_empty() && !cloud_id.is_empty()).then_some((owner, cloud_id))
}

/// The rows one page of users becomes.
#[derive(Default)]
pub struct UserRows {
    /// Users.
    pub users: Vec<NewUser>,
    /// Their product access.
    pub access: Vec<NewAccess>,
    /// Their memberships.
    pub members: Vec<NewMember>,
}

fn naive(t: chrono::DateTime<chrono::Utc>) -> NaiveDateTime {
    t.naive_utc()
}

/// Converts users (searched with the `productAccess`, `groups` and `platformRoles` expands).
pub fn user_rows(tenant_id: &TenantId, generation: i64, users: &[DirectoryUser]) -> UserRows {
    let mut rows = UserRows::default();
    for u in users {
        let (first_access, first_member) = (rows.access.len(), rows.members.len());
        let mut last_active: Option<NaiveDateTime> = None;
        for access in &u.product_access {
            let Some((product_key, site_id)) = parse_site_ari(&access.id) else {
                continue;
            };
            let at = access.last_active_timestamp.map(naive);
            last_active = last_active.max(at);
            rows.access.push(NewAccess {
                tenant_id: tenant_id.to_owned(),
                generation,
                account_id: u.account_id.as_str().to_owned(),
                site_id: site_id.to_owned(),
                product_key: product_key.to_owned(),
                last_active: at,
            });
        }
        for group in &u.groups {
            rows.members.push(NewMember {
                tenant_id: tenant_id.to_owned(),
                generation,
                group_id: group.id.as_str().to_owned(),
                account_id: u.account_id.as_str().to_owned(),
            });
        }
        let has = |role: &str| u.platform_roles.iter().any(|r| r == role);
        let email_domain = u
            .email
            .as_deref()
            .and_then(|e| e.rsplit_once('@'))
            .map(|(_, d)| d.to_lowercase());
        let name = if u.name.is_empty() {
            u.nickname.clone().unwrap_or_default()
        } else {
            u.name.clone()
        };
        let search_text = search_text_column(&name, u.email.as_deref());
        let mut user = NewUser {
            tenant_id: tenant_id.to_owned(),
            generation,
            account_id: u.account_id.as_str().to_owned(),
            name,
            email: u.email.clone(),
            email_domain,
            account_type: u.account_type.clone(),
            status: u.status.clone(),
            claim_status: u.claim_status.clone(),
            // Billable: an active person holding product access (customers and apps never are).
            billable: u.has_status(DirectoryUserStatus::Active)
                && u.account_type == "atlassian"
                && !u.product_access.is_empty(),
            org_admin: has("atlassian/org-admin"),
            site_admin: has("atlassian/site-admin"),
            user_access_admin: has("atlassian/user-access-admin"),
            platform_roles: u.platform_roles.join(","),
            management_source: u.management_source.clone(),
            added_to_org: u.added_to_org.map(naive),
            last_active,
            products: products_column(
                rows.access[first_access..]
                    .iter()
                    .map(|a| a.product_key.as_str()),
            ),
            search_text,
            content_hash: 0,
        };
        user.content_hash = content_hash(
            &user,
            &rows.access[first_access..],
            &rows.members[first_member..],
        );
        rows.users.push(user);
    }
    rows
}

/// Converts groups.
pub fn group_rows(tenant_id: &TenantId, generation: i64, groups: &[Group]) -> Vec<NewGroup> {
    groups
        .iter()
        .map(|g| NewGroup {
            tenant_id: tenant_id.to_owned(),
            generation,
            group_id: g.id.as_str().to_owned(),
            name: g.name.clone(),
            description: g.description.clone(),
            managed_by: g.managed_by.clone(),
            external_synced: g.is_read_only(),
            modifiable: g.management_access.modifiable && !g.is_read_only(),
            deletable: g.management_access.deletable,
            member_count: g
                .counts
                .map_or(0, |c| i64::try_from(c.users).unwrap_or(i64::MAX)),
        })
        .collect()
}

/// Converts a group's role assignments (G8) into what it grants on products of sites. An
/// assignment on a resource that is no product of a site (an organization-level or unfamiliar
/// resource) is kept with an empty site id: it grants nothing on any site, and the operation
/// guards still see its role, beyond every limited admin's scope.
pub fn grant_rows(
    tenant_id: &TenantId,
    generation: i64,
    group_id: &GroupId,
    assignments: &[GroupRoleAssignment],
) -> Vec<NewGrant> {
    let mut rows = Vec::new();
    for assignment in assignments {
        let (owner, site_id) = parse_site_ari(&assignment.resource_id).unwrap_or(("", ""));
        let product_key = if assignment.resource_owner.is_empty() {
            owner
        } else {
            assignment.resource_owner.as_str()
        };
        let mut roles = assignment.roles.clone();
        roles.extend(assignment.default_role.clone());
        roles.sort();
        roles.dedup();
        rows.extend(roles.into_iter().map(|role| NewGrant {
            tenant_id: tenant_id.to_owned(),
            generation,
            group_id: group_id.as_str().to_owned(),
            site_id: site_id.to_owned(),
            product_key: product_key.to_owned(),
            role,
        }));
    }
    rows
}

/// Converts workspaces into sites and their products.
pub fn site_rows(
    tenant_id: &TenantId,
    generation: i64,
    workspaces: &[Workspace],
) -> (Vec<NewSite>, Vec<NewProduct>) {
    let mut sites: Vec<NewSite> = Vec::new();
    let mut products = Vec::new();
    for w in workspaces {
        let Some((owner, site_id)) = parse_site_ari(&w.id) else {
            continue;
        };
        if !sites.iter().any(|s| s.site_id == site_id) {
            sites.push(NewSite {
                tenant_id: tenant_id.to_owned(),
                generation,
                site_id: site_id.to_owned(),
                name: w.name.clone(),
                host_url: w.host_url.clone(),
            });
        }
        let product_key = if w.type_key.is_empty() {
            owner.to_owned()
        } else {
            w.type_key.clone()
        };
        products.push(NewProduct {
            tenant_id: tenant_id.to_owned(),
            generation,
            site_id: site_id.to_owned(),
            product_key,
            workspace_id: w.id.clone(),
            name: w.name.clone(),
        });
    }
    (sites, products)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_aris_parse() {
        assert_eq!(
            parse_site_ari("ari:cloud:jira-software::site/abc-1"),
            Some(("jira-software", "abc-1"))
        );
        assert_eq!(parse_site_ari("ari:cloud:confluence::site/"), None);
        assert_eq!(parse_site_ari("ari:cloud:identity::group/x"), None);
        assert_eq!(parse_site_ari("nonsense"), None);
    }

    #[test]
    fn grants_on_no_site_are_kept_with_an_empty_site() {
        let assignment = |resource: &str, owner: &str, role: &str| GroupRoleAssignment {
            resource_id: resource.into(),
            resource_owner: owner.into(),
            default_role: None,
            roles: vec![role.into()],
        };
        let rows = grant_rows(
            &TenantId::from("t"),
            1,
            &GroupId::from("g"),
            &[
                assignment("ari:cloud:jira-software::site/s1", "", "atlassian/user"),
                assignment("ari:cloud:platform::org/o1", "platform", "atlassian/admin"),
                assignment("not an ari", "", "atlassian/site-admin"),
            ],
        );
        let placed: Vec<_> = rows
            .iter()
            .map(|r| (r.site_id.as_str(), r.product_key.as_str(), r.role.as_str()))
            .collect();
        assert_eq!(
            placed,
            [
                ("s1", "jira-software", "atlassian/user"),
                ("", "platform", "atlassian/admin"),
                ("", "", "atlassian/site-admin"),
            ]
        );
    }
}

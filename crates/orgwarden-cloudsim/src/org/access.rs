//! Who holds what: a user's effective roles (direct or through groups), the product access they
//! grant (ignoring suspension, or only while in effect) and the platform roles.

use std::collections::BTreeSet;

use super::Org;
use crate::model::{
    parse_site_ari, role_grants_access, GrantMethod, Membership, Product, RoleGrant, User,
};

/// One effective role of a user on a resource and how it is held.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct EffectiveRole {
    /// Resource ARI.
    pub resource: String,
    /// Role id.
    pub role: String,
    /// How it is held.
    pub method: GrantMethod,
}

impl Org {
    /// Every role a user holds, directly or through groups, sorted.
    pub fn effective_roles(&self, user: &User) -> Vec<EffectiveRole> {
        let mut out: BTreeSet<EffectiveRole> = user
            .roles
            .iter()
            .map(|g| EffectiveRole {
                resource: g.resource.clone(),
                role: g.role.clone(),
                method: GrantMethod::Direct,
            })
            .collect();
        for gid in &user.group_ids {
            if let Some(group) = self.group(gid) {
                for g in &group.roles {
                    out.insert(EffectiveRole {
                        resource: g.resource.clone(),
                        role: g.role.clone(),
                        method: GrantMethod::GroupDirect,
                    });
                }
            }
        }
        out.into_iter().collect()
    }

    /// True when the user holds `role` on `resource` in any way.
    pub fn has_role(&self, user: &User, resource: &str, role: &str) -> bool {
        let direct = |g: &RoleGrant| g.resource == resource && g.role == role;
        user.roles.iter().any(direct)
            || user
                .group_ids
                .iter()
                .filter_map(|gid| self.group(gid))
                .any(|g| g.roles.iter().any(direct))
    }

    /// Product resources (site id, product) the user's roles grant access to, ignoring suspension.
    pub fn access_grants(&self, user: &User) -> BTreeSet<(String, Product)> {
        let mut out = BTreeSet::new();
        let mut add = |g: &RoleGrant| {
            if role_grants_access(&g.role) {
                if let Some((owner, site)) = parse_site_ari(&g.resource) {
                    if let Some(p) = Product::parse(owner) {
                        out.insert((site.to_string(), p));
                    }
                }
            }
        };
        user.roles.iter().for_each(&mut add);
        for gid in &user.group_ids {
            if let Some(group) = self.group(gid) {
                group.roles.iter().for_each(&mut add);
            }
        }
        out
    }

    /// Product access that is in effect now: empty unless the user is an active member.
    pub fn active_access(&self, user: &User) -> BTreeSet<(String, Product)> {
        if user.status() != "active" || user.membership != Membership::Active {
            return BTreeSet::new();
        }
        self.access_grants(user)
    }

    /// Platform roles of a user (`atlassian/org-admin`, `atlassian/site-admin`, …).
    pub fn platform_roles(&self, user: &User) -> Vec<&'static str> {
        let mut out = Vec::new();
        if user.org_admin {
            out.push("atlassian/org-admin");
        }
        let roles = self.effective_roles(user);
        if roles.iter().any(|r| r.role == "atlassian/site-admin") {
            out.push("atlassian/site-admin");
        }
        if roles
            .iter()
            .any(|r| r.role == "atlassian/user-access-admin")
        {
            out.push("atlassian/user-access-admin");
        }
        out
    }
}

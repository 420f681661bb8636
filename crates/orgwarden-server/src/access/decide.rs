//! Who may use the app, as a pure function of what is known about the caller. Organization
//! admins always; product admins and user access admins only while App access control
//! switches them on; before an API key is saved, a Jira administrator (to set the app up).

use orgwarden_jobs::roles::{admitted, AdminRoles, Admitted};
use orgwarden_store::access::control::AccessControl;
use orgwarden_store::access::{Administered, Standing};

/// Where an account's organization roles were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RolesSource {
    /// The Admin API, just now (or within the cache's minute).
    AdminApi,
    /// The published mirror, because the Admin API could not be reached.
    Mirror,
    /// The published mirror, because the Admin API refused the tenant's key (revoked, expired,
    /// no longer allowed) or answered otherwise than with the roles: nothing can be confirmed,
    /// so only the key may be replaced.
    KeyRejected,
}

/// An account's administrative roles in the organization, and where they were read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRoles {
    /// The roles (for the mirror, `user_access` is empty: it does not record where that role
    /// applies).
    pub roles: AdminRoles,
    /// Where these roles were read.
    pub source: RolesSource,
}

/// The decision about one caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// The caller may use the app.
    pub allowed: bool,
    /// Why: the standing that lets them in (or the one they would have, when refused).
    pub standing: Option<Standing>,
    /// A sentence for people: why (not), and who can grant access.
    pub reason: &'static str,
    /// `Some`: the caller sees and touches only these sites and products.
    pub scope: Option<Vec<Administered>>,
    /// Atlassian rejects the tenant's key: the caller may only replace it.
    pub key_only: bool,
}

impl Access {
    fn allow(standing: Standing, reason: &'static str, scope: Option<Vec<Administered>>) -> Self {
        Self {
            allowed: true,
            standing: Some(standing),
            reason,
            scope,
            key_only: false,
        }
    }

    fn deny(standing: Option<Standing>, reason: &'static str) -> Self {
        Self {
            allowed: false,
            standing,
            reason,
            scope: None,
            key_only: false,
        }
    }
}

/// Who can grant access (a macro, so that the refusals below are `concat!`ed at compile time).
macro_rules! grant {
    () => {
        "An organization admin of your Atlassian organization can let product admins and user \
access admins in under orgwarden Settings → App access control."
    };
}

/// Why a caller may only replace the key while Atlassian rejects it.
const KEY_REJECTED: &str = "Atlassian does not accept the saved Organization API key (revoked, expired \
or no longer allowed), so nobody's organization roles can be confirmed. Until an organization admin \
saves a working key under Settings → Organization API key, orgwarden offers only that form.";

/// The decision once an API key is saved ([`admitted`], with the reason in words). While
/// Atlassian rejects the key, the mirror's org admins may only replace it, and nobody else is
/// let in.
pub fn with_key(roles: &OrgRoles, control: AccessControl) -> Access {
    if roles.source == RolesSource::KeyRejected {
        if !roles.roles.org_admin {
            return Access::deny(None, KEY_REJECTED);
        }
        return Access {
            key_only: true,
            ..Access::allow(Standing::OrgAdmin, KEY_REJECTED, None)
        };
    }
    let roles = &roles.roles;
    if let Some(Admitted { standing, scope }) = admitted(roles, control) {
        let reason = match standing {
            Standing::OrgAdmin => "You are an organization admin.",
            Standing::ProductAdmin => {
                "You are a product admin, and organization admins let product admins use orgwarden."
            }
            _ => "You are a user access admin, and organization admins let user access admins use orgwarden.",
        };
        return Access::allow(standing, reason, scope);
    }
    if !roles.product_admin.is_empty() {
        return Access::deny(
            Some(Standing::ProductAdmin),
            concat!(
                "orgwarden is open to organization admins only; product admins are not switched on. ",
                grant!()
            ),
        );
    }
    if roles.user_access_admin {
        return Access::deny(
            Some(Standing::UserAccessAdmin),
            concat!(
                "orgwarden is open to organization admins only; user access admins are not switched on. ",
                grant!()
            ),
        );
    }
    Access::deny(
        None,
        "orgwarden manages every user of the organization, so only organization admins may use it. \
Ask an organization admin of your Atlassian organization for access.",
    )
}

/// The decision before an API key is saved: Jira administrators may set the app up.
pub fn bootstrap(jira_admin: bool) -> Access {
    if jira_admin {
        Access::allow(
            Standing::JiraAdmin,
            "No Organization API key is saved yet: as a Jira administrator you may save one. From then on \
only organization admins (and the admins they let in) may use orgwarden.",
            None,
        )
    } else {
        Access::deny(
            None,
            "orgwarden is not set up yet: a Jira administrator or an organization admin must save an \
Organization API key in orgwarden Settings first.",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use orgwarden_store::access::control::Scope;

    fn read(roles: AdminRoles) -> OrgRoles {
        OrgRoles {
            roles,
            source: RolesSource::AdminApi,
        }
    }

    fn roles() -> AdminRoles {
        AdminRoles::default()
    }

    fn on(scope: Scope) -> AccessControl {
        AccessControl {
            product_admins: true,
            user_access_admins: true,
            scope,
        }
    }

    fn jira(site: &str) -> Administered {
        Administered {
            site_id: site.into(),
            product_key: Some("jira-software".into()),
        }
    }

    #[test]
    fn org_admins_always_everyone_else_only_when_switched_on() {
        let admin = read(AdminRoles {
            org_admin: true,
            ..roles()
        });
        let access = with_key(&admin, AccessControl::default());
        assert!(access.allowed);
        assert_eq!(access.standing, Some(Standing::OrgAdmin));
        assert_eq!(access.scope, None);

        let product = read(AdminRoles {
            product_admin: vec![jira("s1")],
            ..roles()
        });
        let refused = with_key(&product, AccessControl::default());
        assert!(!refused.allowed);
        assert!(refused.reason.contains("App access control"));
        assert!(with_key(&product, on(Scope::Organization)).allowed);

        let plain = with_key(&read(roles()), on(Scope::Organization));
        assert!(!plain.allowed);
        assert_eq!(plain.standing, None);
    }

    #[test]
    fn administered_scope_lists_what_the_enabled_roles_cover() {
        let both = read(AdminRoles {
            product_admin: vec![jira("s1")],
            user_access_admin: true,
            user_access: vec![Administered {
                site_id: "s2".into(),
                product_key: None,
            }],
            ..roles()
        });
        let access = with_key(&both, on(Scope::Administered));
        assert_eq!(access.standing, Some(Standing::ProductAdmin));
        assert_eq!(access.scope.as_ref().map(Vec::len), Some(2));
        let only_product = AccessControl {
            user_access_admins: false,
            ..on(Scope::Administered)
        };
        assert_eq!(with_key(&both, only_product).scope, Some(vec![jira("s1")]));
    }

    #[test]
    fn a_rejected_key_lets_only_the_mirrors_org_admins_replace_it() {
        let rejected = |roles| OrgRoles {
            roles,
            source: RolesSource::KeyRejected,
        };
        let admin = with_key(
            &rejected(AdminRoles {
                org_admin: true,
                ..roles()
            }),
            AccessControl::default(),
        );
        assert!(admin.allowed && admin.key_only);
        assert_eq!(admin.standing, Some(Standing::OrgAdmin));
        let product = with_key(
            &rejected(AdminRoles {
                product_admin: vec![jira("s1")],
                ..roles()
            }),
            on(Scope::Organization),
        );
        assert!(!product.allowed);
        assert!(product.reason.contains("does not accept"));
    }

    #[test]
    fn bootstrap_lets_jira_admins_set_up() {
        assert_eq!(bootstrap(true).standing, Some(Standing::JiraAdmin));
        assert!(!bootstrap(false).allowed);
    }
}

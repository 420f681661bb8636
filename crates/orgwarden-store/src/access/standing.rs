//! The standing a caller acts with: why they may use the app, and which sites and products
//! they may see and touch when their scope is limited.

use serde::{Deserialize, Serialize};

/// Why a caller may use the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Standing {
    /// Organization admin: always allowed, acts on the whole organization.
    OrgAdmin,
    /// Product admin (`atlassian/admin` on a product, or site admin), while switched on.
    ProductAdmin,
    /// User access admin (`atlassian/user-access-admin`), while switched on.
    UserAccessAdmin,
    /// Jira administrator of the installation site, before an API key is saved (bootstrap).
    JiraAdmin,
}

impl Standing {
    /// The stored and published spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OrgAdmin => "orgAdmin",
            Self::ProductAdmin => "productAdmin",
            Self::UserAccessAdmin => "userAccessAdmin",
            Self::JiraAdmin => "jiraAdmin",
        }
    }

    /// Parses the stored spelling; unknown values read as the least privileged standing.
    pub fn parse(value: &str) -> Self {
        match value {
            "orgAdmin" => Self::OrgAdmin,
            "productAdmin" => Self::ProductAdmin,
            "userAccessAdmin" => Self::UserAccessAdmin,
            _ => Self::JiraAdmin,
        }
    }
}

/// A site, or one product of a site, that a limited caller administers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Administered {
    /// Cloud id of the site.
    pub site_id: String,
    /// The product key; `None` = every product of the site (site admins, site-wide user
    /// access admins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_key: Option<String>,
}

impl Administered {
    /// True when this covers `product_key` on `site_id`.
    pub fn covers(&self, site_id: &str, product_key: &str) -> bool {
        self.site_id == site_id && self.product_key.as_deref().is_none_or(|p| p == product_key)
    }

    /// True when any of `scope` covers `product_key` on `site_id`.
    pub fn any_covers(scope: &[Self], site_id: &str, product_key: &str) -> bool {
        scope.iter().any(|a| a.covers(site_id, product_key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standing_round_trips_and_unknown_is_least_privileged() {
        for s in [
            Standing::OrgAdmin,
            Standing::ProductAdmin,
            Standing::UserAccessAdmin,
            Standing::JiraAdmin,
        ] {
            assert_eq!(Standing::parse(s.as_str()), s);
        }
        assert_eq!(Standing::parse("root"), Standing::JiraAdmin);
    }

    #[test]
    fn a_site_covers_its_products_and_a_product_only_itself() {
        let site = Administered {
            site_id: "s1".into(),
            product_key: None,
        };
        let jira = Administered {
            site_id: "s2".into(),
            product_key: Some("jira-software".into()),
        };
        assert!(site.covers("s1", "confluence"));
        assert!(!site.covers("s2", "confluence"));
        assert!(jira.covers("s2", "jira-software"));
        assert!(!jira.covers("s2", "confluence"));
        assert!(Administered::any_covers(
            &[site, jira],
            "s2",
            "jira-software"
        ));
    }
}

//! Products and resource ARIs.

use serde::{Deserialize, Serialize};

/// An Atlassian product that can live on a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Product {
    /// Jira Software (`jira-software`).
    #[serde(rename = "jira-software")]
    JiraSoftware,
    /// Jira Service Management (`jira-servicedesk`).
    #[serde(rename = "jira-servicedesk")]
    JiraServiceDesk,
    /// Confluence (`confluence`).
    #[serde(rename = "confluence")]
    Confluence,
    /// Jira Product Discovery (`jira-product-discovery`).
    #[serde(rename = "jira-product-discovery")]
    JiraProductDiscovery,
    /// Bitbucket (`bitbucket`).
    #[serde(rename = "bitbucket")]
    Bitbucket,
    /// Compass (`compass`).
    #[serde(rename = "compass")]
    Compass,
}

impl Product {
    /// Every product, in the order the generator weighs them.
    pub const ALL: [Product; 6] = [
        Product::JiraSoftware,
        Product::Confluence,
        Product::JiraServiceDesk,
        Product::JiraProductDiscovery,
        Product::Bitbucket,
        Product::Compass,
    ];

    /// The workspace `typeKey` / ARI resource owner (`jira-servicedesk`, no hyphen before desk).
    pub fn key(self) -> &'static str {
        match self {
            Product::JiraSoftware => "jira-software",
            Product::JiraServiceDesk => "jira-servicedesk",
            Product::Confluence => "confluence",
            Product::JiraProductDiscovery => "jira-product-discovery",
            Product::Bitbucket => "bitbucket",
            Product::Compass => "compass",
        }
    }

    /// The key used by the v1 endpoints (`product_access[].key`): `jira-service-desk` is hyphenated there.
    pub fn v1_key(self) -> &'static str {
        match self {
            Product::JiraServiceDesk => "jira-service-desk",
            other => other.key(),
        }
    }

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Product::JiraSoftware => "Jira Software",
            Product::JiraServiceDesk => "Jira Service Management",
            Product::Confluence => "Confluence",
            Product::JiraProductDiscovery => "Jira Product Discovery",
            Product::Bitbucket => "Bitbucket",
            Product::Compass => "Compass",
        }
    }

    /// Product family used as the workspace `attributes.type`.
    pub fn family(self) -> &'static str {
        match self {
            Product::JiraSoftware | Product::JiraServiceDesk | Product::JiraProductDiscovery => {
                "jira"
            }
            Product::Confluence => "confluence",
            Product::Bitbucket => "bitbucket",
            Product::Compass => "compass",
        }
    }

    /// True for the Jira family (they share the Jira REST API of a site).
    pub fn is_jira(self) -> bool {
        self.family() == "jira"
    }

    /// Parses a typeKey, accepting the v1 spelling `jira-service-desk` too.
    pub fn parse(key: &str) -> Option<Product> {
        match key {
            "jira-software" => Some(Product::JiraSoftware),
            "jira-servicedesk" | "jira-service-desk" => Some(Product::JiraServiceDesk),
            "confluence" => Some(Product::Confluence),
            "jira-product-discovery" => Some(Product::JiraProductDiscovery),
            "bitbucket" => Some(Product::Bitbucket),
            "compass" => Some(Product::Compass),
            _ => None,
        }
    }
}

/// Owner segment of a resource ARI for platform (site/org level) roles.
pub const PLATFORM: &str = "platform";

/// Builds `ari:cloud:<owner>::site/<cloudId>`.
pub fn site_ari(owner: &str, site_id: &str) -> String {
    format!("ari:cloud:{owner}::site/{site_id}")
}

/// Splits a site ARI into `(owner, cloudId)`.
pub fn parse_site_ari(ari: &str) -> Option<(&str, &str)> {
    let rest = ari.strip_prefix("ari:cloud:")?;
    let (owner, site) = rest.split_once("::site/")?;
    if owner.is_empty() || site.is_empty() {
        return None;
    }
    Some((owner, site))
}

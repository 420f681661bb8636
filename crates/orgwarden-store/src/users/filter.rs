//! The one filter model: the User Browser, exports, bulk operations and automated tasks all
//! select users with it. Validation names the offending field.

use serde::{Deserialize, Serialize};

/// Largest number of values any list of a filter may hold.
pub const MAX_LIST: usize = 500;

/// Which users to select. Every present criterion must hold (AND); values inside one list are
/// alternatives (OR). An empty filter selects every user.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Filter {
    /// Case-insensitive (Unicode) substring of the name or email, trimmed; at most 200
    /// characters, with no line breaks or other control characters inside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    /// Inactive for at least this many days ("last active" per product when `products` is set,
    /// else the newest across products; never-active users count from when they joined).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(minimum = 1, maximum = 36500))]
    pub inactive_days: Option<i64>,
    /// Only users who were never active (on the filtered products, when set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub never_active: Option<bool>,
    /// Users with access to any of these products (optionally on one site each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<ProductRef>,
    /// Users with access to any product of these sites (cloud ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<String>,
    /// Members of any of these groups (group ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// Users holding any of these roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    /// Users in any of these statuses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<UserStatus>,
    /// Users of any of these account types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub account_types: Vec<AccountType>,
    /// Users whose email is in any of these domains (exact, case-insensitive).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email_domains: Vec<String>,
    /// Only billable (true) or non-billable (false) users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billable: Option<bool>,
    /// Set by the server, never by a request: a caller limited to what they administer sees
    /// only users with access to one of these sites or products.
    #[serde(skip)]
    pub within: Option<Vec<crate::access::Administered>>,
}

/// A product, on one site or on every site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProductRef {
    /// Workspace type key, e.g. `confluence`.
    pub product_key: String,
    /// Cloud id of the site; absent = every site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_id: Option<String>,
}

/// Roles a filter can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum Role {
    /// Organization admin.
    OrgAdmin,
    /// Site admin.
    SiteAdmin,
    /// User access admin.
    UserAccessAdmin,
    /// Product admin (through a group granting `atlassian/admin`).
    ProductAdmin,
    /// Guest (through a group granting `atlassian/guest`).
    Guest,
    /// JSM customer account.
    Customer,
    /// None of the admin roles.
    Basic,
}

/// User statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum UserStatus {
    /// Active.
    Active,
    /// Suspended (access removed, restorable).
    Suspended,
    /// Account deactivated.
    Deactivated,
    /// Not invited (no membership).
    NotInvited,
}

impl UserStatus {
    /// The status as the Admin API and the mirror spell it.
    pub fn as_api(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Deactivated => "deactivated",
            Self::NotInvited => "not_invited",
        }
    }
}

/// Account types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum AccountType {
    /// People.
    Atlassian,
    /// Apps and bots.
    App,
    /// JSM portal-only customers.
    Customer,
}

impl AccountType {
    /// The type as the Admin API spells it.
    pub fn as_api(self) -> &'static str {
        match self {
            Self::Atlassian => "atlassian",
            Self::App => "app",
            Self::Customer => "customer",
        }
    }
}

/// A filter that failed validation: which field and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FilterError {
    /// JSON path of the field, e.g. `filter.inactiveDays`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl Filter {
    /// The filter names products or sites: activity is judged, and shown, on those only.
    pub fn is_scoped(&self) -> bool {
        !self.products.is_empty() || !self.sites.is_empty()
    }

    /// Checks ranges and sizes; `prefix` is prepended to field names in errors.
    pub fn validate(&self, prefix: &str) -> Result<(), FilterError> {
        let err = |field: &str, message: &str| FilterError {
            field: format!("{prefix}{field}"),
            message: message.to_owned(),
        };
        if let Some(search) = &self.search {
            if search.chars().count() > 200 {
                return Err(err("search", "must be at most 200 characters"));
            }
            if search.trim().chars().any(char::is_control) {
                return Err(err(
                    "search",
                    "must not contain line breaks or control characters",
                ));
            }
        }
        if let Some(days) = self.inactive_days {
            if !(1..=36500).contains(&days) {
                return Err(err("inactiveDays", "must be between 1 and 36500"));
            }
        }
        let lists = [
            ("products", self.products.len()),
            ("sites", self.sites.len()),
            ("groups", self.groups.len()),
            ("emailDomains", self.email_domains.len()),
        ];
        for (field, len) in lists {
            if len > MAX_LIST {
                return Err(err(field, "has too many values (at most 500)"));
            }
        }
        if self
            .products
            .iter()
            .any(|p| p.product_key.trim().is_empty())
        {
            return Err(err("products", "productKey must not be empty"));
        }
        if self
            .email_domains
            .iter()
            .any(|d| d.trim().is_empty() || d.contains('@') || d.contains(char::is_whitespace))
        {
            return Err(err("emailDomains", "use bare domains such as example.com"));
        }
        if self
            .sites
            .iter()
            .chain(&self.groups)
            .any(|v| v.trim().is_empty())
        {
            return Err(err(
                if self.sites.iter().any(|v| v.trim().is_empty()) {
                    "sites"
                } else {
                    "groups"
                },
                "ids must not be empty",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(text: &str) -> Filter {
        Filter {
            search: Some(text.to_owned()),
            ..Filter::default()
        }
    }

    #[test]
    fn search_text_is_checked_and_named() {
        assert!(search("Élodie Ørsted").validate("").is_ok());
        assert!(search(" pasted\n").validate("").is_ok());
        let long = search(&"é".repeat(201)).validate("filter.").unwrap_err();
        assert_eq!(long.field, "filter.search");
        for text in ["ada\nlovelace", "ada\tlovelace", "ada\u{0}"] {
            let refused = search(text).validate("").unwrap_err();
            assert_eq!(refused.field, "search", "{text:?}");
            assert!(refused.message.contains("control"), "{}", refused.message);
        }
    }
}

//! The ten named filters of the query scenario (the README lists them), and the pages sorted
//! by activity on some products.

use orgwarden_store::access::Administered;
use orgwarden_store::users::{AccountType, Filter, ProductRef, Role, UserStatus};

/// The filters, by name, for a site, a group and an email domain of the mirror.
pub fn filters(site: &str, group: &str, domain: &str) -> Vec<(&'static str, Filter)> {
    let product = |key: &str, site: Option<&str>| ProductRef {
        product_key: key.into(),
        site_id: site.map(str::to_owned),
    };
    vec![
        (
            "inactive >= 90 days on Confluence, one site",
            Filter {
                inactive_days: Some(90),
                products: vec![product("confluence", Some(site))],
                ..Filter::default()
            },
        ),
        (
            "never active",
            Filter {
                never_active: Some(true),
                ..Filter::default()
            },
        ),
        (
            "email domain + group",
            Filter {
                email_domains: vec![domain.into()],
                groups: vec![group.into()],
                ..Filter::default()
            },
        ),
        (
            "suspended",
            Filter {
                statuses: vec![UserStatus::Suspended],
                ..Filter::default()
            },
        ),
        (
            "search text",
            Filter {
                search: Some("mar".into()),
                ..Filter::default()
            },
        ),
        (
            "org admins and site admins",
            Filter {
                roles: vec![Role::OrgAdmin, Role::SiteAdmin],
                ..Filter::default()
            },
        ),
        (
            "product admins",
            Filter {
                roles: vec![Role::ProductAdmin],
                ..Filter::default()
            },
        ),
        (
            "inactive >= 30 days, any product",
            Filter {
                inactive_days: Some(30),
                ..Filter::default()
            },
        ),
        (
            "billable, inactive >= 180 days",
            Filter {
                billable: Some(true),
                inactive_days: Some(180),
                ..Filter::default()
            },
        ),
        (
            "Jira Software on every site, people only",
            Filter {
                products: vec![product("jira-software", None)],
                account_types: vec![AccountType::Atlassian],
                ..Filter::default()
            },
        ),
    ]
}

/// Pages sorted by the last use of one site's Confluence: filtered by it, and as a limited admin
/// who administers it lists their users (read the same way).
pub fn by_last_active(site: &str) -> Vec<(&'static str, Filter)> {
    vec![
        (
            "Confluence, one site, by last active",
            Filter {
                products: vec![ProductRef {
                    product_key: "confluence".into(),
                    site_id: Some(site.to_owned()),
                }],
                ..Filter::default()
            },
        ),
        (
            "its admin's users, by last active",
            Filter {
                within: Some(vec![Administered {
                    site_id: site.to_owned(),
                    product_key: Some("confluence".into()),
                }]),
                ..Filter::default()
            },
        ),
    ]
}

//! A user as a row of an export: the CSV and XLSX columns.

use orgwarden_store::users::UserRow;

/// The CSV header of exports.
pub const CSV_HEADER: [&str; 12] = [
    "accountId",
    "name",
    "email",
    "status",
    "accountType",
    "billable",
    "sites",
    "products",
    "groups",
    "roles",
    "lastActive",
    "addedToOrg",
];

/// One CSV record of a user.
pub fn csv_record(u: &UserRow) -> [String; 12] {
    let join = |items: Vec<String>| items.join("; ");
    [
        u.account_id.clone(),
        u.name.clone(),
        u.email.clone().unwrap_or_default(),
        u.status.clone(),
        u.account_type.clone(),
        u.billable.to_string(),
        join(u.sites.clone()),
        join(
            u.products
                .iter()
                .map(|p| format!("{}:{}", p.site_id, p.product_key))
                .collect(),
        ),
        join(u.groups.iter().map(|g| g.name.clone()).collect()),
        join(u.roles.clone()),
        u.last_active.map(|t| t.to_rfc3339()).unwrap_or_default(),
        u.added_to_org.map(|t| t.to_rfc3339()).unwrap_or_default(),
    ]
}

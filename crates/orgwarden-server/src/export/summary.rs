//! The words of an XLSX export's summary sheet: the site, who exported, and the selection.

use std::collections::BTreeMap;

use orgwarden_store::operations::Selection;
use orgwarden_store::users::{self, Named};
use orgwarden_store::{mirror, tenants, DbConnection, StoreError};
use serde::Serialize;

use super::formats::ExportMeta;
use orgwarden_atlassian::product_name;

/// What the XLSX summary says besides the counts.
#[derive(Default)]
pub struct SummaryFacts {
    /// The installation site's base URL.
    pub site: String,
    /// "Name <email> (account id)" of the exporting admin, or the account id alone.
    pub exporter: String,
    /// The selection in words.
    pub selection: String,
}

/// The summary's facts about an export of `generation`.
pub fn summary_facts(
    conn: &mut DbConnection,
    meta: &ExportMeta,
    generation: i64,
) -> Result<SummaryFacts, StoreError> {
    let sites = mirror::site_names(conn, &meta.tenant_id, generation)?;
    let groups = users::groups(conn, &meta.tenant_id, generation)?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let site = tenants::find(conn, &meta.tenant_id)?
        .map(|t| t.base_url)
        .unwrap_or_default();
    let who = std::slice::from_ref(&meta.exported_by);
    let exporter =
        match users::names_of(conn, &meta.tenant_id, generation, who)?.remove(&meta.exported_by) {
            Some(Named {
                name,
                email: Some(email),
            }) => format!("{name} <{email}> ({})", meta.exported_by),
            Some(Named { name, email: None }) => format!("{name} ({})", meta.exported_by),
            None => meta.exported_by.clone(),
        };
    Ok(SummaryFacts {
        site,
        exporter,
        selection: selection_in_words(&meta.selection, &sites, &groups),
    })
}

/// The selection as an admin reads it: "Inactive for at least 90 days; products: Confluence on
/// Acme; statuses: active".
pub fn selection_in_words(
    selection: &Selection,
    sites: &BTreeMap<String, String>,
    groups: &BTreeMap<String, String>,
) -> String {
    if let Some(ids) = &selection.account_ids {
        return format!("{} selected users", ids.len());
    }
    let Some(f) = &selection.filter else {
        return "All users".into();
    };
    let site = |id: &String| sites.get(id).cloned().unwrap_or_else(|| id.clone());
    let list = |label: &str, items: Vec<String>| {
        (!items.is_empty()).then(|| format!("{label}: {}", items.join(", ")))
    };
    let parts = [
        f.search
            .as_ref()
            .map(|s| format!("name or email contains \"{s}\"")),
        f.inactive_days
            .map(|d| format!("inactive for at least {d} days")),
        f.never_active.filter(|n| *n).map(|_| "never active".into()),
        list(
            "products",
            f.products
                .iter()
                .map(|p| match &p.site_id {
                    Some(s) => format!("{} on {}", product_name(&p.product_key), site(s)),
                    None => product_name(&p.product_key),
                })
                .collect(),
        ),
        list("sites", f.sites.iter().map(site).collect()),
        list(
            "groups",
            f.groups
                .iter()
                .map(|g| groups.get(g).cloned().unwrap_or_else(|| g.clone()))
                .collect(),
        ),
        list("roles", f.roles.iter().map(spelled).collect()),
        list("statuses", f.statuses.iter().map(spelled).collect()),
        list(
            "account types",
            f.account_types.iter().map(spelled).collect(),
        ),
        list("email domains", f.email_domains.clone()),
        f.billable
            .map(|b| if b { "billable" } else { "not billable" }.into()),
    ];
    let words: Vec<String> = parts.into_iter().flatten().collect();
    if words.is_empty() {
        "All users".into()
    } else {
        let text = words.join("; ");
        let mut chars = text.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }
}

/// A filter enum as its JSON spelling (`orgAdmin`, `suspended`…).
fn spelled<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

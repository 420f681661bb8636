//! What admins call the products of the Admin API's product keys.

/// The display name of a product key.
pub fn product_name(key: &str) -> String {
    match key {
        "jira-software" => "Jira Software".into(),
        "jira-servicedesk" | "jira-service-desk" => "Jira Service Management".into(),
        "jira-core" | "jira" => "Jira".into(),
        "jira-product-discovery" => "Jira Product Discovery".into(),
        "confluence" => "Confluence".into(),
        "bitbucket" => "Bitbucket".into(),
        "compass" => "Compass".into(),
        "opsgenie" => "Opsgenie".into(),
        "statuspage" => "Statuspage".into(),
        "trello" => "Trello".into(),
        "loom" => "Loom".into(),
        other => other.to_owned(),
    }
}

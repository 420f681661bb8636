//! What admins call the Admin API's product keys, roles and user statuses.

/// The display name of a product key (the key itself when it is not a known product).
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

/// A directory user's composite status in words (the status itself, with spaces for
/// underscores, when it is not one Atlassian documents).
pub fn status_words(status: &str) -> String {
    match status {
        "not_invited" => "not invited to any product".into(),
        "for_deletion" => "scheduled for deletion".into(),
        other => other.replace('_', " "),
    }
}

/// A role's name in words: `atlassian/user` is "user access", `atlassian/admin` "product admin";
/// an unknown role loses Atlassian's prefix and its dashes.
pub fn role_words(role: &str) -> String {
    match role {
        "atlassian/user" => "user access".into(),
        "atlassian/admin" => "product admin".into(),
        "atlassian/site-admin" => "site admin".into(),
        "atlassian/org-admin" => "organization admin".into(),
        "atlassian/user-access-admin" => "user access admin".into(),
        other => other
            .strip_prefix("atlassian/")
            .unwrap_or(other)
            .replace('-', " "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_keys_and_statuses_read_as_words() {
        assert_eq!(product_name("jira-software"), "Jira Software");
        assert_eq!(product_name("new-thing"), "new-thing");
        assert_eq!(status_words("not_invited"), "not invited to any product");
        assert_eq!(status_words("for_deletion"), "scheduled for deletion");
        assert_eq!(status_words("deactivated"), "deactivated");
        assert_eq!(status_words("some_new_one"), "some new one");
        assert_eq!(role_words("atlassian/user"), "user access");
        assert_eq!(role_words("atlassian/admin"), "product admin");
        assert_eq!(
            role_words("atlassian/servicedesk-agent"),
            "servicedesk agent"
        );
        assert_eq!(role_words("custom"), "custom");
    }
}

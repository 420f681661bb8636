//! Every paging style of the Admin client, followed to the end against a fake server.

use crate::admin_support::{Fake, Reply, KEY};
use futures::TryStreamExt;
use orgwarden_atlassian::{GroupSearch, UserSearch};
use orgwarden_ids::{AccountId, DirectoryId, GroupId, OrgId};
use serde_json::json;

#[tokio::test]
async fn v1_url_links_are_followed_through_their_cursor() {
    let fake = Fake::start(|seen| match seen.query("cursor").as_deref() {
        None => Reply::ok(json!({
            "data": [{"id": "o1", "type": "orgs", "attributes": {"name": "Acme"}, "links": {"self": "x"}}],
            "links": {"self": "https://api.atlassian.com/admin/v1/orgs",
                      "next": "https://api.atlassian.com/admin/v1/orgs?cursor=p%3A2"}
        })),
        Some("p:2") => Reply::ok(json!({"data": [{"id": "o2", "type": "orgs"}], "links": {"next": null}, "meta": null})),
        Some(other) => Reply::status(400, json!({"errors": [{"code": "ADMIN-400-1", "detail": other}]})),
    })
    .await;
    let orgs = fake.client().list_orgs().await.unwrap();
    assert_eq!(
        orgs.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(),
        ["o1", "o2"]
    );
    assert_eq!(orgs[0].name.as_deref(), Some("Acme"));
    assert_eq!(orgs[1].name, None);
    let seen = fake.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].target, "/admin/v1/orgs?cursor=p%3A2");
    assert_eq!(
        seen[0].header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(seen[0].header("accept"), Some("application/json"));
}

#[tokio::test]
async fn v2_cursors_go_back_in_the_query() {
    let fake = Fake::start(|seen| match seen.query("cursor").as_deref() {
        None => Reply::ok(json!({"data": [{"directoryId": "d1", "name": "Main", "icon": "i"}], "links": {"next": "c2"}})),
        Some("c2") => Reply::ok(json!({"data": [{"directoryId": "d2", "name": null}], "links": {}})),
        Some(_) => Reply::status(400, json!({})),
    })
    .await;
    let pages: Vec<_> = fake
        .client()
        .directories(&OrgId::from("org-1"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[1][0].directory_id, "d2");
    assert_eq!(pages[1][0].name, "");
    let seen = fake.seen();
    assert_eq!(seen[0].target, "/admin/v2/orgs/org-1/directories?limit=100");
    assert_eq!(
        seen[1].target,
        "/admin/v2/orgs/org-1/directories?cursor=c2&limit=100"
    );
}

#[tokio::test]
async fn user_search_sends_the_cursor_in_the_body() {
    let fake = Fake::start(|seen| {
        let body = seen.json();
        match body.get("cursor").and_then(|c| c.as_str()) {
            None => Reply::ok(json!({
                "data": [{
                    "accountId": "712020:3b5c", "accountType": "atlassian", "status": "active",
                    "accountStatus": "active", "membershipStatus": "active",
                    "addedToOrg": "2024-01-01T00:00:00.000Z", "name": "John Doe", "nickname": "Jonny",
                    "email": "john@example.com", "claimStatus": "managed", "managementSource": "invited",
                    "platformRoles": ["atlassian/org-admin"], "someNewField": {"x": 1},
                    "productAccess": [{"key": "confluence", "id": "ari:cloud:confluence::site/1",
                                       "lastActiveTimestamp": "2025-11-06T23:07:29.936941226Z"}],
                    "groups": [{"id": "g1", "name": "devs"}]
                }],
                "links": {"self": "s", "next": "u2"}
            })),
            Some("u2") => Reply::ok(json!({"data": [{"accountId": "a2", "status": "brand_new_status", "email": null}]})),
            Some(_) => Reply::status(400, json!({})),
        }
    })
    .await;
    let request = UserSearch {
        limit: Some(100),
        expand: vec![
            "productAccess".into(),
            "groups".into(),
            "platformRoles".into(),
        ],
        ..UserSearch::default()
    };
    let pages: Vec<_> = fake
        .client()
        .search_users(&OrgId::from("org"), &DirectoryId::from("-"), request)
        .try_collect()
        .await
        .unwrap();
    let users: Vec<_> = pages.into_iter().flatten().collect();
    assert_eq!(users.len(), 2);
    let john = &users[0];
    assert_eq!(john.account_id, "712020:3b5c");
    assert_eq!(
        john.added_to_org.unwrap().to_rfc3339(),
        "2024-01-01T00:00:00+00:00"
    );
    assert_eq!(john.product_access[0].id, "ari:cloud:confluence::site/1");
    assert!(john.product_access[0].last_active_timestamp.is_some());
    assert_eq!(john.groups[0].name.as_deref(), Some("devs"));
    assert_eq!(john.platform_roles, ["atlassian/org-admin"]);
    assert_eq!(users[1].status, "brand_new_status");
    assert!(users[1].product_access.is_empty() && users[1].email.is_none());
    let seen = fake.seen();
    assert_eq!(
        seen[0].target,
        "/admin/v2/orgs/org/directories/-/users/search"
    );
    assert_eq!(
        seen[0].json(),
        json!({"limit": 100, "expand": ["productAccess", "groups", "platformRoles"]})
    );
    assert_eq!(
        seen[1].json(),
        json!({"limit": 100, "expand": ["productAccess", "groups", "platformRoles"], "cursor": "u2"})
    );
    assert_eq!(seen[0].header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn group_search_and_role_assignments_page_to_the_end() {
    let fake = Fake::start(|seen| {
        if seen.path().ends_with("/groups/search") {
            return match seen.json().get("cursor") {
                None => Reply::ok(json!({"data": [{"id": "g1", "name": "scim", "directoryId": "d",
                    "managementAccess": {"deletable": false, "modifiable": false, "readable": true},
                    "externalSynced": true, "managedBy": "external", "counts": {"users": 7}}],
                    "links": {"next": "g2"}})),
                Some(_) => Reply::ok(json!({"data": [{"id": "g2", "name": "devs", "description": "d",
                    "managementAccess": {"deletable": true, "modifiable": true, "readable": true}}], "links": {"next": null}})),
            };
        }
        match seen.query("cursor") {
            None => Reply::ok(json!({"data": [{"resourceId": "ari:cloud:jira-software::site/1", "resourceOwner": "jira-software",
                "defaultRole": null, "roles": ["atlassian/user"]}], "links": {"next": "r2"}})),
            Some(_) => Reply::ok(json!({"data": [], "links": {}})),
        }
    })
    .await;
    let client = fake.client();
    let search = GroupSearch {
        expand: vec!["counts.users".into()],
        ..GroupSearch::default()
    };
    let groups: Vec<_> = client
        .search_groups(&OrgId::from("o"), &DirectoryId::from("d"), search)
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .concat();
    assert_eq!(groups.len(), 2);
    assert!(groups[0].is_read_only() && groups[0].external_synced);
    assert_eq!(groups[0].counts.unwrap().users, 7);
    assert!(!groups[1].is_read_only());
    let roles: Vec<_> = client
        .group_role_assignments(
            &OrgId::from("o"),
            &DirectoryId::from("d"),
            &GroupId::from("g1"),
        )
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .concat();
    assert_eq!(roles[0].roles, ["atlassian/user"]);
    let seen = fake.seen();
    assert_eq!(
        seen[1].json(),
        json!({"expand": ["counts.users"], "cursor": "g2"})
    );
    assert_eq!(
        seen[3].target,
        "/admin/v2/orgs/o/directories/d/groups/g1/role-assignments?cursor=r2&limit=100"
    );
}

#[tokio::test]
async fn workspaces_send_only_the_cursor_on_later_pages() {
    let fake = Fake::start(|seen| match seen.json().get("cursor") {
        None => Reply::ok(json!({
            "data": [{"id": "ari:cloud:jira-software::site/1", "type": "workspace",
                      "attributes": {"name": "acme", "typeKey": "jira-software", "status": "online",
                                     "hostUrl": "acme.atlassian.net", "sandbox": {"type": "NONE"}}}],
            "links": {"self": "x", "next": "c29tZS1jdXJzb3I="},
            "meta": {"pageSize": 1, "startIndex": 0, "endIndex": 0, "total": 2}})),
        Some(_) => Reply::ok(json!({"data": [{"id": "ari:cloud:confluence::site/1",
            "attributes": {"name": "acme", "typeKey": "confluence", "status": "offline"}}], "links": {"next": null}})),
    })
    .await;
    let pages: Vec<_> = fake
        .client()
        .workspaces(&OrgId::from("o"))
        .try_collect()
        .await
        .unwrap();
    let all: Vec<_> = pages.concat();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].type_key, "jira-software");
    assert_eq!(all[0].host_url.as_deref(), Some("acme.atlassian.net"));
    assert_eq!(all[1].host_url, None);
    let seen = fake.seen();
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].json(), json!({"limit": 100}));
    assert_eq!(seen[1].json(), json!({"cursor": "c29tZS1jdXJzb3I="}));
}

#[tokio::test]
async fn events_follow_meta_next_until_an_empty_page() {
    let fake = Fake::start(|seen| {
        let event = |id: &str| json!({"id": id, "type": "events", "attributes": {"time": "2021-04-01T23:20:17.230060Z",
            "action": "group_created", "actor": {"id": "a1", "name": "Ann"}, "context": [{"id": "g", "type": "groups",
            "attributes": {"name": "devs"}}], "container": [], "processedAt": "2021-04-01T23:20:18Z"},
            "links": {"self": "x"}, "message": {"content": "Created", "format": "simple"}});
        match seen.query("cursor").as_deref() {
            None => Reply::ok(json!({"data": [event("e1"), event("e2")], "links": {}, "meta": {"next": "n2", "page_size": 2}})),
            Some("n2") => Reply::ok(json!({"data": [event("e3")], "meta": {"next": "n3"}})),
            // The events stream keeps handing out a cursor for polling.
            Some(_) => Reply::ok(json!({"data": [], "meta": {"next": "n3"}})),
        }
    })
    .await;
    let pages: Vec<_> = fake
        .client()
        .events_stream(&OrgId::from("o"), Some(1_700_000_000_000))
        .try_collect()
        .await
        .unwrap();
    let events: Vec<_> = pages.concat();
    assert_eq!(
        events.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["e1", "e2", "e3"]
    );
    assert_eq!(events[0].attributes.action, "group_created");
    assert_eq!(events[0].attributes.context[0].object_type, "groups");
    let seen = fake.seen();
    assert_eq!(seen.len(), 3);
    assert_eq!(
        seen[0].target,
        "/admin/v1/orgs/o/events-stream?from=1700000000000"
    );
    assert_eq!(seen[2].target, "/admin/v1/orgs/o/events-stream?cursor=n3");
}

#[tokio::test]
async fn last_active_dates_merge_all_pages_and_ids_are_encoded() {
    let fake = Fake::start(|seen| match seen.query("cursor") {
        None => Reply::ok(json!({"data": {"product_access": [{"id": "ari:cloud:confluence::site/1", "key": "confluence",
            "last_active": "2025-03-02", "last_active_timestamp": "2025-03-02T09:14:05Z"}],
            "added_to_org": "2023-06-01", "added_to_org_timestamp": "2023-06-01T12:00:00Z"}, "links": {"next": "p2"}})),
        Some(_) => Reply::ok(json!({"data": {"product_access": [{"id": "ari:cloud:jira-software::site/1",
            "key": "jira-software"}]}, "links": {"next": null}})),
    })
    .await;
    let dates = fake
        .client()
        .last_active_dates(&OrgId::from("o"), &AccountId::from("712020:abc/def"))
        .await
        .unwrap();
    assert_eq!(dates.product_access.len(), 2);
    assert_eq!(dates.added_to_org.unwrap().to_string(), "2023-06-01");
    assert!(dates.product_access[1].last_active.is_none());
    let seen = fake.seen();
    assert_eq!(
        seen[0].target,
        "/admin/v1/orgs/o/directory/users/712020%3Aabc%2Fdef/last-active-dates"
    );
    assert_eq!(seen[1].query("cursor").as_deref(), Some("p2"));
}

//! Typed errors of the Admin client, and the API key staying out of every one of them.

use crate::admin_support::{Fake, Reply, KEY};
use futures::StreamExt;
use orgwarden_atlassian::{AdminError, UserSearch};
use orgwarden_ids::{AccountId, DirectoryId, GroupId, OrgId};
use serde_json::json;

fn app_error(status: &str, code: &str, detail: &str) -> serde_json::Value {
    json!({"errors": [{"id": "1", "status": status, "code": code, "title": "t", "detail": detail}]})
}

/// Answers by the org id in the path, so one server covers every case.
async fn fake() -> Fake {
    Fake::start(|seen| {
        let org = seen.path().split('/').nth(4).unwrap_or_default().to_owned();
        match org.as_str() {
            "invalid" => Reply::status(401, json!({"code": 401, "message": "Unauthorized"})),
            "expired" => Reply::status(401, json!({"errors": [{"code": "ADMIN-UAM-401-1", "detail": "The API key has expired"}]})),
            "forbidden" => Reply::status(403, app_error("403", "ADMIN-403-3", "Not allowed to manage the org")),
            "missing" => Reply::status(404, app_error("404", "ADMIN-404-2", "Organization missing was not found")),
            "synced" => Reply::status(403, app_error("403", "ADMIN-403-5",
                "You can't add a user to a group synced from an identity provider. Manage this group in your identity provider instead.")),
            "conflict" => Reply::status(409, app_error("409", "ADMIN-409-28", "Group name taken")),
            "bad" => Reply::status(400, app_error("400", "ADMIN-400-24", &format!("header Bearer {KEY} is odd"))),
            "teapot" => Reply::Json(418, json!("short and stout"), vec![]),
            "shape" => Reply::ok(json!({"data": [{"accountId": "a1", "addedToOrg": "2024-01-01T00:00:00Z"},
                {"accountId": "a2", "addedToOrg": "last tuesday"}]})),
            "number" => Reply::ok(json!({"data": {"accountId": 42}})),
            _ => Reply::ok(json!({"data": {"id": org}})),
        }
    })
    .await
}

fn assert_clean(err: &AdminError) {
    let shown = format!("{err} / {err:?}");
    assert!(!shown.contains(KEY), "the key leaked: {shown}");
}

#[tokio::test]
async fn statuses_map_to_typed_errors_without_retries() {
    let fake = fake().await;
    let client = fake.client();
    let err = client.get_org(&OrgId::from("invalid")).await.unwrap_err();
    assert!(matches!(err, AdminError::InvalidKey), "{err:?}");
    assert!(err.to_string().contains("Settings"));
    let err = client.get_org(&OrgId::from("expired")).await.unwrap_err();
    assert!(matches!(err, AdminError::ExpiredKey), "{err:?}");
    assert!(err.to_string().contains("expired"));
    let err = client.get_org(&OrgId::from("forbidden")).await.unwrap_err();
    assert!(
        matches!(err, AdminError::Forbidden { code: Some(ref c), .. } if c == "ADMIN-403-3"),
        "{err:?}"
    );
    let err = client.get_org(&OrgId::from("missing")).await.unwrap_err();
    assert!(
        matches!(err, AdminError::NotFound { code: Some(ref c), .. } if c == "ADMIN-404-2"),
        "{err:?}"
    );
    let err = client
        .add_group_member(
            &OrgId::from("synced"),
            &DirectoryId::from("d"),
            &GroupId::from("g"),
            &AccountId::from("712020:u"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, AdminError::ReadOnlyGroup { .. }), "{err:?}");
    let err = client
        .create_group(
            &OrgId::from("conflict"),
            &DirectoryId::from("d"),
            "devs",
            None,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, AdminError::Conflict { .. }), "{err:?}");
    let err = client
        .revoke_role(
            &OrgId::from("bad"),
            &AccountId::from("u"),
            "atlassian/user",
            "ari:cloud:jira-software::site/1",
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, AdminError::BadRequest { code: Some(ref c), .. } if c == "ADMIN-400-24"),
        "{err:?}"
    );
    assert_clean(&err);
    let err = client
        .delete_group(
            &OrgId::from("teapot"),
            &DirectoryId::from("d"),
            &GroupId::from("g"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, AdminError::BadRequest { ref detail, .. } if detail.contains("418")),
        "{err:?}"
    );
    // 4xx are final: one request each.
    assert_eq!(fake.seen().len(), 8);
    assert_eq!(client.stats().retries, 0);
}

#[tokio::test]
async fn decode_errors_name_the_json_path() {
    let fake = fake().await;
    let client = fake.client();
    let mut pages = client.search_users(
        &OrgId::from("shape"),
        &DirectoryId::from("-"),
        UserSearch::default(),
    );
    let err = pages.next().await.unwrap().unwrap_err();
    assert!(
        matches!(&err, AdminError::Decode { path, message }
            if path == "data[1].addedToOrg" && message.contains("last tuesday")),
        "{err:?}"
    );
    assert!(err.to_string().contains("data[1].addedToOrg"));
    // A stream ends after its first error.
    assert!(pages.next().await.is_none());
    let err = client
        .get_user(
            &OrgId::from("number"),
            &DirectoryId::from("-"),
            &AccountId::from("a"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, AdminError::Decode { ref path, .. } if path == "data.accountId"),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_key_never_shows() {
    let fake = fake().await;
    let client = fake.client();
    let debug = format!("{client:?}");
    assert!(
        !debug.contains(KEY) && debug.contains("[redacted]"),
        "{debug}"
    );
    for org in [
        "invalid",
        "expired",
        "forbidden",
        "missing",
        "synced",
        "conflict",
        "bad",
        "teapot",
    ] {
        assert_clean(&client.get_org(&OrgId::from(org)).await.unwrap_err());
    }
    // Nothing listens on a freshly closed port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let unreachable = orgwarden_atlassian::AdminClient::new(
        reqwest::Client::new(),
        orgwarden_atlassian::AdminClientConfig {
            base_url: format!("http://127.0.0.1:{port}"),
            max_retries: 1,
            ..Default::default()
        },
        orgwarden_atlassian::ApiKey::new(KEY),
    );
    let err = unreachable.get_org(&OrgId::from("o")).await.unwrap_err();
    assert!(matches!(err, AdminError::Unreachable(_)), "{err:?}");
    assert_clean(&err);
    // A key that cannot be a header value is refused before anything is sent.
    let odd = orgwarden_atlassian::AdminClient::new(
        reqwest::Client::new(),
        orgwarden_atlassian::AdminClientConfig::new(fake.url.clone()),
        orgwarden_atlassian::ApiKey::new("line\nbreak"),
    );
    assert!(matches!(
        odd.get_org(&OrgId::from("o")).await,
        Err(AdminError::InvalidKey)
    ));
}

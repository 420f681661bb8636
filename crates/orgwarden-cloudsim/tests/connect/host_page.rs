//! The host page: context tokens, the app iframe's URL and all.js.

use super::*;

#[tokio::test]
async fn context_token_host_page_and_all_js() {
    let i = install().await;
    let admin = i
        .sim
        .find_user(|u| {
            u["status"] == "active"
                && u["platformRoles"]
                    .as_array()
                    .unwrap()
                    .contains(&json!("atlassian/org-admin"))
        })
        .await;
    let account = admin["accountId"].as_str().unwrap();
    let (status, body) = i
        .sim
        .sim(
            Method::POST,
            "/__sim/context-token",
            Some(json!({"accountId": account})),
        )
        .await;
    assert_eq!(status, 200);
    let claims = verify_hs256(
        body["token"].as_str().unwrap(),
        &i.secret,
        "",
        QshPolicy::Context,
        now(),
    )
    .unwrap();
    assert_eq!(claims.sub.as_deref(), Some(account));
    assert_eq!(claims.iss, i.client_key);
    assert_eq!(claims.qsh.as_deref(), Some("context-qsh"));

    let (html, url, params) = admin_page(&i, &format!("as={}", urlencode(account))).await;
    assert_eq!(url.path(), "/app/admin");
    assert_eq!(params["view"], "settings");
    assert_eq!(params["lic"], "active");
    assert_eq!(params["xdm_e"], i.jira_base);
    assert_eq!(params["cp"], "");
    assert!(params.contains_key("xdm_c") && params.contains_key("cv"));
    let qsh = query_string_hash("GET", url.path(), url.query().unwrap(), "/app").unwrap();
    let claims = verify_hs256(&params["jwt"], &i.secret, &qsh, QshPolicy::Request, now()).unwrap();
    assert_eq!(claims.sub.as_deref(), Some(account));
    assert!(claims.exp - claims.iat <= 180);
    assert!(html.contains("/connect/host.js"));

    // a deep link's `ac.` parameters reach the iframe, signed with the rest; others do not
    let query = format!("as={}&ac.view=tasks&ac.task=3&other=x", urlencode(account));
    let (_, url, params) = admin_page(&i, &query).await;
    assert_eq!(
        (params["ac.view"].as_str(), params["ac.task"].as_str()),
        ("tasks", "3")
    );
    assert!(!params.contains_key("other") && !params.contains_key("as"));
    let qsh = query_string_hash("GET", url.path(), url.query().unwrap(), "/app").unwrap();
    verify_hs256(&params["jwt"], &i.secret, &qsh, QshPolicy::Request, now()).unwrap();

    // templates in module URLs resolve to empty strings; the default viewer is an org admin
    let html = host_html(&i, "general", "").await;
    assert!(html.contains("/app/page/?lic="), "{html}");
    let missing = i
        .sim
        .http
        .get(i.sim.url(&format!(
            "/jira/{}/plugins/servlet/ac/{APP_KEY}/nope",
            i.site
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);

    let js = i
        .sim
        .http
        .get(i.sim.url("/connect/all.js"))
        .send()
        .await
        .unwrap();
    assert!(js.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));
    let js = js.text().await.unwrap();
    for api in [
        "getToken",
        "resize",
        "sizeToParent",
        "navigator",
        "flag",
        "postMessage",
    ] {
        assert!(js.contains(api), "{api}");
    }
}

/// The HTML of module `module`'s host page with `query`.
async fn host_html(i: &Installed, module: &str, query: &str) -> String {
    let page_url = i.sim.url(&format!(
        "/jira/{}/plugins/servlet/ac/{APP_KEY}/{module}?{query}",
        i.site
    ));
    let page = i.sim.http.get(page_url).send().await.unwrap();
    page.text().await.unwrap()
}

/// The admin page's host page with `query`: its HTML, the app iframe's URL and that URL's query.
async fn admin_page(
    i: &Installed,
    query: &str,
) -> (String, url::Url, std::collections::BTreeMap<String, String>) {
    let html = host_html(i, "admin-page", query).await;
    let src = html
        .split("src=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let url = url::Url::parse(&src).unwrap();
    let params = url.query_pairs().into_owned().collect();
    (html, url, params)
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

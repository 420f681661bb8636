//! Webhooks end to end: signed deliveries verified by an independent Standard Webhooks library,
//! events fired by their real causes, retries under a manual clock, switching off after three
//! days of failures, the SSRF guard, a kept secret that does not follow its webhook to another
//! host, and no redelivery to a webhook switched off.

use chrono::Duration;
use orgwarden_store::Backend;
use reqwest::Method;
use serde_json::{json, Value};

use crate::operations_support::{finished, plain_group};
use crate::webhooks_support::{verify, Hooks};
use orgwarden_store::on_both_backends;

on_both_backends!(
    signed_deliveries_verify_with_an_independent_library,
    events_fire_from_their_causes,
    retries_follow_the_schedule_and_failing_webhooks_switch_off,
    a_webhook_switched_off_by_hand_sends_nothing_more,
    private_targets_are_refused_without_the_flag,
    a_kept_secret_stays_with_its_host_and_an_off_webhook_gets_no_redelivery,
);

async fn signed_deliveries_verify_with_an_independent_library(backend: Backend) {
    let h = Hooks::start(backend).await;
    let (id, secret) = h.create("jira/a/test-1", &["test", "syncFailed"]).await;
    assert!(secret.starts_with("whsec_"), "{secret}");
    let delivery = h.send_test(id).await;
    let got = h.wait_received("jira/a/test-1", 1).await;
    let request = &got[0];
    assert_eq!(request["headers"]["webhook-id"], delivery.as_str());
    assert_eq!(
        request["headers"]["x-automation-webhook-token"],
        secret.as_str()
    );
    assert_eq!(request["accepted"], true);
    let body = request["body"].as_str().unwrap();
    let payload = verify(&secret, request, body).expect("the library verifies it");
    assert_eq!(payload["id"], delivery.as_str());
    assert_eq!(payload["event"], "test");
    assert_eq!(payload["data"]["trigger"], "test");
    assert!(payload["tenant"]["clientKey"].is_string(), "{payload}");
    let tampered = body.replace("\"test\"", "\"tost\"");
    assert_ne!(tampered, body);
    assert!(verify(&secret, request, &tampered).is_err());
    assert!(verify("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", request, body).is_err());

    let done = h
        .wait_delivery(id, &delivery, |d| d["state"] == "succeeded")
        .await;
    assert_eq!(
        (done["attempt"].as_i64(), done["statusCode"].as_i64()),
        (Some(1), Some(200))
    );
    let detail = h.detail(id, &delivery).await;
    assert_eq!(detail["payload"], payload);
    assert_eq!(detail["attempts"][0]["statusCode"], 200);
    assert!(detail["attempts"][0]["response"]
        .as_str()
        .unwrap()
        .contains("ok"));

    // The secret is shown once: not in the list, the webhook, nor the audit trail.
    for path in [
        format!("/api/v1/webhooks/{id}"),
        "/api/v1/webhooks".into(),
        "/api/v1/audit".into(),
    ] {
        let text = h.s.get(&path).await.text().await.unwrap();
        assert!(!text.contains(&secret), "{path} shows the secret");
    }
    let list: Value = h.s.get("/api/v1/webhooks").await.json().await.unwrap();
    assert_eq!(list["items"][0]["lastDelivery"]["state"], "succeeded");
    let audit: Value =
        h.s.get("/api/v1/audit?kind=webhook")
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(audit["items"][0]["kind"], "webhook.created");

    // A redelivery sends the same message again.
    let again =
        h.s.post(
            &format!("/api/v1/webhooks/{id}/deliveries/{delivery}/redeliver"),
            json!({}),
        )
        .await;
    assert_eq!(again.status(), 202);
    let got = h.wait_received("jira/a/test-1", 2).await;
    assert_eq!(got[1]["headers"]["webhook-id"], delivery.as_str());
    h.wait_delivery(id, &delivery, |d| {
        d["attempt"] == 2 && d["state"] == "succeeded"
    })
    .await;
}

async fn events_fire_from_their_causes(backend: Backend) {
    let h = Hooks::start(backend).await;
    let events = ["orgKeyExpiry", "operationFinished", "syncFailed"];
    let (id, secret) = h.create("causes", &events).await;

    // A key saved with five days left is announced at once, then on its last day, once each.
    let expires = (h.clock.now() + Duration::days(5)).date_naive();
    let saved =
        h.s.send(
            reqwest::Method::PUT,
            "/api/v1/settings/api-key",
            Some(json!({"key": h.s.api_key, "expiresAt": expires.to_string()})),
        )
        .await;
    assert_eq!(saved.status(), 200);
    h.s.wait_for_sync().await;
    let first = h.wait_event(id, "orgKeyExpiry", 1).await;
    let data = &h.detail(id, first[0]["id"].as_str().unwrap()).await["payload"]["data"];
    assert_eq!(
        (data["daysLeft"].as_i64(), data["expiresAt"].as_str()),
        (Some(5), Some(&*expires.to_string()))
    );
    assert!(data["settingsUrl"]
        .as_str()
        .unwrap()
        .contains("/plugins/servlet/ac/io.orgwarden.app/orgwarden-admin?ac.view=settings"));
    assert!(data["apiKeyId"]
        .as_str()
        .is_some_and(|k| !h.s.api_key.contains(k)));
    h.clock.advance(Duration::days(5));
    let both = h.wait_event(id, "orgKeyExpiry", 2).await;
    let data = &h.detail(id, both[0]["id"].as_str().unwrap()).await["payload"]["data"];
    assert_eq!(data["daysLeft"], 0);
    h.clock.advance(Duration::days(1));
    let org = h.s.sim("/__sim/org").await;

    // A finished operation.
    let user = org["users"].as_array().unwrap().iter().find(|u| {
        u["status"] == "active"
            && u["platformRoles"].as_array().unwrap().is_empty()
            && u["accountType"] == "atlassian"
    });
    let body = json!({"selection": {"accountIds": [user.unwrap()["accountId"]]},
        "actions": [{"type": "addToGroups", "groupIds": [plain_group(&org)]}]});
    let created: Value =
        h.s.post("/api/v1/operations", body)
            .await
            .json()
            .await
            .unwrap();
    let op = created["id"].as_i64().unwrap();
    h.s.wait_operation(op, std::time::Duration::from_secs(60), finished)
        .await;
    let ops = h.wait_event(id, "operationFinished", 1).await;
    let payload = h.detail(id, ops[0]["id"].as_str().unwrap()).await["payload"].clone();
    assert_eq!(payload["data"]["processId"], op.to_string());
    assert_eq!(payload["data"]["actionTypes"], json!(["addToGroups"]));
    assert!(payload["data"]["deepLink"]
        .as_str()
        .unwrap()
        .ends_with(&format!("?ac.view=operations&ac.op={op}")));

    // A failing sync (every Admin API call answers 500); the receiver is watched meanwhile, as
    // the API's own role checks would fail too.
    let sim_post = |path: &str, body: Value| {
        let request = h.s.http.post(format!("{}{path}", h.s.sim_url)).json(&body);
        async move { assert!(request.send().await.unwrap().status().is_success()) }
    };
    sim_post("/__sim/faults", json!({"faultRate": 1.0})).await;
    assert_eq!(h.s.post("/api/v1/sync", json!({})).await.status(), 202);
    let got = h.wait_received("causes", 4).await;
    sim_post("/__sim/faults", json!({"faultRate": 0.0})).await;
    let failed = h.wait_event(id, "syncFailed", 1).await;
    let payload = h.detail(id, failed[0]["id"].as_str().unwrap()).await["payload"].clone();
    assert!(
        payload["data"]["error"]
            .as_str()
            .unwrap()
            .contains("unavailable"),
        "{payload}"
    );

    // Every one of them arrived signed, and each once.
    let kinds: Vec<Value> = got
        .iter()
        .map(|r| verify(&secret, r, r["body"].as_str().unwrap()).unwrap()["event"].clone())
        .collect();
    assert_eq!(
        kinds,
        [
            "orgKeyExpiry",
            "orgKeyExpiry",
            "operationFinished",
            "syncFailed"
        ]
    );
    assert_eq!(h.deliveries(id).await.len(), 4, "no duplicate key notices");
}

async fn retries_follow_the_schedule_and_failing_webhooks_switch_off(backend: Backend) {
    let h = Hooks::start(backend).await;
    let (id, _) = h.create("flaky", &["test"]).await;
    h.receiver("flaky", json!({"status": 503})).await;
    let delivery = h.send_test(id).await;
    // 30 s, 2 min, 8 min (each ±20 %), measured on the server's clock.
    for (attempt, nominal) in [(1, 30), (2, 120), (3, 480)] {
        let d = h
            .wait_delivery(id, &delivery, |d| d["attempt"] == attempt)
            .await;
        assert_eq!(
            (d["state"].as_str(), d["statusCode"].as_i64()),
            (Some("pending"), Some(503))
        );
        let at: chrono::DateTime<chrono::Utc> = d["at"].as_str().unwrap().parse().unwrap();
        let next: chrono::DateTime<chrono::Utc> =
            d["nextAttemptAt"].as_str().unwrap().parse().unwrap();
        let delay = (next - at).num_milliseconds();
        assert!(
            (nominal * 800..=nominal * 1200).contains(&delay),
            "attempt {attempt}: {delay} ms"
        );
        h.clock.advance(Duration::seconds(nominal * 6 / 5 + 1));
    }
    h.receiver("flaky", json!({"status": 200})).await;
    let d = h
        .wait_delivery(id, &delivery, |d| d["state"] == "succeeded")
        .await;
    assert_eq!(d["attempt"], 4);
    assert_eq!(h.received("flaky").await.len(), 4);

    // A 404 is not retried.
    h.receiver("flaky", json!({"status": 404})).await;
    let gone = h.send_test(id).await;
    let d = h.wait_delivery(id, &gone, |d| d["state"] == "failed").await;
    assert_eq!(
        (d["attempt"].as_i64(), d["nextAttemptAt"].as_str()),
        (Some(1), None)
    );

    // Failing every day for three days switches the webhook off, with the reason: on the
    // fourth day the first failing attempt (a retry of an earlier delivery or the new test,
    // whichever the worker sends first) does it.
    h.receiver("flaky", json!({"status": 500})).await;
    for _ in 0..3 {
        let d = h.send_test(id).await;
        h.wait_delivery(id, &d, |d| d["attempt"].as_i64() >= Some(1))
            .await;
        h.clock.advance(Duration::days(1));
    }
    h.send_test(id).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let hook = loop {
        let hook: Value =
            h.s.get(&format!("/api/v1/webhooks/{id}"))
                .await
                .json()
                .await
                .unwrap();
        if hook["active"] == false || std::time::Instant::now() > deadline {
            break hook;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(hook["active"], false, "{hook}");
    assert!(
        hook["disabledReason"].as_str().unwrap().contains("3 days"),
        "{hook}"
    );
}

async fn a_webhook_switched_off_by_hand_sends_nothing_more(backend: Backend) {
    let h = Hooks::start(backend).await;
    let (id, _) = h.create("leaky", &["test"]).await;
    h.receiver("leaky", json!({"status": 503})).await;
    let delivery = h.send_test(id).await;
    h.wait_delivery(id, &delivery, |d| d["attempt"] == 1).await;
    let off = json!({"name": "hook leaky", "url": h.hook_url("leaky"), "events": ["test"],
        "active": false});
    let switched =
        h.s.send(Method::PUT, &format!("/api/v1/webhooks/{id}"), Some(off))
            .await;
    assert_eq!(switched.status(), 200);
    let d = h.deliveries(id).await;
    assert_eq!(
        (
            d[0]["id"].as_str(),
            d[0]["state"].as_str(),
            d[0]["nextAttemptAt"].as_str()
        ),
        (Some(delivery.as_str()), Some("failed"), None),
        "{d:?}"
    );
    h.clock.advance(Duration::hours(1));
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(h.received("leaky").await.len(), 1, "no retry once off");
}

async fn private_targets_are_refused_without_the_flag(backend: Backend) {
    let h = Hooks::start_with(backend, false).await;
    for (url, says) in [
        (h.hook_url("x"), "https"),
        ("https://127.0.0.1:9/hook".to_owned(), "loopback"),
        ("https://localhost/hook".to_owned(), "loopback"),
        (
            "https://169.254.169.254/latest/meta-data".to_owned(),
            "link-local",
        ),
        ("https://10.0.0.8/hook".to_owned(), "private"),
        ("https://[::ffff:127.0.0.1]/hook".to_owned(), "loopback"),
    ] {
        let answer =
            h.s.post(
                "/api/v1/webhooks",
                json!({"name": "x", "url": url, "events": ["test"], "active": true}),
            )
            .await;
        assert_eq!(answer.status(), 400, "{url}");
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["error"]["code"], "validation_failed");
        assert_eq!(body["error"]["details"]["field"], "url");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{url}: {message}");
    }
    let hooks: Value = h.s.get("/api/v1/webhooks").await.json().await.unwrap();
    assert_eq!(hooks["items"], json!([]));
}

async fn a_kept_secret_stays_with_its_host_and_an_off_webhook_gets_no_redelivery(backend: Backend) {
    let h = Hooks::start(backend).await;
    let (id, _) = h.create("jira/a/moving", &["test"]).await;
    let delivery = h.send_test(id).await;
    h.wait_delivery(id, &delivery, |d| d["state"] == "succeeded")
        .await;
    let path = format!("/api/v1/webhooks/{id}");
    let put = |url: String, secret: Option<&str>, active: bool| {
        let mut body = json!({"name": "moving", "url": url, "events": ["test"], "active": active});
        if let Some(secret) = secret {
            body["secret"] = json!(secret);
        }
        h.s.send(Method::PUT, &path, Some(body))
    };
    // Another path on the same host keeps the secret.
    let same_host = put(h.hook_url("jira/a/moved"), None, true).await;
    assert_eq!(same_host.status(), 200);
    // Another host (cloudsim answers on localhost too) would get the kept secret as its
    // Automation token: it must be entered again.
    let elsewhere = h.hook_url("jira/a/moved").replace("127.0.0.1", "localhost");
    assert_ne!(elsewhere, h.hook_url("jira/a/moved"));
    let refused = put(elsewhere.clone(), None, true).await;
    assert_eq!(refused.status(), 400);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["details"]["field"], "secret", "{body}");
    let moved = put(elsewhere.clone(), Some("automation-token-2"), true).await;
    assert_eq!(moved.status(), 200);

    // Switched off, its deliveries are not sent again.
    let off = put(elsewhere, None, false).await;
    assert_eq!(off.status(), 200);
    let again =
        h.s.post(
            &format!("/api/v1/webhooks/{id}/deliveries/{delivery}/redeliver"),
            json!({}),
        )
        .await;
    assert_eq!(again.status(), 409);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["error"]["code"], "webhook_inactive", "{body}");
    let d = h.deliveries(id).await;
    assert_eq!(d[0]["state"], "succeeded", "{d:?}");
    assert_eq!(h.received("jira/a/moving").await.len(), 1);
}

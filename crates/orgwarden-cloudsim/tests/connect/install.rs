//! Signed install, enable, uninstall (disabled then uninstalled), an unreachable descriptor and
//! the CLI driving a running sim.

use super::*;

#[tokio::test]
async fn signed_install_and_enabled() {
    let i = install().await;
    let calls = i.app.calls.lock().unwrap().clone();
    assert_eq!(
        calls.iter().map(|c| c.path.as_str()).collect::<Vec<_>>(),
        ["/app/lifecycle/installed", "/app/lifecycle/enabled"]
    );
    let installed = &calls[0];
    assert_eq!(installed.body["eventType"], "installed");
    assert_eq!(installed.body["key"], APP_KEY);
    assert_eq!(installed.body["clientKey"], i.client_key.as_str());
    assert_eq!(installed.body["sharedSecret"], i.secret.as_str());
    assert_eq!(
        installed.body["baseUrl"],
        format!("{}/jira/{}", i.sim.running.url, i.site)
    );
    assert_eq!(installed.body["productType"], "jira");
    let keys = HttpInstallKeys::new(&i.sim.url("/install-keys"));
    let qsh = query_string_hash("POST", "/app/lifecycle/installed", "", "/app").unwrap();
    let claims = verify_install(
        token_of(installed),
        &keys,
        &i.app.base,
        &i.client_key,
        &qsh,
        now(),
    )
    .await
    .unwrap();
    assert!(claims.exp - claims.iat >= 900);

    let enabled = &calls[1];
    assert_eq!(enabled.body["eventType"], "enabled");
    assert!(enabled.body.get("sharedSecret").is_none());
    let qsh = query_string_hash("POST", "/app/lifecycle/enabled", "", "/app").unwrap();
    let claims = verify_hs256(
        token_of(enabled),
        &i.secret,
        &qsh,
        QshPolicy::Request,
        now(),
    )
    .unwrap();
    assert_eq!(claims.iss, i.client_key);

    let res = i
        .sim
        .http
        .get(i.sim.url("/install-keys/unknown-kid"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    // a re-install keeps the clientKey and issues a fresh secret
    let (_, again) = i
        .sim
        .sim(
            Method::POST,
            "/__sim/install",
            Some(json!({"descriptorUrl": format!("{}/atlassian-connect.json", i.app.base)})),
        )
        .await;
    assert_eq!(again["clientKey"], i.client_key.as_str());
    assert_ne!(again["sharedSecret"], i.secret.as_str());
}

#[tokio::test]
async fn uninstall_sends_disabled_then_uninstalled() {
    let i = install().await;
    let (status, body) = i
        .sim
        .sim(
            Method::POST,
            "/__sim/uninstall",
            Some(json!({"descriptorUrl": format!("{}/atlassian-connect.json", i.app.base)})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let calls = i.app.calls.lock().unwrap().clone();
    let paths: Vec<&str> = calls.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(
        paths[2..],
        ["/app/lifecycle/disabled", "/app/lifecycle/uninstalled"]
    );
    let keys = HttpInstallKeys::new(&i.sim.url("/install-keys"));
    let qsh = query_string_hash("POST", "/app/lifecycle/uninstalled", "", "/app").unwrap();
    verify_install(
        token_of(&calls[3]),
        &keys,
        &i.app.base,
        &i.client_key,
        &qsh,
        now(),
    )
    .await
    .unwrap();
    assert_eq!(calls[3].body["eventType"], "uninstalled");
    let (status, _) = i
        .jira("GET", "/rest/api/3/applicationrole", None, None)
        .await;
    assert_eq!(status, 401);
    let (status, _) = i
        .sim
        .sim(
            Method::POST,
            "/__sim/context-token",
            Some(json!({"accountId": "x"})),
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn install_reports_unreachable_descriptor() {
    let sim = Sim::start().await;
    let (status, body) = sim
        .sim(
            Method::POST,
            "/__sim/install",
            Some(json!({"descriptorUrl": "http://127.0.0.1:9/none.json"})),
        )
        .await;
    assert_eq!(status, 502);
    assert_eq!(body["error"]["code"], "descriptor_unavailable");
    let (status, _) = sim
        .sim(Method::POST, "/__sim/install", Some(json!({})))
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn cli_install_and_uninstall_drive_a_running_sim() {
    let sim = Sim::start().await;
    let app = start_app();
    let descriptor = format!("{}/atlassian-connect.json", app.base);
    let run = |cmd: &'static str, sim_url: String, descriptor: String| {
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_cloudsim"))
                .args([cmd, "--sim", &sim_url, "--app", &descriptor])
                .output()
                .unwrap()
        })
    };
    let out = run("install", sim.running.url.clone(), descriptor.clone())
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["appKey"], APP_KEY);
    let (_, installs) = sim.sim(Method::GET, "/__sim/installations", None).await;
    assert_eq!(installs[0]["installed"], true);
    assert_eq!(installs[0]["appKey"], APP_KEY);
    let out = run("uninstall", sim.running.url.clone(), descriptor)
        .await
        .unwrap();
    assert!(out.status.success());
    let (_, installs) = sim.sim(Method::GET, "/__sim/installations", None).await;
    assert_eq!(installs[0]["installed"], false);
    let paths: Vec<String> = app
        .calls
        .lock()
        .unwrap()
        .iter()
        .map(|c| c.path.clone())
        .collect();
    assert_eq!(paths.len(), 4);
}

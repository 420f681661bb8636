//! Automated tasks through the real server and cloudsim, on SQLite and PostgreSQL: validation
//! naming fields, org admins only for changes, the live preview, filter deletion refused while a
//! task uses it, a dry run that changes nothing, a real run that changes exactly what the
//! preview and the dry run said (org admins and exempted users skipped), duplicate, delete and the audit trail.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use orgwarden_cloudsim::SimConfig;
use orgwarden_store::Backend;
use reqwest::Method;
use serde_json::{json, Value};

use crate::operations_support::model::{ordinary, pick};
use crate::operations_support::{error, start, Stack};
use orgwarden_store::on_both_backends;

on_both_backends!(tasks_rehearse_run_and_are_guarded);

/// Accounts cloudsim suspended.
fn suspended(stats: &Value) -> BTreeSet<String> {
    stats["mutations"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, a)| a["user_access_suspended"].as_u64().unwrap_or(0) > 0)
                .map(|(id, _)| id.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Polls a run until it has finished.
async fn finished_run(s: &Stack, task: i64, process: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let run: Value = s
            .get(&format!("/api/v1/tasks/{task}/runs/{process}"))
            .await
            .json()
            .await
            .unwrap();
        if run["state"] != "running" {
            return run;
        }
        assert!(Instant::now() < deadline, "run did not finish: {run}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Account ids whose results have `outcome`.
fn with_outcome(run: &Value, outcome: &str) -> BTreeSet<String> {
    run["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"] == outcome)
        .map(|r| r["accountId"].as_str().unwrap().to_owned())
        .collect()
}

/// The first `n` events cloudsim's receiver `tasks` got, oldest first.
async fn received_events(s: &Stack, n: usize) -> Vec<Value> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let got = s.sim("/__sim/automation/deliveries?path=tasks").await;
        let items = got["items"].as_array().unwrap();
        if items.len() >= n {
            return items
                .iter()
                .take(n)
                .map(|r| serde_json::from_str(r["body"].as_str().unwrap()).unwrap())
                .collect();
        }
        assert!(std::time::Instant::now() < deadline, "{got}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn start_run(s: &Stack, task: i64, body: Value) -> String {
    let started = s.post(&format!("/api/v1/tasks/{task}/run"), body).await;
    assert_eq!(started.status(), 202);
    let started: Value = started.json().await.unwrap();
    started["processId"].as_str().unwrap().to_owned()
}

async fn tasks_rehearse_run_and_are_guarded(backend: Backend) {
    let (_sim, _app, s) = start(
        backend,
        SimConfig {
            users: 40,
            sites: 1,
            groups: 4,
            ..SimConfig::default()
        },
    )
    .await;
    let filter = json!({"name": "Active people", "filter": {"statuses": ["active"], "accountTypes": ["atlassian"]}});
    let filter: Value = s
        .post("/api/v1/filters", filter)
        .await
        .json()
        .await
        .unwrap();
    let filter_id = filter["id"].as_i64().unwrap();
    let task = json!({"name": "Suspend everyone", "savedFilterId": filter_id,
        "actions": [{"type": "suspend"}], "reason": "hygiene",
        "schedule": {"kind": "weekly", "weekdays": ["mon", "thu"], "time": "02:30"},
        "active": true, "timeZone": "Europe/Berlin"});

    for (change, field) in [
        (json!({"timeZone": "Mars/Olympus"}), "timeZone"),
        (json!({"savedFilterId": 999_999}), "savedFilterId"),
        (json!({"name": " "}), "name"),
        (
            json!({"schedule": {"kind": "weekly", "weekdays": ["mon"], "time": "24:00"}}),
            "schedule.time",
        ),
        (
            json!({"schedule": {"kind": "once", "at": "2020-01-01T00:00"}}),
            "schedule.at",
        ),
        (
            json!({"actions": [{"type": "addToGroups", "groupIds": ["nope"]}]}),
            "actions[0].groupIds[0]",
        ),
    ] {
        let mut body = task.clone();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (code, details) = error(s.post("/api/v1/tasks", body).await, 400).await;
        assert_eq!(
            (code.as_str(), &details["field"]),
            ("validation_failed", &json!(field))
        );
    }
    let outsider = s
        .send_as(
            "557058:not-an-admin",
            Method::POST,
            "/api/v1/tasks",
            Some(task.clone()),
        )
        .await;
    assert_eq!(error(outsider, 403).await.0, "access_denied");

    // Saved with the filter as the admin reviewed it: changed since, the save is refused.
    let mut stale = task.clone();
    stale["filterUpdatedAt"] = json!("2020-01-01T00:00:00Z");
    let (code, details) = error(s.post("/api/v1/tasks", stale).await, 409).await;
    assert_eq!(
        (code.as_str(), &details["field"]),
        ("filter_changed", &json!("savedFilterId"))
    );
    let mut reviewed = task.clone();
    reviewed["filterUpdatedAt"] = filter["updatedAt"].clone();
    let created = s.post("/api/v1/tasks", reviewed).await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["actingAdmin"], s.admin.as_str());
    assert!(created["nextRunAt"].is_string(), "{created}");
    let mut manual = task.clone();
    manual["schedule"] = json!({"kind": "manual"});
    let edited: Value = s
        .send(Method::PUT, &format!("/api/v1/tasks/{id}"), Some(manual))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            edited["nextRunAt"].clone(),
            edited["schedule"]["kind"].clone()
        ),
        (Value::Null, json!("manual"))
    );

    let (code, details) = error(
        s.send(
            Method::DELETE,
            &format!("/api/v1/filters/{filter_id}"),
            None,
        )
        .await,
        409,
    )
    .await;
    assert_eq!(
        (code.as_str(), details["tasks"].clone()),
        ("filter_in_use", json!(["Suspend everyone"]))
    );

    let exempt = pick(&s.sim("/__sim/org").await, 1, ordinary)[0].clone();
    let added = s
        .post(
            "/api/v1/settings/exemptions",
            json!({"kind": "user", "id": exempt, "note": "CFO"}),
        )
        .await;
    assert_eq!(added.status(), 201);
    let preview: Value = s
        .post("/api/v1/tasks/preview", task.clone())
        .await
        .json()
        .await
        .unwrap();
    let total = preview["total"].as_u64().unwrap();
    assert!(
        total > 10 && preview["skip"].as_u64().unwrap() >= 1,
        "{preview}"
    );
    assert_eq!(preview["sample"].as_array().unwrap().len(), 10);

    // Task runs notify webhooks subscribed to taskSuccess / taskFailure.
    let hook: Value = s
        .post(
            "/api/v1/webhooks",
            json!({"name": "task runs", "url": format!("{}/automation/webhooks/tasks", s.sim_url),
                "events": ["taskSuccess", "taskFailure"], "active": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    let receiver = s
        .http
        .post(format!("{}/__sim/automation/webhooks", s.sim_url))
        .json(&json!({"path": "tasks", "token": hook["secret"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(receiver.status(), 201);

    // A run's body that cannot be read is refused, never taken for a real run.
    let run = format!("/api/v1/tasks/{id}/run");
    let misspelt = s.post(&run, json!({"dry_run": true})).await;
    assert_eq!(error(misspelt, 400).await.0, "invalid_json");
    let as_form = s
        .http
        .post(format!("{}{run}", s.url))
        .header(
            "Authorization",
            format!("JWT {}", s.token_of(&s.admin).await),
        )
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(r#"{"dryRun":true}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(error(as_form, 415).await.0, "unsupported_media_type");
    let runs: Value = s
        .get(&format!("/api/v1/tasks/{id}/runs"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(runs["items"], json!([]), "{runs}");

    let before = s.sim("/__sim/stats").await;
    // Asked twice at once (a double click), it runs once: the other is told a run is under way.
    let run_path = format!("/api/v1/tasks/{id}/run");
    let (first, second) = tokio::join!(
        s.post(&run_path, json!({"dryRun": true})),
        s.post(&run_path, json!({"dryRun": true}))
    );
    let mut statuses = [first.status().as_u16(), second.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [202, 409]);
    let (started, refused) = if first.status() == 202 {
        (first, second)
    } else {
        (second, first)
    };
    let refused: Value = refused.json().await.unwrap();
    assert_eq!(refused["error"]["code"], "task_running", "{refused}");
    let started: Value = started.json().await.unwrap();
    let rehearsal = started["processId"].as_str().unwrap().to_owned();
    let dry = finished_run(&s, id, &rehearsal).await;
    assert_eq!(
        (dry["state"].clone(), dry["dryRun"].clone()),
        (json!("succeeded"), json!(true)),
        "{dry}"
    );
    let would = with_outcome(&dry, "wouldAct");
    assert_eq!(would.len() as u64, total);
    // Among the operations it says what it is: a dry run of this task, with what would change.
    let op: Value = s
        .get(&format!("/api/v1/operations/{}", dry["operationId"]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (&op["dryRun"], &op["taskId"], &op["processId"]),
        (&json!(true), &json!(id), &json!(rehearsal)),
        "{op}"
    );
    assert_eq!(op["progress"]["wouldAct"].as_u64(), Some(total), "{op}");
    let skipped = with_outcome(&dry, "skip");
    assert!(
        skipped.contains(&s.admin) && skipped.contains(&exempt),
        "org admins and exemptions hold"
    );
    // The run without its steps, and its steps a page at a time, worded as its detail words them.
    let head: Value = s
        .get(&format!(
            "/api/v1/tasks/{id}/runs/{rehearsal}?results=false"
        ))
        .await
        .json()
        .await
        .unwrap();
    assert!(head.get("results").is_none(), "{head}");
    assert_eq!(
        (&head["counts"], &head["operationId"]),
        (&dry["counts"], &dry["operationId"])
    );
    let steps: Value = s
        .get(&format!(
            "/api/v1/operations/{}/steps?outcome=would_act&limit=500",
            dry["operationId"]
        ))
        .await
        .json()
        .await
        .unwrap();
    let paged: BTreeSet<String> = steps["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            assert_eq!(i["outcome"], "wouldAct", "{i}");
            i["accountId"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(paged, would);
    // The words a dry run's steps are answered in filter them too.
    let aliased: Value = s
        .get(&format!(
            "/api/v1/operations/{}/steps?outcome=wouldAct&limit=500",
            dry["operationId"]
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(aliased["items"], steps["items"]);
    assert_eq!(
        suspended(&s.sim("/__sim/stats").await),
        suspended(&before),
        "a dry run changes nothing"
    );

    let process = start_run(&s, id, json!({})).await;
    let run = finished_run(&s, id, &process).await;
    assert_eq!(
        (run["state"].clone(), run["late"].clone()),
        (json!("succeeded"), json!(false)),
        "{run}"
    );
    let notified = received_events(&s, 2).await;
    let mut runs: Vec<&str> = notified
        .iter()
        .map(|e| e["data"]["processId"].as_str().unwrap())
        .collect();
    runs.sort_unstable();
    let mut expected = [rehearsal.as_str(), process.as_str()];
    expected.sort_unstable();
    assert_eq!(runs, expected, "one event per run, dry runs included");
    for event in &notified {
        assert_eq!(event["event"], "taskSuccess", "{event}");
        assert_eq!(event["data"]["name"], "Suspend everyone", "{event}");
        let link = event["data"]["deepLink"].as_str().unwrap();
        assert!(
            link.contains(&format!("ac.task={id}")) && link.contains("ac.view=tasks"),
            "{link}"
        );
    }
    assert_eq!(
        with_outcome(&run, "done"),
        would,
        "the run did what the rehearsal said"
    );
    let now_suspended: BTreeSet<String> = suspended(&s.sim("/__sim/stats").await)
        .difference(&suspended(&before))
        .cloned()
        .collect();
    assert_eq!(
        now_suspended, would,
        "cloudsim saw exactly those suspensions"
    );
    assert!(!now_suspended.contains(&s.admin) && !now_suspended.contains(&exempt));

    let runs: Value = s
        .get(&format!("/api/v1/tasks/{id}/runs"))
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = runs["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["processId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [process.as_str(), rehearsal.as_str()]);
    let list: Value = s.get("/api/v1/tasks").await.json().await.unwrap();
    assert_eq!(list["items"][0]["lastRun"]["processId"], process.as_str());

    let copy = s
        .post(&format!("/api/v1/tasks/{id}/duplicate"), json!({}))
        .await;
    assert_eq!(copy.status(), 201);
    let copy: Value = copy.json().await.unwrap();
    assert_eq!(
        (copy["name"].clone(), copy["active"].clone()),
        (json!("Suspend everyone (copy)"), json!(false))
    );
    for task in [id, copy["id"].as_i64().unwrap()] {
        assert_eq!(
            s.send(Method::DELETE, &format!("/api/v1/tasks/{task}"), None)
                .await
                .status(),
            204
        );
    }
    assert_eq!(
        error(s.get(&format!("/api/v1/tasks/{id}")).await, 404)
            .await
            .0,
        "not_found"
    );
    assert_eq!(
        s.send(
            Method::DELETE,
            &format!("/api/v1/filters/{filter_id}"),
            None
        )
        .await
        .status(),
        204
    );

    let audit: Value = s.get("/api/v1/audit?kind=task").await.json().await.unwrap();
    let kinds: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "task.deleted",
            "task.deleted",
            "task.created",
            "task.run",
            "task.run",
            "task.updated",
            "task.created"
        ]
    );
}

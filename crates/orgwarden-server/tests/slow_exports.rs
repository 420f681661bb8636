//! Slow export readers do not starve other tenants, through the real server and cloudsim on
//! each backend: ten downloads of one tenant whose clients stop reading get two running exports
//! (blocked on their unread sockets) and eight `429 too_many_exports`, while another tenant's
//! `GET /api/v1/me` keeps answering (not starved of a connection or worker); the slots come back once the readers go,
//! and the downloads they cut short are in the audit trail as interrupted.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use orgwarden_cloudsim::SimConfig;
use orgwarden_store::Backend;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use crate::audit_support::all_entries;
use crate::bulk_support::{add_users, unpooled};
use crate::operations_support::{start, Stack};
use orgwarden_store::on_both_backends;

on_both_backends!(slow_export_readers_do_not_starve_another_tenant);

/// Users of the exporting tenant: their JSON export is many times what the sockets, the
/// server's chunk channel and its write buffer can hold, so a writer whose client stops
/// reading blocks.
const EXPORTED_USERS: usize = 50_000;

/// The slow readers' receive buffer (the kernel doubles it).
const READER_BUFFER: u32 = 4096;

/// A `/me` that takes this long was starved (a pooled connection waits 10 s at most).
const STARVED: Duration = Duration::from_secs(5);

/// An export request on a socket that reads the status line and nothing more: the status, what
/// was read, and the socket.
async fn slow_export(addr: SocketAddr, token: &str) -> (u16, Vec<u8>, TcpStream) {
    let body = json!({"selection": {"filter": {}}, "format": "json"}).to_string();
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(READER_BUFFER).unwrap();
    let mut stream = socket.connect(addr).await.unwrap();
    let request = format!(
        "POST /api/v1/users/export HTTP/1.1\r\nHost: {addr}\r\nAuthorization: JWT {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut head = Vec::new();
    while !head.windows(2).any(|w| w == b"\r\n") {
        let mut buf = [0u8; 256];
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0, "the server closed before a status line");
        head.extend_from_slice(&buf[..n]);
    }
    let status = String::from_utf8_lossy(&head)
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("an HTTP status line");
    (status, head, stream)
}

/// The error code of a refused export, read whole after its `head`.
async fn refusal_code(mut answer: Vec<u8>, mut stream: TcpStream) -> String {
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    let (_, body) = answer.split_once("\r\n\r\n").expect("headers, then a body");
    let body: Value = serde_json::from_str(body).expect("a JSON error envelope");
    body["error"]["code"].as_str().unwrap().to_owned()
}

/// `GET /api/v1/me` with `token`: its status and how long it took.
async fn timed_me(s: &Stack, token: &str) -> (u16, Duration) {
    let request = unpooled()
        .get(format!("{}/api/v1/me", s.url))
        .header("Authorization", format!("JWT {token}"));
    let started = Instant::now();
    let answer = tokio::time::timeout(STARVED, request.send())
        .await
        .expect("/me answers before starvation")
        .unwrap();
    (answer.status().as_u16(), started.elapsed())
}

/// A context token of the org admin on the site named `site`.
async fn token_on(s: &Stack, site: &str) -> String {
    let answer: Value = s
        .http
        .post(format!("{}/__sim/context-token", s.sim_url))
        .json(&json!({"accountId": s.admin, "site": site}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["token"].as_str().unwrap().to_owned()
}

/// One export with `token` through an ordinary client that reads it whole.
async fn export_status(s: &Stack, token: &str) -> (u16, Vec<u8>) {
    let answer = unpooled()
        .post(format!("{}/api/v1/users/export", s.url))
        .header("Authorization", format!("JWT {token}"))
        .json(&json!({"selection": {"filter": {}}, "format": "json"}))
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    (status, answer.bytes().await.unwrap().to_vec())
}

async fn slow_export_readers_do_not_starve_another_tenant(backend: Backend) {
    let (_sim, app, s) = start(
        backend,
        SimConfig {
            users: 30,
            sites: 2,
            groups: 4,
            ..SimConfig::default()
        },
    )
    .await;
    let org = s.sim("/__sim/org").await;
    let (site_a, site_b) = (
        org["sites"][0]["name"].as_str().unwrap().to_owned(),
        org["sites"][1]["name"].as_str().unwrap().to_owned(),
    );
    // Tenant B: the app installed on the second site of the organization.
    let installed = s
        .http
        .post(format!("{}/__sim/install", s.sim_url))
        .json(
            &json!({"descriptorUrl": format!("{}/atlassian-connect.json", s.url), "site": site_b}),
        )
        .send()
        .await
        .unwrap();
    assert!(installed.status().is_success());
    let me_a: Value = s.get("/api/v1/me").await.json().await.unwrap();
    let tenant_a = me_a["tenant"]["clientKey"].as_str().unwrap().to_owned();
    let (token_a, token_b) = (token_on(&s, &site_a).await, token_on(&s, &site_b).await);
    add_users(&app.db.db, &tenant_a, "bulk", EXPORTED_USERS, |_| {
        "bulk.example"
    });

    timed_me(&s, &token_b).await;
    let mut baseline = Duration::ZERO;
    for _ in 0..5 {
        let (status, took) = timed_me(&s, &token_b).await;
        assert_eq!(status, 200);
        baseline = baseline.max(took);
    }

    // Ten downloads of tenant A whose clients stop reading after the status line.
    let addr: SocketAddr = s.url.trim_start_matches("http://").parse().unwrap();
    let opened = futures::future::join_all((0..10).map(|_| slow_export(addr, &token_a))).await;
    let (running, refused): (Vec<_>, Vec<_>) =
        opened.into_iter().partition(|(st, _, _)| *st == 200);
    assert_eq!(running.len(), 2, "two exports per tenant run at once");
    assert_eq!(refused.len(), 8);
    for (status, head, stream) in refused {
        assert_eq!(status, 429);
        assert_eq!(refusal_code(head, stream).await, "too_many_exports");
    }

    // Tenant B answers while both writers wait for their readers: no pooled connection or
    // worker is held by them (a starved request waits 10 s for a connection, then fails).
    for _ in 0..5 {
        let (status, took) = timed_me(&s, &token_b).await;
        assert_eq!(status, 200);
        assert!(
            took < STARVED,
            "/me took {took:?} beside slow exports; its baseline is {baseline:?}"
        );
    }
    // The writers are still blocked: tenant A's slots are still taken.
    let (status, _) = export_status(&s, &token_a).await;
    assert_eq!(status, 429, "the slow exports still hold their slots");

    // Once the slow readers hang up, the slots come back and an export runs whole.
    drop(running);
    let deadline = Instant::now() + Duration::from_secs(45);
    let whole = loop {
        let (status, body) = export_status(&s, &token_a).await;
        if status == 200 {
            break body;
        }
        assert!(Instant::now() < deadline, "the slots never came back");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let export: Value = serde_json::from_slice(&whole).unwrap();
    assert_eq!(
        export["count"].as_u64().unwrap() as usize,
        org["users"].as_array().unwrap().len() + EXPORTED_USERS
    );
    // Every download is in the audit trail: the two cut short as interrupted, the whole one
    // with its rows.
    // (The second slow writer may still be recording when the first slot came back.)
    let deadline = Instant::now() + Duration::from_secs(30);
    let downloads = loop {
        let downloads = all_entries(&s, "kind=export.downloaded").await;
        if downloads.len() >= 3 || Instant::now() > deadline {
            break downloads;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let whole_ones: Vec<_> = downloads
        .iter()
        .filter(|e| e["details"]["complete"] == true)
        .collect();
    assert_eq!(downloads.len(), 3, "{downloads:?}");
    assert_eq!(whole_ones.len(), 1, "{downloads:?}");
    assert_eq!(whole_ones[0]["details"]["rows"], export["count"]);
    // The premise: the file is far more than the kernel lets a socket's send buffer hold.
    let send_buffer_max: usize = std::fs::read_to_string("/proc/sys/net/ipv4/tcp_wmem")
        .unwrap()
        .split_whitespace()
        .nth(2)
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        whole.len() > 2 * send_buffer_max,
        "an export of {} bytes could fit in a send buffer of {send_buffer_max}",
        whole.len()
    );
    println!("/me baseline {baseline:?}; export of {} bytes", whole.len());
}
